import AgentCore
import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore
import NIOHTTP1
import Testing
import TestSupport

/// Issue 15, end to end through the real binaries: an agent proposes to `konektor server`, a person approves over the
/// HTTP API with their own token, the agent's runtime verifies the signed decision and runs the write once.
@Suite(.serialized) struct SupervisedAcrossProcessesTests {
    typealias World = ApprovalLifecycleTests.World

    struct Server {
        let process: Process
        let url: String
        let publicKey: String
        let agentToken: String
        let approverToken: String
    }

    static func token(_ db: String, _ name: String, _ scopes: [String]) async throws -> String {
        let created = try await CommandLineRunner.run(["server", "token", "create", "--db", db, "--name", name, "--scope"] + scopes)
        #expect(created.status == 0, "\(created.stderr)")
        return created.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func serve(_ w: World) async throws -> Server {
        let db = w.temp.appending("server.sqlite").path
        let agent = try await token(db, "agent-7", ["agents:propose"])
        let approver = try await token(db, "rina", ["agents:approve"])
        let process = Process()
        process.executableURL = CommandLineRunner.executable
        process.arguments = ["server", "serve", "--port", "0", "--json", "--db", db]
        process.environment = ["PATH": "/usr/bin:/bin", "HOME": w.temp.url.path]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        guard let line = await CommandLineRunner.firstLine(out.fileHandleForReading, timeout: 60) else {
            process.terminate()
            throw CancellationError()
        }
        let info = try JSONValue(parsing: line)
        return Server(process: process, url: try #require(info["url"]?.stringValue), publicKey: try #require(info["publicKey"]?.stringValue),
                      agentToken: agent, approverToken: approver)
    }

    static func agentEnvironment(_ w: World, _ s: Server) -> [String: String] {
        w.environment.merging(["KONEKTOR_SERVER_URL": s.url, "KONEKTOR_SERVER_TOKEN": s.agentToken]) { $1 }
    }

    /// One HTTP call to the server with a person's token.
    static func http(_ method: HTTPMethod, _ url: String, token: String, body: JSONValue? = nil) async throws -> (status: Int, json: JSONValue?) {
        var request = HTTPClientRequest(url: url)
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body.jsonString()))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let text = String(buffer: try await response.body.collect(upTo: 1 << 20))
        return (Int(response.status.code), try? JSONValue(parsing: text))
    }

    /// The first pending action the approver sees: (runId, index).
    static func pending(_ s: Server, timeout: TimeInterval = 60) async throws -> (String, Int) {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let runs = try await http(.GET, s.url + "/v1/runs?status=pending", token: s.approverToken).json?["data"]?.arrayValue ?? []
            for run in runs {
                for action in run["actions"]?.arrayValue ?? [] where action["state"] == "pending" {
                    if let id = run["runId"]?.stringValue, let index = action["action"]?.intValue { return (id, index) }
                }
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw CancellationError()
    }

    static func script(_ w: World) throws -> String {
        let file = w.temp.appending("agent.json")
        try #"""
        {"steps": [
          {"calls": [{"name": "listLeads", "arguments": {"search": "CRM-1024"}}]},
          {"calls": [{"name": "updateLead", "arguments": {"id": "{{result.0.data.0.id}}", "status": "qualified"}}]},
          {"answer": "CRM-1024 is qualified."}
        ]}
        """#.write(to: file, atomically: true, encoding: .utf8)
        return file.path
    }

    static func patches(_ w: World) async throws -> Int {
        try await w.run(["audit", "export"]).stdout.split(separator: "\n").filter { $0.contains(#""kind":"http-request""#) && $0.contains(#""PATCH""#) }.count
    }

    @Test func anAgentProposesAPersonApprovesOverHTTPAndTheWriteRunsOnce() async throws {
        let w = try await World.make()
        defer { Task { await w.shutdown() } }
        let s = try await Self.serve(w)
        defer { s.process.terminate() }
        let environment = Self.agentEnvironment(w, s)
        let agent = Process()
        agent.executableURL = CommandLineRunner.executable
        agent.arguments = ["ask", "Qualify CRM-1024", "--policy", "supervised", "--planner", "script:" + (try Self.script(w)), "--wait", "60", "--json"]
        agent.environment = environment
        let out = Pipe()
        agent.standardOutput = out
        agent.standardError = FileHandle.nullDevice
        agent.standardInput = FileHandle.nullDevice
        try agent.run()
        let (run, index) = try await Self.pending(s)
        #expect(try await w.lead()["status"] == "contacted", "nothing is sent before the decision")

        // The agent's own token cannot approve its proposal.
        let selfApproval = try await CommandLineRunner.run(["approvals", "approve", "\(run)/\(index)"], environment: environment)
        #expect(selfApproval.status == 4, "\(selfApproval.stderr)")

        let approved = try await Self.http(.POST, s.url + "/v1/runs/\(run)/actions/\(index)/approve", token: s.approverToken, body: ["note": "checked with sales"])
        #expect(approved.status == 200, "\(String(describing: approved.json))")
        let text = String(decoding: await CommandLineRunner.readToEnd(out.fileHandleForReading), as: UTF8.self)
        await CommandLineRunner.wait(agent)
        #expect(agent.terminationStatus == 0, "\(text)")
        #expect(try await w.lead()["status"] == "qualified")
        #expect(try await Self.patches(w) == 1)

        let executed = try await w.run(["audit", "show", "--kind", "approval-executed", "--json"])
        #expect(executed.stdout.contains("rina") && executed.stdout.contains("checked with sales"), "\(executed.stdout)")
        #expect(executed.stdout.contains(#""signature""#) && executed.stdout.contains("agent-7"), "\(executed.stdout)")
        #expect(try await w.run(["audit", "verify"]).status == 0)

        // Replaying the executed decision: the server's claim refuses it, nothing is sent again.
        let id = try #require(try await w.lead()["id"]?.stringValue)
        #expect(try await w.h.patch("/api/v2/agent/leads/\(id)", ["status": "contacted"]).status == 200)
        let replay = try await CommandLineRunner.run(["approvals", "run", "\(run)/\(index)"], environment: environment)
        #expect(replay.status == 4, "\(replay.stderr)")
        #expect(try await w.lead()["status"] == "contacted")
        #expect(try await Self.patches(w) == 1)
    }

    static var artifacts: URL {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.appendingPathComponent(".build/test-artifacts")
    }

    /// The same journey with the person in real headless Chromium: they sign in to the server's page with their own
    /// token, approve with a note, and the agent's `approvals run` sends the write once.
    @Test func anAgentProposesAPersonApprovesInTheWebPageAndTheWriteRunsOnce() async throws {
        let w = try await World.make()
        defer { Task { await w.shutdown() } }
        let s = try await Self.serve(w)
        defer { s.process.terminate() }
        let environment = Self.agentEnvironment(w, s)
        let asked = try await CommandLineRunner.run(["ask", "Qualify CRM-1024", "--policy", "supervised", "--planner", "script:" + (try Self.script(w))],
                                                    environment: environment)
        #expect(asked.stderr.contains("waiting for a person's approval"), "\(asked.stderr)")
        let (run, index) = try await Self.pending(s)
        #expect(try await w.lead()["status"] == "contacted", "nothing is sent before the decision")

        let browser = try await WebDriver.start()
        do {
            try await browser.open(s.url + "/")
            try await browser.type(try await browser.waitFor("#token"), s.approverToken)
            try await browser.click(try await browser.waitFor("#sign-in-button"))
            let card = try await browser.waitFor("#action-\(run)-\(index)")
            #expect(try await browser.text(card).contains("qualified"))
            try await browser.screenshot(to: Self.artifacts.appendingPathComponent("supervised-across-processes-web-pending.png"))
            try await browser.type(try await browser.waitFor("#action-\(run)-\(index) textarea"), "checked with sales")
            try await browser.click(try await browser.waitFor("#action-\(run)-\(index) button.approve"))
            let flash = try await browser.waitFor("#flash")
            #expect(try await browser.text(flash).contains("\(run)/\(index) approved"))
            try await browser.screenshot(to: Self.artifacts.appendingPathComponent("supervised-across-processes-web-approved.png"))
        } catch { Issue.record(error) }
        await browser.quit()

        let ran = try await CommandLineRunner.run(["approvals", "run", "\(run)/\(index)"], environment: environment)
        #expect(ran.status == 0, "\(ran.stderr)")
        #expect(try await w.lead()["status"] == "qualified")
        #expect(try await Self.patches(w) == 1)
        let again = try await CommandLineRunner.run(["approvals", "run", "\(run)/\(index)"], environment: environment)
        #expect(again.status != 0, "an executed decision does not run twice: \(again.stdout)")
        #expect(try await Self.patches(w) == 1)

        let executed = try await w.run(["audit", "show", "--kind", "approval-executed", "--json"])
        #expect(executed.stdout.contains("agent-7"), "proposer: \(executed.stdout)")
        #expect(executed.stdout.contains("rina"), "approver, the web user's token name: \(executed.stdout)")
        #expect(executed.stdout.contains("checked with sales"), "note: \(executed.stdout)")
        #expect(executed.stdout.contains(#""signature""#), "signature: \(executed.stdout)")
        #expect(try await w.run(["audit", "verify"]).status == 0)
    }

    @Test func aServerPresentingAnotherKeyThanThePinnedOneIsRefused() async throws {
        let w = try await World.make()
        defer { Task { await w.shutdown() } }
        let s = try await Self.serve(w)
        defer { s.process.terminate() }
        let port = try #require(URLComponents(string: s.url)?.port)
        let pin = w.temp.appending("config/konektor/servers/127.0.0.1_\(port).pub")
        try FileManager.default.createDirectory(at: pin.deletingLastPathComponent(), withIntermediateDirectories: true)
        try (Curve25519.Signing.PrivateKey().publicKey.rawRepresentation.base64EncodedString() + "\n").write(to: pin, atomically: true, encoding: .utf8)
        let asked = try await CommandLineRunner.run(["ask", "Update lead CRM-1024 status to qualified", "--policy", "supervised", "--json"],
                                                    environment: Self.agentEnvironment(w, s))
        #expect(asked.status == 1, "\(asked.stdout)")
        #expect(asked.stderr.contains("the supervision server presents decision key") && asked.stderr.contains("is pinned (\(pin.path))"), "\(asked.stderr)")
        #expect(try await w.lead()["status"] == "contacted")
        let runs = try await Self.http(.GET, s.url + "/v1/runs?status=all", token: s.approverToken)
        #expect(runs.json?["data"]?.arrayValue?.isEmpty == true, "nothing was proposed to a server whose key does not match")
    }
}
