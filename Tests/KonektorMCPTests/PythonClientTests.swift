import AgentCore
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import TestSupport

/// The real `konektor mcp` binary driven by an independent client, the Python MCP SDK (installed in .venv by scripts/test),
/// over stdio and streamable HTTP, against a real `konektor sandbox serve`.
@Suite(.serialized) struct PythonClientTests {
    /// A process started in the background, stopped (SIGTERM, then awaited) by ``stop()``.
    struct Background {
        let process: Process
        let firstLine: String

        static func start(_ arguments: [String], environment: [String: String]) async throws -> Background {
            let process = Process()
            process.executableURL = CommandLineRunner.executable
            process.arguments = arguments
            process.environment = environment
            let out = Pipe()
            process.standardOutput = out
            process.standardError = FileHandle.nullDevice
            try process.run()
            let line = await CommandLineRunner.firstLine(out.fileHandleForReading, timeout: 90) ?? ""
            return Background(process: process, firstLine: line)
        }

        func stop() async {
            if process.isRunning { process.terminate() }
            await CommandLineRunner.wait(process)
        }
    }

    /// One sandbox, one temporary XDG home, and the client's environment.
    struct World {
        let temp: TemporaryDirectory
        let sandbox: Background
        let url: String
        let key: String
        var environment: [String: String]

        static func make() async throws -> World {
            let temp = try TemporaryDirectory("konektor-mcp")
            let base = ["PATH": "/usr/bin:/bin", "HOME": temp.url.path, "NO_COLOR": "1",
                        "XDG_CONFIG_HOME": temp.appending("config").path, "XDG_STATE_HOME": temp.appending("state").path]
            let sandbox = try await Background.start(["sandbox", "serve", "--port", "0", "--leads", "300", "--json", "--now", "2026-11-23T10:00:00+07:00"],
                                                     environment: base)
            let line = try JSONValue(parsing: sandbox.firstLine)
            let url = try #require(line["url"]?.stringValue)
            let key = try #require(line["keys"]?.arrayValue?.first { $0["role"] == "full" }?["key"]?.stringValue)
            var environment = base
            environment["KONEKTOR_API_KEY"] = key
            environment["KONEKTOR_BASE_URL"] = url
            environment["KONEKTOR_BIN"] = CommandLineRunner.executable.path
            environment["SANDBOX_URL"] = url
            environment["SANDBOX_KEY"] = key
            environment["KONEKTOR_TRANSCRIPT"] = temp.appending("transcript").path
            return World(temp: temp, sandbox: sandbox, url: url, key: key, environment: environment)
        }

        func finish() async {
            await sandbox.stop()
            temp.remove()
        }

        /// What the MCP client received and sent over stdio, byte for byte.
        var transcript: Data {
            let base = environment["KONEKTOR_TRANSCRIPT"]!
            return (FileManager.default.contents(atPath: base + ".out") ?? Data()) + (FileManager.default.contents(atPath: base + ".in") ?? Data())
        }

        func konektor(_ arguments: [String]) async throws -> CommandLineRunner.Result {
            try await CommandLineRunner.run(arguments, environment: environment, timeout: 60)
        }
    }

    static var packageRoot: URL {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url
    }

    /// Runs the Python client for one scenario; returns what it printed as JSON.
    static func drive(_ scenario: String, transport: [String], world: World, elicit: String = "") async throws -> JSONValue {
        let python = packageRoot.appendingPathComponent(".venv/bin/python")
        guard FileManager.default.isExecutableFile(atPath: python.path) else {
            Issue.record(".venv/bin/python is missing: scripts/test installs the Python MCP SDK (mcp 2.3.0) there")
            return .null
        }
        let process = Process()
        process.executableURL = python
        process.arguments = [packageRoot.appendingPathComponent("Tests/KonektorMCPTests/Clients/drive_konektor_mcp.py").path, scenario] + transport
        var environment = world.environment
        environment["ELICIT"] = elicit
        process.environment = environment
        let out = Pipe()
        let errorFile = world.temp.appending("python-\(scenario).err")
        FileManager.default.createFile(atPath: errorFile.path, contents: nil)
        process.standardOutput = out
        process.standardError = try FileHandle(forWritingTo: errorFile)
        try process.run()
        let data = await CommandLineRunner.readToEnd(out.fileHandleForReading)
        await CommandLineRunner.wait(process)
        let errors = (try? String(contentsOf: errorFile, encoding: .utf8)) ?? ""
        guard process.terminationStatus == 0 else {
            Issue.record("the Python client failed (\(process.terminationStatus)): \(errors.suffix(3000))")
            return .null
        }
        return try JSONValue(parsing: String(decoding: data, as: UTF8.self))
    }

    /// The forms a key could take in bytes a client receives.
    static func forms(of key: String) -> [String] {
        let bytes = Data(key.utf8)
        return [key, bytes.base64EncodedString(), bytes.map { String(format: "%02x", $0) }.joined(), bytes.map { String(format: "%02X", $0) }.joined(),
                key.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? key]
    }

