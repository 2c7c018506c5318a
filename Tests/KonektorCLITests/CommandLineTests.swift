import AgentCore
import Foundation
import Testing
import TestSupport

/// The command-line contracts: output, diagnostics and exit codes of the real binary.
@Suite struct CommandLineTests {
    func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("konektor-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func helpAndUsageErrorsExit2() async throws {
        let help = try await CommandLineRunner.run(["--help"])
        #expect(help.status == 0 && help.stdout.contains("SUBCOMMANDS:") && help.stdout.contains("ask"))
        let bad = try await CommandLineRunner.run(["catalog", "--format", "xml"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("'xml' is invalid for '--format <format>'"))
        #expect(try await CommandLineRunner.run(["no-such-command"]).status == 2)
    }

    @Test func catalogTextMatchesGolden() async throws {
        let result = try await CommandLineRunner.run(["catalog"])
        #expect(result.status == 0)
        #expect(Golden.check(result.stdout, named: "catalog.txt").matches)
    }

    @Test func catalogReadsTheTextRenderingAndReportsDiagnostics() async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("SKILL.txt")
        try Fixtures.skillTextRendering.write(to: file, atomically: true, encoding: .utf8)
        let result = try await CommandLineRunner.run(["catalog", "--skill", file.path, "--format", "json", "--diagnostics"])
        #expect(result.status == 0)
        #expect(result.stderr.contains("\(file.path):124: warning: parameter row has no name; recovered 'email'"))
        #expect(Golden.check(result.stdout, named: "catalog.json").matches, "the text rendering gives the golden catalog")
        let missing = try await CommandLineRunner.run(["catalog", "--skill", directory.appendingPathComponent("none.md").path])
        #expect(missing.status == 1 && missing.stderr.contains("no file at"))
        let empty = directory.appendingPathComponent("empty.md")
        try "# Nothing here\n".write(to: empty, atomically: true, encoding: .utf8)
        let nothing = try await CommandLineRunner.run(["catalog", "--skill", empty.path])
        #expect(nothing.status == 1 && nothing.stderr.contains("error: no endpoints found"))
    }

