import AgentCore
import AsyncHTTPClient
import Foundation
import NIOCore
import Sandbox

/// A sandbox on an ephemeral loopback port with a fixed, hand-moved clock, and a client for it.
public final class SandboxHarness: Sendable {
    /// Monday 2026-11-23 10:00 in Asia/Jakarta (03:00 UTC).
    public static let monday10 = Date(timeIntervalSince1970: 1_795_402_800)

    public let sandbox: RunningSandbox
    public let clock: SandboxClock

    public init(leads: Int = 300, seed: UInt64 = 7, now: Date = SandboxHarness.monday10, databasePath: String? = nil, rateLimitScale: Int = 1,
                latency: Duration = .zero) async throws {
        clock = .manual(now)
        var configuration = SandboxConfiguration(
            port: 0, databasePath: databasePath, seed: seed, leadCount: leads, clock: clock, rateLimitScale: rateLimitScale)
        configuration.latency = latency
        sandbox = try await SandboxServer.start(configuration)
    }

    public var baseURL: String { sandbox.baseURL }
    public func key(_ role: String) -> String { sandbox.key(role) }

    /// An HTTP exchange's outcome.
    public struct Reply: Sendable {
        public var status: Int
        public var headers: [String: String]
        public var text: String
        public var json: JSONValue { (try? JSONValue(parsing: text)) ?? .null }
        public var data: JSONValue { json["data"] ?? .null }
        public var errorCode: String? { json["error"]?["code"]?.stringValue }
        public var details: JSONValue { json["error"]?["details"] ?? .null }
    }

    /// Sends a request over real loopback HTTP; `key` nil sends no Authorization header.
    public func send(_ method: String, _ path: String, key: String? = "full", body: String? = nil,
                     contentType: String? = "application/json", headers extra: [(String, String)] = []) async throws -> Reply {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = .init(rawValue: method)
        if let key { request.headers.add(name: "Authorization", value: "Bearer " + (sandbox.keys.first { $0.role == key }?.key ?? key)) }
        for (name, value) in extra { request.headers.add(name: name, value: value) }
        if let body {
            if let contentType { request.headers.add(name: "Content-Type", value: contentType) }
            request.body = .bytes(ByteBuffer(string: body))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let buffer = try await response.body.collect(upTo: 16 << 20)
        var headers: [String: String] = [:]
        for header in response.headers { headers[header.name.lowercased()] = header.value }
        return Reply(status: Int(response.status.code), headers: headers, text: String(buffer: buffer))
    }

    public func get(_ path: String, key: String? = "full") async throws -> Reply { try await send("GET", path, key: key) }

    public func post(_ path: String, _ body: JSONValue, key: String? = "full") async throws -> Reply {
        try await send("POST", path, key: key, body: body.jsonString())
    }

    public func patch(_ path: String, _ body: JSONValue, key: String? = "full") async throws -> Reply {
        try await send("PATCH", path, key: key, body: body.jsonString())
    }

    public func shutdown() async { await sandbox.shutdown() }
}
