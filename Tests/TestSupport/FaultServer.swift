import Foundation
import NIOCore
import NIOPosix
import Synchronization

/// A tiny HTTP/1.1 server on a loopback port that misbehaves on cue, one scripted behaviour per request.
///
/// It speaks just enough HTTP to read a request (headers and a Content-Length
/// body) and then does what the script says: answer, hang up, stall, or send
/// bytes that are not HTTP. Every request it read is counted, so tests can
/// prove a write was sent at most once.
public final class FaultServer: Sendable {
    public enum Behavior: Sendable {
        case respond(status: Int, headers: [(String, String)] = [], body: String)
        /// Close the connection without answering.
        case close
        /// Say nothing for this long, then close.
        case stall(TimeAmount)
        /// Send these bytes as they are, then close.
        case raw(String)
    }

    /// One request as read: the request line, the header lines and the body.
    public struct Request: Sendable {
        public var line: String
        public var head: String
        public var body: String
        public var method: String { String(line.split(separator: " ").first ?? "") }
        public var path: String { String(line.split(separator: " ").dropFirst().first ?? "") }
        /// The value of a header, by case-insensitive name.
        public func header(_ name: String) -> String? {
            head.split(separator: "\r\n").dropFirst().first { $0.lowercased().hasPrefix(name.lowercased() + ":") }
                .map { String($0[$0.index(after: $0.firstIndex(of: ":")!)...]).trimmingCharacters(in: .whitespaces) }
        }
    }

    let script: Mutex<[Behavior]>
    let seen = Mutex<[String]>([])
    let seenRequests = Mutex<[Request]>([])
    let router: Mutex<(@Sendable (Request) -> Behavior?)?>
    let channel: any Channel

    /// Every request received, whole.
    public var received: [Request] { seenRequests.withLock { $0 } }

    /// Replaces the router: it decides each request first; nil falls through to the script.
    public func route(_ router: @escaping @Sendable (Request) -> Behavior?) { self.router.withLock { $0 = router } }

    public var port: Int { channel.localAddress?.port ?? 0 }
    public var baseURL: String { "http://127.0.0.1:\(port)" }
    /// The request lines received, in order (`GET /api/v2/agent/leads HTTP/1.1`).
    public var requests: [String] { seen.withLock { $0 } }

    init(script: [Behavior], router: (@Sendable (Request) -> Behavior?)?, channel: any Channel) {
        self.script = Mutex(script)
        self.router = Mutex(router)
        self.channel = channel
    }

    public static func start(_ script: [Behavior], router: (@Sendable (Request) -> Behavior?)? = nil) async throws -> FaultServer {
        let box = Mutex<FaultServer?>(nil)
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(FaultHandler(server: box.withLock { $0! }))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let server = FaultServer(script: script, router: router, channel: channel)
        box.withLock { $0 = server }
        return server
    }

    func next(for request: Request) -> Behavior {
        seen.withLock { $0.append(request.line) }
        seenRequests.withLock { $0.append(request) }
        if let router = router.withLock({ $0 }), let behavior = router(request) { return behavior }
        return script.withLock { $0.isEmpty ? .respond(status: 200, body: #"{"success":true,"data":{}}"#) : $0.removeFirst() }
    }

    public func shutdown() async {
        try? await channel.close()
    }
}

final class FaultHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    let server: FaultServer
    var buffer = ByteBuffer()

    init(server: FaultServer) { self.server = server }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var incoming = unwrapInboundIn(data)
        buffer.writeBuffer(&incoming)
        let text = String(buffer: buffer)
        guard let headerEnd = text.range(of: "\r\n\r\n") else { return }
        let head = text[..<headerEnd.lowerBound]
        let length = head.split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-length:") }
            .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
        guard text.utf8.count - text[..<headerEnd.upperBound].utf8.count >= length else { return }
        let requestLine = String(head.split(separator: "\r\n").first ?? "")
        let body = String(text[headerEnd.upperBound...])
        buffer.clear()
        switch server.next(for: FaultServer.Request(line: requestLine, head: String(head), body: body)) {
        case .respond(let status, let headers, let body):
            var response = "HTTP/1.1 \(status) Scripted\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n"
            for (name, value) in headers { response += "\(name): \(value)\r\n" }
            response += "\r\n" + body
            context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: response))).whenComplete { _ in context.close(promise: nil) }
        case .close:
            context.close(promise: nil)
        case .stall(let time):
            context.eventLoop.scheduleTask(in: time) { context.close(promise: nil) }
        case .raw(let bytes):
            context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: bytes))).whenComplete { _ in context.close(promise: nil) }
        }
    }
}
