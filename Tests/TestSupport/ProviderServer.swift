import AgentCore
import Foundation
import NIOCore
import NIOPosix
import Synchronization

/// A local stand-in for a model provider's server: it records each request and answers from a script, in the provider's wire format.
///
/// Streams go out as real `text/event-stream` over chunked HTTP/1.1, one
/// SSE event per chunk and flush, so a client sees them arrive piece by
/// piece as it would from the provider. ``OpenAIWire`` and
/// ``AnthropicWire`` build the exchanges from the providers' API references.
public final class ProviderServer: Sendable {
    public enum Reply: Sendable {
        /// 200 `text/event-stream`, each string one whole SSE event (with its trailing blank line).
        case stream([String])
        /// These events, then the connection drops before the stream ends.
        case cut([String])
        /// A whole response: status, extra headers, JSON body.
        case status(Int, headers: [(String, String)] = [], body: String)
        /// Say nothing for this long, then close.
        case stall(TimeAmount)
    }

    /// One request as the server read it.
    public struct Request: Sendable {
        public var method: String
        public var path: String
        /// Lower-cased names.
        public var headers: [String: String]
        public var body: String
        public var json: JSONValue { (try? JSONValue(parsing: body)) ?? .null }
    }

    let script: Mutex<[Reply]>
    let seen = Mutex<[Request]>([])
    let channel: Mutex<(any Channel)?> = Mutex(nil)

    public var requests: [Request] { seen.withLock { $0 } }
    public var port: Int { channel.withLock { $0?.localAddress?.port ?? 0 } }
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    init(script: [Reply]) { self.script = Mutex(script) }

    public static func start(_ script: [Reply]) async throws -> ProviderServer {
        let server = ProviderServer(script: script)
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(ProviderHandler(server: server)) }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        server.channel.withLock { $0 = channel }
        return server
    }

    /// Adds replies to the end of the script.
    public func enqueue(_ replies: Reply...) { script.withLock { $0.append(contentsOf: replies) } }

    func next(for request: Request) -> Reply {
        seen.withLock { $0.append(request) }
        return script.withLock { $0.isEmpty ? .status(500, body: #"{"error":{"message":"the test script has no more replies"}}"#) : $0.removeFirst() }
    }

    public func shutdown() async {
        let channel = self.channel.withLock { $0 }
        try? await channel?.close()
    }
}

final class ProviderHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    let server: ProviderServer
    var buffer: [UInt8] = []

    init(server: ProviderServer) { self.server = server }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        buffer.append(contentsOf: unwrapInboundIn(data).readableBytesView)
        guard let end = buffer.firstRange(of: Array("\r\n\r\n".utf8)) else { return }
        let head = String(decoding: buffer[..<end.lowerBound], as: UTF8.self).split(separator: "\r\n").map(String.init)
        var headers: [String: String] = [:]
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let length = Int(headers["content-length"] ?? "0") ?? 0
        guard buffer.count - end.upperBound >= length else { return }
        let body = String(decoding: buffer[end.upperBound..<(end.upperBound + length)], as: UTF8.self)
        buffer.removeAll()
        let parts = (head.first ?? "").split(separator: " ")
        let request = ProviderServer.Request(method: parts.first.map(String.init) ?? "", path: parts.dropFirst().first.map(String.init) ?? "",
                                             headers: headers, body: body)
        let reply = server.next(for: request)
        func send(_ text: String) { context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: text)), promise: nil) }
        switch reply {
        case .status(let status, let extra, let body):
            var response = "HTTP/1.1 \(status) Scripted\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n"
            for (name, value) in extra { response += "\(name): \(value)\r\n" }
            context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: response + "\r\n" + body))).whenComplete { _ in context.close(promise: nil) }
        case .stream(let events), .cut(let events):
            send("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n")
            for event in events { send(String(event.utf8.count, radix: 16) + "\r\n" + event + "\r\n") }
            if case .stream = reply {
                context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: "0\r\n\r\n"))).whenComplete { _ in context.close(promise: nil) }
            } else {
                context.close(promise: nil)
            }
        case .stall(let time):
            context.eventLoop.scheduleTask(in: time) { context.close(promise: nil) }
        }
    }
}

/// Chat Completions streams as OpenAI sends them (`chat.completion.chunk` objects, `data: [DONE]`).
public enum OpenAIWire {
    static func chunk(_ choices: JSONValue, usage: JSONValue = .null) -> String {
        var object: JSONObject = ["id": "chatcmpl-test", "object": "chat.completion.chunk", "created": 1_795_402_800, "model": "gpt-test", "choices": choices]
        if usage != .null { object["usage"] = usage }
        return "data: " + JSONValue.object(object).jsonString() + "\n\n"
    }

    static func usageChunk(_ input: Int, _ output: Int) -> String {
        chunk([], usage: ["prompt_tokens": .int(input), "completion_tokens": .int(output), "total_tokens": .int(input + output)])
    }