    static func contains(_ haystack: Data, _ needle: String) -> Bool {
        haystack.range(of: Data(needle.utf8)) != nil
    }

    static func tools(_ value: JSONValue) -> [String] { value["tools"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? [] }

    // MARK: - stdio

    @Test func stdioAnalystListsNoWritesAndReadsTheSandboxsFigure() async throws {
        let world = try await World.make()
        let out = try await Self.drive("analyst", transport: ["stdio", "--policy", "analyst"], world: world)
        await world.finish()
        #expect(!Self.tools(out).isEmpty)
        #expect(Set(Self.tools(out)).isDisjoint(with: ["createLead", "updateLead", "upsertLead"]))
        #expect(out["summary"]?["value"]?["data"]?["totalLeads"] == out["sandboxSummary"]?["totalLeads"])
        #expect(out["write"]?["value"]?["error"]?["kind"] == "denied")
        #expect(out["resources"] == ["konektor://catalog/SKILL.md", "konektor://policy/effective"])
        #expect(out["policyText"]?.stringValue?.hasPrefix("policy analyst") == true)
    }

    @Test func stdioWriteIsDeclinedThenAcceptedAndTheLogShowsEachStep() async throws {
        let world = try await World.make()
        let out = try await Self.drive("confirm", transport: ["stdio"], world: world, elicit: "decline,accept")
        let verify = try await world.konektor(["audit", "verify"])
        let shown = try await world.konektor(["audit", "show", "--json"])
        let transcript = world.transcript
        await world.finish()
        #expect(out["first"]?["value"]?["error"]?["kind"] == "not-confirmed")
        #expect(out["afterFirst"] == "new", "declined: nothing was sent")
        #expect(out["second"]?["isError"] == false)
        #expect(out["afterSecond"] == "qualified")
        #expect(out["asked"]?.arrayValue?.first?["message"]?.stringValue?.contains("status: new → qualified") == true)
        #expect(verify.status == 0 && verify.stdout.contains("intact"), "\(verify.stdout)\(verify.stderr)")
        let records = shown.stdout.split(separator: "\n").compactMap { try? JSONValue(parsing: String($0)) }
        let kinds = records.compactMap { $0["kind"]?.stringValue }
        #expect(records.first { $0["kind"] == "session-start" }?["data"]?["planner"] == "mcp:konektor-test-client/1.2.3")
        #expect(records.filter { $0["kind"] == "confirmation" }.compactMap { $0["data"]?["answer"]?.stringValue } == ["no", "yes"])
        #expect(records.filter { $0["kind"] == "confirmation" }.allSatisfy { $0["data"]?["how"] == "elicitation" })
        #expect(records.filter { $0["kind"] == "http-request" && $0["data"]?["method"] == "PATCH" }.count == 1, "accepted: sent once")
        #expect(kinds.contains("session-end"))
        #expect(!transcript.isEmpty)
        #expect(Self.forms(of: world.key).allSatisfy { !Self.contains(transcript, $0) }, "the API key in no form in the stdio transcript")
    }

    @Test func stdioClientWithoutElicitationIsToldTheWriteNeedsConfirmation() async throws {
        let world = try await World.make()
        let out = try await Self.drive("noelicit", transport: ["stdio"], world: world)
        await world.finish()
        #expect(out["first"]?["value"]?["error"]?["kind"] == "not-confirmed")
        #expect(out["first"]?["value"]?["error"]?["message"]?.stringValue?.contains("does not support elicitation") == true)
        #expect(out["afterFirst"] == "new")
    }

    @Test func stdioSupervisedWriteWaitsForAPersonAndRunsOnce() async throws {
        let world = try await World.make()
        let out = try await Self.drive("supervised", transport: ["stdio", "--supervised"], world: world)
        let verify = try await world.konektor(["audit", "verify"])
        let shown = try await world.konektor(["audit", "show", "--json"])
        await world.finish()
        #expect(out["proposed"]?["value"]?["pending"]?["state"] == "pending")
        #expect(out["beforeDecision"]?["value"]?["pending"]?["state"] == "pending")
        #expect(out["afterProposal"] == "new", "nothing sent before the approval")
        #expect(out["approve"]?["status"] == 0)
        #expect(out["outcome"]?["value"]?["state"] == "executed")
        #expect(out["again"]?["value"]?["state"] == "executed", "asking again reports, never re-runs")
        #expect(out["afterApproval"] == "contacted")
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        let kinds = shown.stdout.split(separator: "\n").compactMap { try? JSONValue(parsing: String($0))["kind"]?.stringValue }
        #expect(["approval-proposed", "approval-approved", "approval-executing", "approval-executed"].allSatisfy(kinds.contains))
        let patches = shown.stdout.split(separator: "\n").compactMap { try? JSONValue(parsing: String($0)) }
            .filter { $0["kind"] == "http-request" && $0["data"]?["method"] == "PATCH" }
        #expect(patches.count == 1)
    }

    @Test func stdioHostileClientGetsErrorsNeverACrash() async throws {
        let world = try await World.make()
        let out = try await Self.drive("hostile", transport: ["stdio", "--turn-gap", "3600"], world: world)
        await world.finish()
        #expect(out["unknown"]?["value"]?["error"]?["kind"] == "denied")
        #expect(out["hugeName"]?["isError"] == true)
        #expect(out["wrongType"]?["value"]?["error"]?["kind"] == "invalid")
        #expect(out["extra"]?["value"]?["error"]?["details"]?["__proto__"] != nil)
        #expect(out["oversized"]?["value"]?["error"]?["message"]?.stringValue?.contains("more than the 65536") == true)
        #expect(out["noArguments"] != nil)
        let flood = out["flood"]?.arrayValue ?? []
        let limited = flood.filter { $0["value"]?["error"]?["rule"]?.stringValue?.contains("limits.callsPerTurn") == true }
        #expect(flood.count == 40)
        #expect((37...38).contains(limited.count), "the calls before the flood count in its turn: 2 or 3 of the 8 are left for it")
        #expect((out["afterFlood"]?.intValue ?? 0) > 0, "still serving")
    }

    // MARK: - streamable HTTP

    /// Starts `konektor mcp --http` and returns it with its URL and token file.
    static func httpServer(_ world: World, _ arguments: [String]) async throws -> (Background, String, String) {
        let server = try await Background.start(["mcp", "--http", "--port", "0", "--json", "--token-file", world.temp.appending("token").path] + arguments,
                                                environment: world.environment)
        let line = try JSONValue(parsing: server.firstLine)
        return (server, try #require(line["url"]?.stringValue), try #require(line["tokenFile"]?.stringValue))
    }

    @Test func httpAnalystListsNoWritesAndReadsTheSandboxsFigure() async throws {
        let world = try await World.make()
        let (server, url, token) = try await Self.httpServer(world, ["--policy", "analyst"])
        let out = try await Self.drive("analyst", transport: ["http", url, token], world: world)
        await server.stop()
        await world.finish()
        #expect(Set(Self.tools(out)).isDisjoint(with: ["createLead", "updateLead", "upsertLead"]))
        #expect(out["summary"]?["value"]?["data"]?["totalLeads"] == out["sandboxSummary"]?["totalLeads"])
    }

    @Test func httpWriteIsDeclinedThenAccepted() async throws {
        let world = try await World.make()
        let (server, url, token) = try await Self.httpServer(world, [])
        let out = try await Self.drive("confirm", transport: ["http", url, token], world: world, elicit: "decline,accept")
        await server.stop()
        let verify = try await world.konektor(["audit", "verify"])
        await world.finish()
        #expect(out["afterFirst"] == "new")
        #expect(out["afterSecond"] == "qualified")
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
    }

    @Test func httpSupervisedWriteWaitsForAPersonAndRunsOnce() async throws {
        let world = try await World.make()
        let (server, url, token) = try await Self.httpServer(world, ["--supervised"])
        let out = try await Self.drive("supervised", transport: ["http", url, token], world: world)
        await server.stop()
        await world.finish()
        #expect(out["afterProposal"] == "new")
        #expect(out["outcome"]?["value"]?["state"] == "executed")
        #expect(out["afterApproval"] == "contacted")
    }

    @Test func httpRefusesAMissingTokenAndAnOversizedBody() async throws {
        let world = try await World.make()
        let (server, url, tokenFile) = try await Self.httpServer(world, [])
        let token = try String(contentsOfFile: tokenFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let noToken = try await Self.post(url, body: Data("{}".utf8), token: nil)
        let huge = try await Self.post(url, body: Data(repeating: 0x41, count: 2 << 20), token: token)
        let hostile = try await Self.drive("hostile", transport: ["http", url, tokenFile], world: world)
        await server.stop()
        let mode = try FileManager.default.attributesOfItem(atPath: tokenFile)[.posixPermissions] as? Int
        await world.finish()
        #expect(noToken == 401)
        #expect(huge == 413)
        #expect(hostile["afterFlood"] != nil, "still serving after a flood over HTTP")
        #expect(mode == 0o600)
    }

    /// POSTs a body to the gateway and returns the status code.
    static func post(_ url: String, body: Data, token: String?) async throws -> Int {
        var request = URLRequest(url: URL(string: url)!)
        request.httpMethod = "POST"
        request.httpBody = body
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue("application/json, text/event-stream", forHTTPHeaderField: "Accept")
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        let box = Unchecked(request)
        return try await CommandLineRunner.offload {
            let semaphore = DispatchSemaphore(value: 0)
            nonisolated(unsafe) var status = 0
            URLSession.shared.dataTask(with: box.value) { _, response, _ in
                status = (response as? HTTPURLResponse)?.statusCode ?? 0
                semaphore.signal()
            }.resume()
            semaphore.wait()
            return status
        }
    }
}
