import AgentCore
import Foundation
import Testing
import TestSupport

/// Exit codes, streams, dead and limiting servers, and the command line's manners, through the real binary.
@Suite struct FailingWellTests {
    func environment(_ temp: TemporaryDirectory) -> [String: String] {
        ["XDG_CONFIG_HOME": temp.appending("config").path, "XDG_STATE_HOME": temp.appending("state").path]
    }

    func script(_ temp: TemporaryDirectory, _ json: String) throws -> String {
        let file = temp.appending("script.json")
        try json.write(to: file, atomically: true, encoding: .utf8)
        return file.path
    }

    static let liveKey = "knk_live_0123456789abcdef"

    /// `ask … --json` against `server` as a live workspace.
    func askLive(_ temp: TemporaryDirectory, _ server: FaultServer) async throws -> CommandLineRunner.Result {
        var env = environment(temp)
        env["KONEKTOR_API_KEY"] = Self.liveKey
        env["KONEKTOR_BASE_URL"] = server.baseURL
        return try await CommandLineRunner.run(["ask", "How many new leads this week?", "--json"], environment: env)
    }

    // MARK: Exit codes and streams

    @Test func aRefusalByTheGateExits4AndLeavesStandardOutputEmpty() async throws {
        let temp = try TemporaryDirectory("konektor-deny")
        defer { temp.remove() }
        let file = try script(temp, #"{"steps": [{"calls": [{"name": "updateLead", "arguments": {"id": "lead_1", "status": "won"}}]}, {"answer": "Done."}]}"#)
        let result = try await CommandLineRunner.run(["ask", "Update lead CRM-1024 status to won", "--policy", "analyst", "--planner", "script:\(file)"],
                                                     environment: environment(temp))
        #expect(result.status == 4, "\(result.stderr)")
        #expect(result.stdout == "")
        #expect(result.stderr.contains("Done."))
    }

    @Test func aDryRunOffATerminalShowsThePlanAndExits0() async throws {
        let temp = try TemporaryDirectory("konektor-dry")
        defer { temp.remove() }
        let result = try await CommandLineRunner.run(["ask", "Update lead CRM-1024 status to qualified", "--dry-run"], environment: environment(temp))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("dry run, not sent:\n  PATCH /api/v2/agent/leads/lead_"), "\(result.stdout)")
        #expect(result.stdout.contains(#"{"status":"qualified"}"#))
        #expect(!result.stderr.contains("no one is at a terminal"))
        let json = try await CommandLineRunner.run(["ask", "Update lead CRM-1024 status to qualified", "--dry-run", "--json"], environment: environment(temp))
        #expect(json.status == 0)
        let last = try JSONValue(parsing: json.stdout)["calls"]?.arrayValue?.last
        #expect(last?["method"] == "PATCH")
        #expect(last?["status"] == .null)
    }

