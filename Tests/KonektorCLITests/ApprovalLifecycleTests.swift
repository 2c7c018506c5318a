import AgentCore
import Foundation
import GRDB
import Testing
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// The whole life of a pending action across processes: one konektor proposes (and maybe waits), others decide and run.
@Suite(.serialized) struct ApprovalLifecycleTests {
    /// A live-mode environment against a loopback sandbox, with its own config and state folders.
    struct World {
        let h: SandboxHarness
        let temp: TemporaryDirectory
        var environment: [String: String] {
            ["KONEKTOR_API_KEY": h.key("full"), "KONEKTOR_BASE_URL": h.baseURL, "XDG_CONFIG_HOME": temp.appending("config").path,
             "XDG_STATE_HOME": temp.appending("state").path, "HOME": temp.url.path, "PATH": "/usr/bin:/bin", "NO_COLOR": "1", "USER": "tester"]
        }

        static func make() async throws -> World {
            World(h: try await SandboxHarness(leads: 200), temp: try TemporaryDirectory("konektor-approvals-cli"))
        }

        func run(_ arguments: [String]) async throws -> CommandLineRunner.Result { try await CommandLineRunner.run(arguments, environment: environment) }

        /// Starts `konektor` in the background; its output is read when it ends.
        func start(_ arguments: [String]) throws -> Running {
            let process = Process()
            process.executableURL = CommandLineRunner.executable
            process.arguments = arguments
            process.environment = environment
            let out = temp.appending("out-\(UUID().uuidString)"), err = temp.appending("err-\(UUID().uuidString)")
            FileManager.default.createFile(atPath: out.path, contents: nil)
            FileManager.default.createFile(atPath: err.path, contents: nil)
            process.standardOutput = try FileHandle(forWritingTo: out)
            process.standardError = try FileHandle(forWritingTo: err)
            process.standardInput = FileHandle.nullDevice
            try process.run()
            return Running(process: process, out: out, err: err)
        }

        /// Waits until an action is pending, and returns its reference.
        func pendingReference(timeout: TimeInterval = 30) async throws -> String {
            let deadline = Date().addingTimeInterval(timeout)
            while Date() < deadline {
                let list = try await run(["approvals", "list", "--json"])
                if let reference = (try? JSONValue(parsing: list.stdout))?[0]?["reference"]?.stringValue { return reference }
                try await Task.sleep(for: .milliseconds(200))
            }
            throw CancellationError()
        }

        func lead() async throws -> JSONValue { try await h.get("/api/v2/agent/leads?search=CRM-1024").data[0] ?? .null }

        func auditKinds() async throws -> [String] {
            let show = try await run(["audit", "export"])
            return show.stdout.split(separator: "\n").compactMap { (try? JSONValue(parsing: String($0)))?["kind"]?.stringValue }
        }

        func shutdown() async {
            await h.shutdown()
            temp.remove()
        }
    }

    struct Running {
        let process: Process
        let out: URL
        let err: URL
        func finish(timeout: TimeInterval = 60) async -> (status: Int32, stdout: String, stderr: String) {
            let deadline = Date().addingTimeInterval(timeout)
            while process.isRunning, Date() < deadline { try? await Task.sleep(for: .milliseconds(50)) }
            if process.isRunning { process.terminate() }
            await CommandLineRunner.wait(process)
            return (process.terminationStatus, (try? String(contentsOf: out, encoding: .utf8)) ?? "", (try? String(contentsOf: err, encoding: .utf8)) ?? "")
        }
    }

    static let update = ["ask", "Update lead CRM-1024 status to qualified", "--policy", "supervised", "--json"]