    /// One or more tool calls; each call's arguments arrive in fragments of `fragment` characters.
    public static func toolCalls(_ calls: [(id: String, name: String, arguments: String)], usage: (Int, Int) = (100, 20), fragment: Int = 7) -> [String] {
        var events = [chunk([["index": 0, "delta": ["role": "assistant", "content": .null], "finish_reason": .null]])]
        for (index, call) in calls.enumerated() {
            events.append(chunk([["index": 0, "delta": ["tool_calls": [["index": .int(index), "id": .string(call.id), "type": "function",
                                                                          "function": ["name": .string(call.name), "arguments": ""]]]], "finish_reason": .null]]))
            var rest = Substring(call.arguments)
            while !rest.isEmpty {
                let piece = rest.prefix(fragment)
                rest = rest.dropFirst(piece.count)
                events.append(chunk([["index": 0, "delta": ["tool_calls": [["index": .int(index), "function": ["arguments": .string(String(piece))]]]],
                                      "finish_reason": .null]]))
            }
        }
        events.append(chunk([["index": 0, "delta": [:], "finish_reason": "tool_calls"]]))
        events.append(usageChunk(usage.0, usage.1))
        events.append("data: [DONE]\n\n")
        return events
    }

    /// A text answer, streamed word by word.
    public static func text(_ answer: String, usage: (Int, Int) = (120, 30)) -> [String] {
        var events = [chunk([["index": 0, "delta": ["role": "assistant", "content": ""], "finish_reason": .null]])]
        var first = true
        for word in answer.split(separator: " ", omittingEmptySubsequences: false) {
            events.append(chunk([["index": 0, "delta": ["content": .string((first ? "" : " ") + word)], "finish_reason": .null]]))
            first = false
        }
        events.append(chunk([["index": 0, "delta": [:], "finish_reason": "stop"]]))
        events.append(usageChunk(usage.0, usage.1))
        events.append("data: [DONE]\n\n")
        return events
    }

    public static func error(_ message: String, type: String, code: String? = nil) -> String {
        JSONValue.object(["error": ["message": .string(message), "type": .string(type), "param": .null, "code": code.map(JSONValue.string) ?? .null]]).jsonString()
    }
}

/// Messages API streams as Anthropic sends them (`message_start` … `message_stop`, named events).
public enum AnthropicWire {
    static func event(_ name: String, _ data: JSONValue) -> String { "event: \(name)\ndata: \(data.jsonString())\n\n" }

    static func start(_ input: Int) -> [String] {
        [event("message_start", ["type": "message_start", "message": ["id": "msg_test", "type": "message", "role": "assistant", "content": [],
                                                                       "model": "claude-test", "stop_reason": .null, "stop_sequence": .null,
                                                                       "usage": ["input_tokens": .int(input), "output_tokens": 1]]]),
         event("ping", ["type": "ping"])]
    }

    static func end(_ reason: String, _ output: Int) -> [String] {
        [event("message_delta", ["type": "message_delta", "delta": ["stop_reason": .string(reason), "stop_sequence": .null], "usage": ["output_tokens": .int(output)]]),
         event("message_stop", ["type": "message_stop"])]
    }

    /// Optional text, then tool_use blocks whose input arrives as `input_json_delta` fragments.
    public static func toolUse(_ calls: [(id: String, name: String, input: String)], text: String? = nil, usage: (Int, Int) = (200, 40), fragment: Int = 9) -> [String] {
        var events = start(usage.0)
        var index = 0
        if let text {
            events.append(event("content_block_start", ["type": "content_block_start", "index": .int(index), "content_block": ["type": "text", "text": ""]]))
            events.append(event("content_block_delta", ["type": "content_block_delta", "index": .int(index), "delta": ["type": "text_delta", "text": .string(text)]]))
            events.append(event("content_block_stop", ["type": "content_block_stop", "index": .int(index)]))
            index += 1
        }
        for call in calls {
            events.append(event("content_block_start", ["type": "content_block_start", "index": .int(index),
                                                        "content_block": ["type": "tool_use", "id": .string(call.id), "name": .string(call.name), "input": [:]]]))
            events.append(event("content_block_delta", ["type": "content_block_delta", "index": .int(index), "delta": ["type": "input_json_delta", "partial_json": ""]]))
            var rest = Substring(call.input)
            while !rest.isEmpty {
                let piece = rest.prefix(fragment)
                rest = rest.dropFirst(piece.count)
                events.append(event("content_block_delta", ["type": "content_block_delta", "index": .int(index),
                                                            "delta": ["type": "input_json_delta", "partial_json": .string(String(piece))]]))
            }
            events.append(event("content_block_stop", ["type": "content_block_stop", "index": .int(index)]))
            index += 1
        }
        return events + end("tool_use", usage.1)
    }

    public static func text(_ answer: String, usage: (Int, Int) = (220, 50)) -> [String] {
        var events = start(usage.0)
        events.append(event("content_block_start", ["type": "content_block_start", "index": 0, "content_block": ["type": "text", "text": ""]]))
        var first = true
        for word in answer.split(separator: " ", omittingEmptySubsequences: false) {
            events.append(event("content_block_delta", ["type": "content_block_delta", "index": 0, "delta": ["type": "text_delta", "text": .string((first ? "" : " ") + word)]]))
            first = false
        }
        events.append(event("content_block_stop", ["type": "content_block_stop", "index": 0]))
        return events + end("end_turn", usage.1)
    }

    /// An `error` event in the middle of a stream, as Anthropic sends for an overload.
    public static func streamError(_ type: String, _ message: String) -> [String] {
        start(10) + [event("error", ["type": "error", "error": ["type": .string(type), "message": .string(message)]])]
    }

    public static func error(_ type: String, _ message: String) -> String {
        JSONValue.object(["type": "error", "error": ["type": .string(type), "message": .string(message)]]).jsonString()
    }
}
