import AgentCore
import Foundation
import Testing
import TestSupport

/// `konektor server`: tokens from the command line, `serve --json`, and the server as the audit log's witness.
@Suite struct ServerCommandTests {
    typealias Installation = AuditTamperingTests.Installation

    /// Starts `konektor server serve --json` and returns the process and its first line.
    static func serve(_ arguments: [String], environment: [String: String]) async throws -> (Process, JSONValue) {
        let server = Process()
        server.executableURL = CommandLineRunner.executable
        server.arguments = ["server", "serve", "--port", "0", "--json"] + arguments
        server.environment = ["PATH": "/usr/bin:/bin", "HOME": NSTemporaryDirectory()].merging(environment) { _, new in new }
        let out = Pipe()
        server.standardOutput = out
        server.standardError = FileHandle.nullDevice
        try server.run()
        guard let line = await CommandLineRunner.firstLine(out.fileHandleForReading, timeout: 60) else {
            server.terminate()
            throw CancellationError()
        }
        return (server, try JSONValue(parsing: line))
    }

    @Test func aTokenIsPrintedOnceListedWithoutItsTextAndRevoked() async throws {
        let temp = try TemporaryDirectory("konektor-server-tokens")
        defer { temp.remove() }
        let db = temp.appending("server.sqlite").path
        let created = try await CommandLineRunner.run(["server", "token", "create", "--db", db, "--name", "alice", "--scope", "agents:approve", "agents:read"])
        #expect(created.status == 0, "\(created.stderr)")
        let token = created.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(token.hasPrefix("kst_"))
        let listed = try await CommandLineRunner.run(["server", "token", "list", "--db", db])
        #expect(listed.stdout.hasPrefix("alice\tagents:approve,agents:read"))
        #expect(!listed.stdout.contains(token))
        let revoked = try await CommandLineRunner.run(["server", "token", "revoke", "--db", db, "alice"])
        #expect(revoked.status == 0)
        let again = try await CommandLineRunner.run(["server", "token", "revoke", "--db", db, "alice"])
        #expect(again.status == 1)
    }

    @Test func anUnknownScopeIsRefused() async throws {
        let temp = try TemporaryDirectory("konektor-server-scope")
        defer { temp.remove() }
        let created = try await CommandLineRunner.run(["server", "token", "create", "--db", temp.appending("s.sqlite").path, "--name", "x", "--scope", "agents:everything"])
        #expect(created.status != 0)
        #expect(created.stderr.contains("unknown scope agents:everything"))
    }

    @Test func serveJSONPrintsTheURLAndTheDecisionKey() async throws {
        let temp = try TemporaryDirectory("konektor-server-serve")
        defer { temp.remove() }
        let (server, info) = try await Self.serve(["--db", temp.appending("server.sqlite").path], environment: [:])
        defer { server.terminate() }
        #expect(info["url"]?.stringValue?.hasPrefix("http://127.0.0.1:") == true)
        #expect(info["publicKey"]?.stringValue.flatMap { Data(base64Encoded: $0) }?.count == 32)
    }

    @Test func theServerWitnessesAndCosignsTheAuditLog() async throws {
        let i = try await Installation.make("konektor-server-witness")
        defer { i.temp.remove() }
        let (server, info) = try await Self.serve(["--db", i.temp.appending("server.sqlite").path], environment: [:])
        defer { server.terminate() }
        let url = try #require(info["url"]?.stringValue) + "/witness"
        let push = try await CommandLineRunner.run(["audit", "anchor", "push", "--witness", url], environment: i.environment)
        #expect(push.status == 0, "\(push.stderr)")
        #expect(push.stdout.contains("cosigned by konektor-server"), "\(push.stdout)")
        let key = i.temp.appending("server.pub")
        try (try #require(info["publicKey"]?.stringValue) + "\n").write(to: key, atomically: true, encoding: .utf8)
        let verified = try await i.verify(["--witness", url, "--witness-key", key.path, "--witness-name", "konektor-server"])
        #expect(verified.stdout.hasPrefix("intact (anchored)"), "\(verified.stdout) \(verified.stderr)")
    }
}