    @Test func policyCommands() async throws {
        let list = try await CommandLineRunner.run(["policy", "list"])
        #expect(list.status == 0 && list.stdout.split(separator: "\n").count == 5)
        let show = try await CommandLineRunner.run(["policy", "show", "supervised"])
        #expect(Golden.check(show.stdout, named: "policy-show-supervised.txt").matches)
        let deny = try await CommandLineRunner.run(["policy", "explain", "--policy", "analyst", "updateLead", #"{"id":"lead_1","status":"won"}"#])
        #expect(deny.status == 4)
        #expect(deny.stdout == "deny: updateLead needs scope agent.leads.write, which the analyst policy does not allow\nrule: Policies/analyst.yaml:7 (scopes.allow)\n")
        let ok = try await CommandLineRunner.run(["policy", "explain", "getLead", #"{"id":"CRM 1024"}"#])
        #expect(ok.status == 0 && ok.stdout.contains("request: GET /api/v2/agent/leads/CRM%201024"))
        #expect(try await CommandLineRunner.run(["policy", "explain", "getLead", "{nope"]).status == 2)

        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let bad = directory.appendingPathComponent("mine.yaml")
        try "extends: analyst\nwrites: maybe\n".write(to: bad, atomically: true, encoding: .utf8)
        let check = try await CommandLineRunner.run(["policy", "check", bad.path])
        #expect(check.status == 1 && check.stdout.contains("\(bad.path):2: error: 'writes' is one of allow, confirm, approve, deny"))
        let good = directory.appendingPathComponent("ok.yaml")
        try "extends: supervised\nlimits:\n  writesPerSession: 5\n".write(to: good, atomically: true, encoding: .utf8)
        #expect(try await CommandLineRunner.run(["policy", "check", good.path]).status == 0)

        // A user policy in the XDG config folder replaces or adds to the shipped ones.
        let config = directory.appendingPathComponent("config/konektor/policies")
        try FileManager.default.createDirectory(at: config, withIntermediateDirectories: true)
        try "extends: default\nwrites: deny\ndescription: Mine.\n".write(to: config.appendingPathComponent("mine.yaml"), atomically: true, encoding: .utf8)
        let user = try await CommandLineRunner.run(["policy", "explain", "--policy", "mine", "createLead", #"{"firstName":"A"}"#],
                                             environment: ["XDG_CONFIG_HOME": directory.appendingPathComponent("config").path])
        #expect(user.status == 4 && user.stdout.contains("mine.yaml:2 (writes)"))
    }

    @Test func sandboxServePrintsOneJSONLineAndStopsOnSIGTERM() async throws {
        let process = Process()
        process.executableURL = CommandLineRunner.executable
        process.arguments = ["sandbox", "serve", "--port", "0", "--leads", "50", "--json", "--now", "2026-11-23T10:00:00+07:00"]
        process.environment = ["PATH": "/usr/bin:/bin", "HOME": NSTemporaryDirectory()]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let line = await CommandLineRunner.firstLine(out.fileHandleForReading, timeout: 60)
        let json = try JSONValue(parsing: line ?? "")
        let url = try #require(json["url"]?.stringValue)
        #expect(url.hasPrefix("http://127.0.0.1:"))
        let keys = try #require(json["keys"]?.arrayValue)
        #expect(keys.count == 7)
        #expect(keys.contains { $0["state"] == "revoked" } && keys.contains { $0["state"] == "expired" } && keys.contains { $0["plan"] == "free" })
        #expect(keys.first?["scopes"]?.arrayValue?.count == 6)
        // The catalog command reads the sandbox's own SKILL.md over HTTP, with nothing to recover.
        let fetched = try await CommandLineRunner.run(["catalog", "--skill", url + "/api/v2/agent/SKILL.md", "--diagnostics"])
        #expect(fetched.status == 0 && fetched.stderr.isEmpty, "\(fetched.stderr)")
        #expect(fetched.stdout.contains("upsertLead") && fetched.stdout.contains("12 tools, 4 of them write"))
        let missing = try await CommandLineRunner.run(["catalog", "--skill", url + "/api/v2/agent/NOPE.md"])
        #expect(missing.status == 1 && missing.stderr.contains("HTTP 404"))
        process.terminate()
        await CommandLineRunner.wait(process)
        #expect(process.terminationStatus == 0, "SIGTERM is a clean shutdown")
        let bad = try await CommandLineRunner.run(["sandbox", "serve", "--now", "yesterday"])
        #expect(bad.status == 2 && bad.stderr.contains("--now must be an ISO 8601 instant"))
    }
}

/// The audit log as two real processes use it, and as a reviewer reads it.
@Suite struct AuditCommandLineTests {
    @Test func twoProcessesAppendingKeepOneValidChain() async throws {
        let temp = try TemporaryDirectory("konektor-audit-cli")
        defer { temp.remove() }
        let log = temp.appending("audit").path
        let processes = (0..<2).map { _ in
            let p = Process()
            p.executableURL = CommandLineRunner.executable
            p.arguments = ["bench", "audit", "--append", "300", "--log", log]
            p.standardOutput = FileHandle.nullDevice
            return p
        }
        for p in processes { try p.run() }
        for p in processes { await CommandLineRunner.wait(p) }
        #expect(processes.allSatisfy { $0.terminationStatus == 0 })
        let verify = try await CommandLineRunner.run(["audit", "verify", "--log", log, "--pubkey", temp.appending("audit/.keys/audit-signing.pub").path])
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        #expect(verify.stdout.contains("intact (signed): 603 records"), "\(verify.stdout)")
    }

    @Test func aProcessKilledMidAppendLeavesAVerifiablePrefix() async throws {
        let temp = try TemporaryDirectory("konektor-audit-kill")
        defer { temp.remove() }
        let log = temp.appending("audit").path
        let p = Process()
        p.executableURL = CommandLineRunner.executable
        p.arguments = ["bench", "audit", "--append", "100000", "--log", log]
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        // Let it write for a while, then kill it without warning.
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            try await Task.sleep(for: .milliseconds(50))
            let files = (try? FileManager.default.contentsOfDirectory(atPath: log))?.filter { $0.hasSuffix(".jsonl") } ?? []
            if let file = files.first, let size = try? FileManager.default.attributesOfItem(atPath: "\(log)/\(file)")[.size] as? Int, size > 20_000 { break }
        }
        kill(p.processIdentifier, SIGKILL)
        await CommandLineRunner.wait(p)
        let pub = temp.appending("audit/.keys/audit-signing.pub").path
        let verify = try await CommandLineRunner.run(["audit", "verify", "--log", log, "--pubkey", pub])
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        #expect(verify.stdout.contains("no tampering found"), "\(verify.stdout)")
        // The next writer picks up where the killed one stopped.
        let next = try await CommandLineRunner.run(["bench", "audit", "--append", "5", "--log", log])
        #expect(next.status == 0)
        #expect(try await CommandLineRunner.run(["audit", "verify", "--log", log, "--pubkey", pub]).status == 0)
    }

    @Test func showExportStatsAndHead() async throws {
        let temp = try TemporaryDirectory("konektor-audit-read")
        defer { temp.remove() }
        let log = temp.appending("audit").path
        #expect(try await CommandLineRunner.run(["bench", "audit", "--append", "20", "--log", log]).status == 0)
        let show = try await CommandLineRunner.run(["audit", "show", "--log", log, "--kind", "checkpoint"])
        #expect(show.status == 0 && show.stdout.contains("checkpoint") && show.stdout.contains("signed up to #21"))
        let csv = try await CommandLineRunner.run(["audit", "export", "--log", log, "--format", "csv"])
        #expect(csv.stdout.hasPrefix("seq,time,session,user,kind,call,tool,method,path,lead,rule,decision,answer,by,how,status,requestId,hash,data\r\n"))
        #expect(csv.stdout.components(separatedBy: "\r\n").count == 24)
        let jsonl = try await CommandLineRunner.run(["audit", "export", "--log", log, "--tool", "listLeads"])
        #expect(jsonl.stdout.split(separator: "\n").count == 20)
        let stats = try await CommandLineRunner.run(["audit", "stats", "--log", log, "--json"])
        let counts = try JSONValue(parsing: stats.stdout)
        #expect(counts["byStatus"]?["200"] == 20 && counts["records"] == 22)
        let head = try await CommandLineRunner.run(["audit", "head", "--log", log])
        let anchor = try JSONValue(parsing: head.stdout)
        #expect(anchor["seq"] == 22 && anchor["upTo"] == 21)
        let anchorFile = temp.appending("head.json")
        try head.stdout.write(to: anchorFile, atomically: true, encoding: .utf8)
        let pub = temp.appending("audit/.keys/audit-signing.pub").path
        #expect(try await CommandLineRunner.run(["audit", "verify", "--log", log, "--pubkey", pub, "--head", anchorFile.path]).status == 0)
        // Cut the last record: the anchored head catches it.
        let file = try #require(try FileManager.default.contentsOfDirectory(atPath: log).first { $0.hasSuffix(".jsonl") })
        let path = "\(log)/\(file)"
        var lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        lines.removeLast()
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        let cut = try await CommandLineRunner.run(["audit", "verify", "--log", log, "--pubkey", pub, "--head", anchorFile.path])
        #expect(cut.status == 1 && cut.stderr.contains("truncated"))
    }
}

/// `konektor ask` and the REPL on the zero-configuration sandbox.
@Suite struct ConversationCommandLineTests {
    func environment(_ temp: TemporaryDirectory) -> [String: String] {
        ["XDG_CONFIG_HOME": temp.appending("config").path, "XDG_STATE_HOME": temp.appending("state").path]
    }

    @Test func askPrintsTheJSONContractAndExitCodes() async throws {
        let temp = try TemporaryDirectory("konektor-ask")
        defer { temp.remove() }
        let read = try await CommandLineRunner.run(["ask", "How many new leads this week?", "--json"], environment: environment(temp))
        #expect(read.status == 0, "\(read.stderr)")
        let json = try JSONValue(parsing: read.stdout)
        #expect(Set(json.objectValue!.keys) == ["answer", "outcome", "understood", "calls", "pending"])
        let call = try #require(json["calls"]?.arrayValue?.first)
        #expect(Set(call.objectValue!.keys) == ["tool", "method", "path", "query", "body", "decision", "rule", "confirmed", "status", "requestId", "rateLimitWaitSeconds"])
        #expect(call["path"] == "/api/v2/agent/analytics/summary" && call["query"] == ["timeframe": "current_week"] && call["status"] == 200)
        let write = try await CommandLineRunner.run(["ask", "Update lead CRM-1024 status to qualified", "--json"], environment: environment(temp))
        #expect(write.status == 4, "no terminal and no --yes: the write is refused")
        let dry = try await CommandLineRunner.run(["ask", "Update lead CRM-1024 status to qualified", "--json", "--dry-run", "--yes"], environment: environment(temp))
        let dryJSON = try JSONValue(parsing: dry.stdout)
        #expect(dry.status == 0 && dryJSON["calls"]?.arrayValue?.last?["status"] == .null)
        let denied = try await CommandLineRunner.run(["ask", "Update lead CRM-1024 status to lost", "--policy", "analyst"], environment: environment(temp))
        #expect(denied.status == 0 || denied.status == 4)
        #expect(try await CommandLineRunner.run(["ask", ""], environment: environment(temp)).status == 2)
        let verify = try await CommandLineRunner.run(["audit", "verify"], environment: environment(temp))
        #expect(verify.status == 0 && verify.stdout.contains("intact"), "\(verify.stdout)\(verify.stderr)")
    }

    @Test func liveModeFallsBackToTheBundledSkillWithAWarning() async throws {
        let temp = try TemporaryDirectory("konektor-live")
        defer { temp.remove() }
        let server = try await FaultServer.start(Array(repeating: .respond(status: 404, body: "<html>not here</html>"), count: 10))
        var env = environment(temp)
        env["KONEKTOR_API_KEY"] = "knk_live_0123456789abcdef"
        env["KONEKTOR_BASE_URL"] = server.baseURL
        let result = try await CommandLineRunner.run(["ask", "How many new leads this week?", "--json"], environment: env)
        #expect(result.stderr.contains("warning: could not fetch SKILL.md from \(server.baseURL) (fetching \(server.baseURL)/api/v2/agent/SKILL.md failed: HTTP 404 Not Found); using the bundled copy"), "\(result.stderr)")
        #expect(server.requests.first == "GET /api/v2/agent/SKILL.md HTTP/1.1")
        // The bundled catalog still plans the call; the API's 404 makes it a failed turn (exit 1), not a crash.
        let json = try JSONValue(parsing: result.stdout)
        #expect(json["calls"]?.arrayValue?.first?["tool"] == "getAnalyticsSummary" && json["calls"]?.arrayValue?.first?["status"] == 404)
        #expect(result.status == 1)
        #expect(!(result.stdout + result.stderr).contains("knk_live_0123456789abcdef"))
    }

    @Test func askBenchmarkRunsAndSeparatesRuntimeFromNetwork() async throws {
        let result = try await CommandLineRunner.run(["bench", "ask", "--processes", "1", "--turns", "4"], timeout: 120)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("whole process") && result.stdout.contains("runtime (validation + policy + audit)  min"), "\(result.stdout)")
    }

    @Test func promptBenchmarkComparesEachPolicyWithTheRawSkill() async throws {
        let result = try await CommandLineRunner.run(["bench", "prompt"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.first?.hasPrefix("raw SKILL.md (<bundled SKILL.md>): \(Fixtures.skillMarkdown.utf8.count) bytes") == true, "\(result.stdout)")
        for policy in ["default", "analyst", "supervised", "supervisor", "auditor"] {
            #expect(lines.contains { $0.hasPrefix(policy + " ") && $0.contains("×") }, "\(policy)")
        }
        #expect(lines.contains { $0.hasPrefix("auditor ") && $0.contains(" 0/") }, "the auditor is offered no tool")
    }

    @Test func pipedREPLAnswersEachLineAndKeepsNoHistory() async throws {
        let temp = try TemporaryDirectory("konektor-repl-pipe")
        defer { temp.remove() }
        var env = environment(temp)
        env["HOME"] = temp.url.path
        let result = try await CommandLineRunner.pipe("berapa lead baru minggu ini?\n/whoami\nWhich campaign generated the most leads?\n", environment: env)
        let text = result.stdout
        #expect(result.status == 0)
        #expect(text.contains("Lead dibuat, minggu ini ("), "\(text)")
        #expect(text.contains("Campaigns by leads"), "\(text)")
        #expect(text.contains("embedded sandbox"))
        #expect(!FileManager.default.fileExists(atPath: temp.appending("state/konektor/history").path))
    }

    @Test func aSlashCommandThatFailsIsOneBadLineAndTheSessionGoesOn() async throws {
        let temp = try TemporaryDirectory("konektor-repl-slash")
        defer { temp.remove() }
        var env = environment(temp)
        env["HOME"] = temp.url.path
        // The approvals store cannot be opened: a folder stands where its file should be.
        try FileManager.default.createDirectory(at: temp.appending("state/konektor/approvals.sqlite"), withIntermediateDirectories: true)
        let result = try await CommandLineRunner.pipe("/approvals\n/whoami\n", environment: env)
        let audit = (try? FileManager.default.contentsOfDirectory(atPath: temp.appending("state/konektor/audit").path)) ?? []
        let log = audit.filter { $0.hasSuffix(".jsonl") }.compactMap { try? String(contentsOf: temp.appending("state/konektor/audit/\($0)"), encoding: .utf8) }.joined()
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("error:"), "\(result.stderr)")
        #expect(result.stdout.contains("Policy"), "\(result.stdout)")
        #expect(log.contains("\"kind\":\"session-end\""))
    }

}