    @Test func anAPIErrorGoesToStandardErrorAndExits1() async throws {
        let temp = try TemporaryDirectory("konektor-api-error")
        defer { temp.remove() }
        let server = try await FaultServer.start(
            [.respond(status: 200, body: Fixtures.skillMarkdown), .respond(status: 200, body: #"{"success":true,"data":{"displayName":"Toko"}}"#)]
                + Array(repeating: .respond(status: 404, body: #"{"success":false,"error":{"code":"NOT_FOUND","message":"gone","details":null}}"#), count: 6))
        defer { Task { await server.shutdown() } }
        var env = environment(temp)
        env["KONEKTOR_API_KEY"] = "knk_live_0123456789abcdef"
        env["KONEKTOR_BASE_URL"] = server.baseURL
        let result = try await CommandLineRunner.run(["ask", "How many new leads this week?"], environment: env)
        #expect(result.status == 1)
        #expect(result.stdout == "", "ask … > out.txt holds only an answer")
        #expect(result.stderr.contains("not found: gone"), "\(result.stderr)")
    }

    @Test func thePipedREPLPrintsOnlyAnswersOnStandardOutput() async throws {
        let temp = try TemporaryDirectory("konektor-repl-streams")
        defer { temp.remove() }
        var env = environment(temp)
        env["HOME"] = temp.url.path
        let result = try await CommandLineRunner.pipe("How many new leads this week?\n", environment: env)
        #expect(result.status == 0)
        #expect(!result.stdout.contains("konektor on the embedded sandbox"), "the banner belongs on stderr")
        #expect(!result.stdout.contains("/help lists commands"))
        #expect(result.stdout.contains("Leads created, this week"), "\(result.stdout)")
    }

    // MARK: Dead and limiting servers

    @Test func nothingListeningFailsAtOnceWithOneSentenceNamingTheURL() async throws {
        let temp = try TemporaryDirectory("konektor-dead")
        defer { temp.remove() }
        let dead = try RefusingPort()
        let url = dead.baseURL
        defer { withExtendedLifetime(dead) {} }
        var env = environment(temp)
        env["KONEKTOR_API_KEY"] = "knk_live_0123456789abcdef"
        env["KONEKTOR_BASE_URL"] = url
        // It used to take 57 s; the bound here is generous for a loaded 2-core machine and far below that.
        let result = try await CommandLineRunner.run(["ask", "How many new leads this week?", "--json"], environment: env, timeout: 15)
        #expect(result.status == 1)
        #expect(result.stdout == "")
        #expect(result.stderr == "konektor: nothing is listening at \(url) (connection refused); start the server there, or point KONEKTOR_BASE_URL at the right one\n")
    }

    @Test func aRateLimitWaitIsInTheCallRecord() async throws {
        let temp = try TemporaryDirectory("konektor-429")
        defer { temp.remove() }
        let server = try await FaultServer.start([
            .respond(status: 200, body: Fixtures.skillMarkdown),
            .respond(status: 200, body: #"{"success":true,"data":{"displayName":"Toko","timezone":"Asia/Jakarta"}}"#),
            .respond(status: 429, headers: [("Retry-After", "1")], body: #"{"success":false,"error":{"code":"RATE_LIMITED","message":"slow down","details":null}}"#),
            .respond(status: 200, body: #"{"success":true,"data":{"totalLeads":5,"newLeads":2}}"#),
        ])
        defer { Task { await server.shutdown() } }
        let result = try await askLive(temp, server)
        #expect(result.status == 0, "\(result.stderr)")
        let call = try #require(try JSONValue(parsing: result.stdout)["calls"]?.arrayValue?.first)
        #expect(call["status"] == 200)
        #expect(call["rateLimitWaitSeconds"] == 1)
        #expect(server.requests.count == 4)
    }

    /// `ask` asks for SKILL.md while its command line is parsed: once, without the key, and its connection serves the turn.
    @Test func theSkillDocumentAskedForEarlyIsAskedOnceWithoutTheKey() async throws {
        let temp = try TemporaryDirectory("konektor-prefetch")
        defer { temp.remove() }
        let server = try await FaultServer.start([
            .respond(status: 200, body: Fixtures.skillMarkdown),
            .respond(status: 200, body: #"{"success":true,"data":{"displayName":"Toko","timezone":"Asia/Jakarta"}}"#),
            .respond(status: 200, body: #"{"success":true,"data":{"totalLeads":5,"newLeads":2}}"#),
        ])
        defer { Task { await server.shutdown() } }
        let result = try await askLive(temp, server)
        #expect(result.status == 0, "\(result.stderr)")
        let received = server.received
        #expect(received.filter { $0.path.hasSuffix("/SKILL.md") }.count == 1)
        #expect(received.first?.path == "/api/v2/agent/SKILL.md")
        #expect(received.first?.header("Authorization") == nil)
        #expect(received.dropFirst().allSatisfy { $0.header("Authorization") == "Bearer \(Self.liveKey)" })
    }

    // MARK: Manners

    @Test func misspeltCommandsPoliciesAndPlannersGetASuggestion() async throws {
        let temp = try TemporaryDirectory("konektor-typos")
        defer { temp.remove() }
        let command = try await CommandLineRunner.run(["aks", "How many leads?"], environment: environment(temp))
        #expect(command.status == 2)
        #expect(command.stderr.hasPrefix("konektor: unknown command 'aks'; did you mean 'ask'?"), "\(command.stderr)")
        let policy = try await CommandLineRunner.run(["ask", "How many leads?", "--policy", "analsyt"], environment: environment(temp))
        #expect(policy.status == 2)
        #expect(policy.stderr.hasPrefix("konektor: unknown policy 'analsyt' (from --policy); did you mean 'analyst'?"), "\(policy.stderr)")
        var env = environment(temp)
        env["KONEKTOR_POLICY"] = "supervsied"
        let variable = try await CommandLineRunner.run(["ask", "How many leads?"], environment: env)
        #expect(variable.status == 2)
        #expect(variable.stderr.hasPrefix("konektor: unknown policy 'supervsied' (from KONEKTOR_POLICY); did you mean 'supervised'?"), "\(variable.stderr)")
        let planner = try await CommandLineRunner.run(["ask", "How many leads?", "--planner", "antropic:claude"], environment: environment(temp))
        #expect(planner.status == 2)
        #expect(planner.stderr.contains("unknown planner 'antropic:claude'; did you mean 'anthropic:claude'?"), "\(planner.stderr)")
        let far = try await CommandLineRunner.run(["frobnicate"], environment: environment(temp))
        #expect(far.status == 2)
        #expect(!far.stderr.contains("did you mean"), "no suggestion when nothing is close")
    }

    @Test func helpEnvironmentListsEveryVariableKonektorReads() async throws {
        let result = try await CommandLineRunner.run(["help", "environment"])
        #expect(result.status == 0)
        #expect(Golden.check(result.stdout, named: "help-environment.txt").matches, "\(result.stdout)")
        for name in try Self.variablesReadBySources() {
            #expect(result.stdout.contains("  \(name) "), "\(name) is read by konektor but not listed")
        }
    }

    @Test func exitCodesAreDocumentedWhereAPersonLooks() async throws {
        let codes = try await CommandLineRunner.run(["help", "exit-codes"])
        #expect(codes.status == 0)
        #expect(Golden.check(codes.stdout, named: "help-exit-codes.txt").matches, "\(codes.stdout)")
        let ask = try await CommandLineRunner.run(["ask", "--help"])
        #expect(ask.stdout.contains("EXIT CODES:"))
        #expect(ask.stdout.contains("5  not acted on"))
        #expect(ask.stdout.contains("EXAMPLES:"))
        let root = try await CommandLineRunner.run(["--help"])
        #expect(root.stdout.contains("EXAMPLES:"))
        #expect(root.stdout.contains("konektor help environment"))
        let readme = try String(contentsOf: Self.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(readme.contains("5 not acted on"), "the README documents exit 5")
    }

    @Test func policyCommandsSpeakJSONForScripts() async throws {
        let temp = try TemporaryDirectory("konektor-policy-json")
        defer { temp.remove() }
        let list = try await CommandLineRunner.run(["policy", "list", "--json"], environment: environment(temp))
        #expect(list.status == 0)
        let names = try JSONValue(parsing: list.stdout).arrayValue?.compactMap { $0["name"]?.stringValue }
        #expect(names == ["analyst", "auditor", "default", "supervised", "supervisor"])
        let show = try await CommandLineRunner.run(["policy", "show", "analyst", "--json"], environment: environment(temp))
        #expect(show.status == 0)
        let analyst = try JSONValue(parsing: show.stdout)
        #expect(analyst["name"] == "analyst")
        #expect(analyst["toolsOffered"]?.arrayValue?.contains("updateLead") == false)
        let explain = try await CommandLineRunner.run(["policy", "explain", "--policy", "analyst", "updateLead", #"{"id":"lead_1","status":"won"}"#, "--json"],
                                                      environment: environment(temp))
        #expect(explain.status == 4)
        let decision = try JSONValue(parsing: explain.stdout)
        #expect(decision["verdict"] == "deny")
        #expect(decision["rule"] == "Policies/analyst.yaml:7 (scopes.allow)")
        let bad = temp.appending("mine.yaml")
        try "name: mine\nwrites: sometimes\n".write(to: bad, atomically: true, encoding: .utf8)
        let check = try await CommandLineRunner.run(["policy", "check", bad.path, "--json"], environment: environment(temp))
        #expect(check.status == 1)
        let report = try JSONValue(parsing: check.stdout)
        #expect(report["valid"] == false)
        #expect(report["diagnostics"]?[0]?["line"] == 2, "\(check.stdout)")
        let typo = try await CommandLineRunner.run(["policy", "show", "analsyt"], environment: environment(temp))
        #expect(typo.status == 2)
        #expect(typo.stderr.contains("did you mean 'analyst'?"))
    }

    static var packageRoot: URL {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url
    }

    /// Every `KONEKTOR_*`, `OPENAI_*`, `ANTHROPIC_*` and `XDG_*` name, and `NO_COLOR`, quoted in the product's sources.
    static func variablesReadBySources() throws -> Set<String> {
        let sources = packageRoot.appendingPathComponent("Sources")
        var names = Set<String>()
        let pattern = try Regex(#""((?:KONEKTOR|OPENAI|ANTHROPIC|XDG)_[A-Z_]+|NO_COLOR)""#)
        for case let file as URL in FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)! where file.pathExtension == "swift" {
            let text = try String(contentsOf: file, encoding: .utf8)
            for match in text.matches(of: pattern) { names.insert(String(text[match.range].dropFirst().dropLast())) }
        }
        return names
    }
}