    @Test func oneSessionProposesAndWaitsAnotherApproves() async throws {
        let w = try await World.make()
        defer { Task { await w.shutdown() } }
        let waiting = try w.start(Self.update + ["--wait", "60"])
        let reference = try await w.pendingReference()
        let shown = try await w.run(["approvals", "show", reference])
        #expect(shown.stdout.contains(#""current": {"#) && shown.stdout.contains(#""status": "contacted""#) && shown.stdout.contains(#""user": "tester""#))
        #expect(try await w.lead()["status"] == "contacted", "nothing is sent before the decision")
        let approve = try await w.run(["approvals", "approve", reference, "--note", "checked with sales"])
        #expect(approve.status == 0 && approve.stdout.hasPrefix("approved \(reference)"), "\(approve.stderr)")
        let done = await waiting.finish()
        #expect(done.status == 0, "\(done.stderr)")
        let json = try JSONValue(parsing: done.stdout)
        #expect(json["calls"]?.arrayValue?.last?["status"] == 200 && json["pending"] == [])
        #expect(try await w.lead()["status"] == "qualified")
        let kinds = try await w.auditKinds()
        for kind in ["approval-proposed", "approval-approved", "approval-executing", "approval-executed"] { #expect(kinds.contains(kind), "\(kind)") }
        let note = try await w.run(["audit", "show", "--kind", "approval-approved"])
        #expect(note.stdout.contains("checked with sales") && note.stdout.contains("tester@"))
        #expect(try await w.run(["audit", "verify"]).status == 0)
    }

    @Test func aRejectionEndsTheWaitAndNothingIsSent() async throws {
        let w = try await World.make()
        defer { Task { await w.shutdown() } }
        let waiting = try w.start(Self.update + ["--wait"])
        let reference = try await w.pendingReference()
        #expect(try await w.run(["approvals", "reject", reference, "--note", "wrong lead"]).status == 0)
        let done = await waiting.finish()
        #expect(done.status == 4)
        #expect((try JSONValue(parsing: done.stdout))["answer"]?.stringValue?.contains("rejected by tester@") == true)
        #expect(try await w.lead()["status"] == "contacted")
        #expect(try await w.auditKinds().contains("approval-rejected"))
        #expect(try await w.run(["approvals", "approve", reference]).status == 4, "a rejected action cannot be approved later")
    }

    @Test func anUndecidedActionExpires() async throws {
        let w = try await World.make()
        defer { Task { await w.shutdown() } }
        let done = await (try w.start(Self.update + ["--expires-in", "1", "--wait"])).finish()
        #expect(done.status == 4, "expired counts as rejected: \(done.stderr)")
        let list = try JSONValue(parsing: try await w.run(["approvals", "list", "--all", "--json"]).stdout)
        #expect(list[0]?["state"] == "expired")
        let late = try await w.run(["approvals", "approve", list[0]?["reference"]?.stringValue ?? "?"])
        #expect(late.status == 4 && late.stderr.contains("expired before anyone decided"))
        #expect(try await w.auditKinds().filter { $0 == "approval-expired" }.count == 1, "recorded once, though two processes saw it")
        #expect(try await w.lead()["status"] == "contacted")
    }

    @Test func twoApproversRacingAndACrashBetweenApprovalAndExecution() async throws {
        let w = try await World.make()
        defer { Task { await w.shutdown() } }
        let waiting = try w.start(Self.update + ["--wait"])
        let reference = try await w.pendingReference()
        // The action is listed a moment before the proposer has recorded it; frozen in between, it would hold the audit log's
        // lock and every approver would wait on it (a CI run saw that). It is frozen once it is only waiting.
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline, !(try await w.auditKinds().contains("approval-proposed")) { try await Task.sleep(for: .milliseconds(100)) }
        try await Task.sleep(for: .milliseconds(300))
        // The proposer freezes, two people approve at once, and the proposer dies before it could run anything.
        kill(waiting.process.processIdentifier, SIGSTOP)
        let a = try w.start(["approvals", "approve", reference]), b = try w.start(["approvals", "approve", reference])
        let first = await a.finish(), second = await b.finish()
        let outcomes = [first.status, second.status].sorted()
        #expect(outcomes == [0, 4], "exactly one approval counts: \(first.stderr) | \(second.stderr)")
        kill(waiting.process.processIdentifier, SIGKILL)
        _ = await waiting.finish()
        #expect((try JSONValue(parsing: try await w.run(["approvals", "list", "--json"]).stdout))[0]?["state"] == "approved")
        #expect(try await w.lead()["status"] == "contacted")
        // Another process runs it, once.
        let ran = try await w.run(["approvals", "run", reference, "--policy", "supervised"])
        #expect(ran.status == 0 && ran.stdout.contains("→ 200"), "\(ran.stderr)")
        let again = try await w.run(["approvals", "run", reference, "--policy", "supervised"])
        #expect(again.status == 4 && again.stderr.contains("is executed, not approved"))
        #expect(try await w.lead()["status"] == "qualified")
        let patches = try await w.run(["audit", "export"]).stdout.split(separator: "\n").filter { $0.contains(#""kind":"http-request""#) && $0.contains(#""PATCH""#) }
        #expect(patches.count == 1, "the write went out once")
    }

    @Test func aTamperedStoredArgumentOrAChangedLeadIsRefused() async throws {
        let w = try await World.make()
        defer { Task { await w.shutdown() } }
        let proposed = try await w.run(Self.update)
        #expect(proposed.status == 3 && proposed.stderr.contains("waiting for a person's approval"))
        let reference = try #require((try JSONValue(parsing: proposed.stdout))["pending"]?[0]?["approval"]?.stringValue)
        // Someone edits the stored arguments behind konektor's back.
        let db = try DatabaseQueue(path: w.temp.appending("state/konektor/approvals.sqlite").path)
        try await db.write { db in try db.execute(sql: #"UPDATE actions SET arguments = replace(arguments, 'qualified', 'won'), body = '{"status":"won"}'"#) }
        let tampered = try await w.run(["approvals", "approve", reference])
        #expect(tampered.status == 4 && tampered.stderr.contains("was changed in the approvals store after it was proposed"), "\(tampered.stderr)")
        #expect(try await w.lead()["status"] == "contacted")

        // A fresh proposal, approved, but the lead changed in between: the approver's precondition no longer holds.
        let second = try await w.run(Self.update)
        let next = try #require((try JSONValue(parsing: second.stdout))["pending"]?[0]?["approval"]?.stringValue)
        let id = try #require(try await w.lead()["id"]?.stringValue)
        #expect(try await w.h.patch("/api/v2/agent/leads/\(id)", ["status": "lost"]).status == 200)
        #expect(try await w.run(["approvals", "approve", next]).status == 0)
        let ran = try await w.run(["approvals", "run", next, "--policy", "supervised"])
        #expect(ran.status == 1 && ran.stderr.contains("the lead changed since the action was proposed (status was contacted, now lost)"), "\(ran.stderr)")
        #expect(try await w.lead()["status"] == "lost")
        #expect(try await w.auditKinds().contains("approval-failed"))
    }

    @Test func theREPLShowsAndRunsItsOwnApprovedActions() async throws {
        let w = try await World.make()
        defer { Task { await w.shutdown() } }
        let process = Process()
        process.executableURL = CommandLineRunner.executable
        process.arguments = ["--policy", "supervised"]
        process.environment = w.environment
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        input.fileHandleForWriting.write(Data("Update lead CRM-1024 status to qualified\n".utf8))
        let reference = try await w.pendingReference()
        #expect(try await w.run(["approvals", "approve", reference]).status == 0)
        input.fileHandleForWriting.write(Data("/approvals\n".utf8))
        try input.fileHandleForWriting.close()
        let text = String(decoding: await CommandLineRunner.readToEnd(output.fileHandleForReading), as: UTF8.self)
        await CommandLineRunner.wait(process)
        #expect(text.contains("waiting for a person's approval as \(reference)"))
        #expect(text.contains("ran approved \(reference): PATCH"), "\(text)")
        #expect(text.contains("\(reference)  executed"))
        #expect(try await w.lead()["status"] == "qualified")
    }
}
