import AgentCore
import AgentPolicy
import AgentRuntime
import Approvals
import AuditLog
import Crypto
import Foundation
import Planners
import Testing
import TestSupport

/// "Who changed lead CRM-1024 and who approved it?" answered from one scripted session: a confirmation, an "always" grant and an approval (issue 14, part 3).
@Suite struct AuditTrailTests {
    /// Runs the scripted story and returns the log's records.
    static func story(_ f: RuntimeFixture) async throws -> [(record: AuditRecord, user: String?)] {
        let confirmer = ScriptedConfirmer([.always])
        let s = try f.session(confirmer: confirmer)
        let first = try await s.turn("Update lead CRM-1024 status to qualified")
        #expect(first.calls.last?.status == 200)
        let second = try await s.turn("Update lead CRM-1024 status to contacted")
        #expect(second.calls.last?.status == 200)
        #expect(confirmer.shown.withLock { $0.count } == 1, "the always answer confirms the second write without a prompt")

        // A supervised session proposes; a person approves from elsewhere with a note.
        let store = ApprovalStore(path: f.temp.appending("approvals.sqlite").path, secret: SymmetricKey(data: Data(repeating: 3, count: 32)))
        var configuration = Session.Configuration()
        configuration.supervised = true
        configuration.approvalWait = .seconds(30)
        configuration.approvalPoll = .milliseconds(20)
        let policy = try PolicyLibrary(catalog: f.catalog).resolve("default")
        let supervised = Session(id: "supervised", catalog: f.catalog, policy: policy, planner: BuiltinPlanner(catalog: f.catalog), client: f.client, audit: f.audit,
                                 confirmer: nil, workspace: RuntimeFixture.workspace, configuration: configuration, approvals: store)
        let audit = f.audit
        let approver = Task {
            for _ in 0..<1500 {
                if let pending = try store.list().first {
                    let decided = try store.decide(pending.reference, approve: true, by: "rina", note: "checked with sales")
                    try audit.append(AuditEvent(kind: "approval-approved", session: pending.proposer.session, data: Session.auditData(decided)))
                    return
                }
                try await Task.sleep(for: .milliseconds(20))
            }
        }
        let third = try await supervised.turn("Update lead CRM-1024 status to won")
        try await approver.value
        #expect(third.calls.last?.status == 200)
        return AuditQuery.records(in: f.temp.appending("audit"))
    }

    @Test func everyRecordOfACallCarriesItsCallId() async throws {
        let f = try await RuntimeFixture()
        defer { Task { await f.shutdown() } }
        let rows = try await Self.story(f)
        let write = try #require(rows.first { $0.record.kind == "http-request" && $0.record.data["method"] == "PATCH" })
        let call = try #require(write.record.data["call"]?.stringValue)
        let kinds = Set(rows.filter { $0.record.data["call"]?.stringValue == call }.map(\.record.kind))
        #expect(kinds.isSuperset(of: ["plan", "decision", "confirmation", "http-request", "http-response"]), "\(kinds)")
    }

    @Test func theTrailNamesWhoAskedConfirmedAndApproved() async throws {
        let f = try await RuntimeFixture()
        defer { Task { await f.shutdown() } }
        let rows = try await Self.story(f)
        let changes = AuditTrail.changes(lead: "crm-1024", in: rows)
        try #require(changes.count == 3)
        let (prompt, always, approved) = (changes[0], changes[1], changes[2])
        #expect(prompt.confirmation?["how"] == "prompt")
        #expect(prompt.confirmation?["answer"] == "always")
        #expect(prompt.leadCode == "CRM-1024")
        #expect(prompt.request == "Update lead CRM-1024 status to qualified")
        #expect(prompt.after == ["status": "qualified"])
        #expect(prompt.before["status"] != .null)
        #expect(prompt.outcome == .sent)
        #expect(prompt.requestId != nil)
        #expect(prompt.rule?.isEmpty == false)
        // The second write names the grant it rode on.
        let grantSeq = rows.first { $0.record.kind == "confirmation" && $0.record.data["answer"] == "always" }?.record.seq
        #expect(always.confirmation?["how"] == "always")
        #expect(always.confirmation?["grantSeq"] == grantSeq.map(JSONValue.int))
        #expect(always.before == ["status": "qualified"])
        #expect(always.after == ["status": "contacted"])
        // The approval: who proposed, who approved with the note, what ran.
        #expect(approved.approval.map(\.kind).contains("approval-approved"))
        #expect(approved.approval.first { $0.kind == "approval-approved" }?.data["note"] == "checked with sales")
        #expect(approved.approval.first { $0.kind == "approval-approved" }?.data["decidedBy"] == "rina")
        #expect(approved.before == ["status": "contacted"])
        #expect(approved.after == ["status": "won"])
        #expect(approved.status == 200)
        #expect(approved.outcome == .sent)
        let text = AuditTrail.text(changes, lead: "CRM-1024")
        #expect(text.contains("via always (granted at #\(grantSeq ?? 0)"), "\(text)")
        #expect(text.contains("checked with sales"))
        #expect(text.contains("status: \"contacted\" → \"won\""), "\(text)")
        let json = AuditTrail.json(changes)
        #expect(json[2]?["approval"]?.arrayValue?.contains { $0["note"] == "checked with sales" } == true)
    }

    /// Revoking an "always" answer brings the prompt back, and the log records the revocation.
    @Test func anAlwaysGrantIsListedAndRevocable() async throws {
        let f = try await RuntimeFixture()
        defer { Task { await f.shutdown() } }
        let confirmer = ScriptedConfirmer([.always, .no])
        let s = try f.session(confirmer: confirmer)
        _ = try await s.turn("Update lead CRM-1024 status to qualified")
        #expect(await s.grants.map(\.tool) == ["updateLead"])
        #expect(try await s.revokeGrant(tool: "updateLead"))
        #expect(await s.grants.isEmpty)
        let after = try await s.turn("Update lead CRM-1024 status to contacted")
        #expect(confirmer.shown.withLock { $0.count } == 2, "after the revocation the person is asked again")
        #expect(after.calls.last?.status == nil)
        let rows = AuditQuery.records(in: f.temp.appending("audit"))
        #expect(rows.contains { $0.record.kind == "grant-revoked" && $0.record.data["tool"] == "updateLead" })
    }

    /// OCSF API Activity events of the story validate against the OCSF schema (the fixture compiled from ocsf/ocsf-schema).
    @Test func ocsfEventsValidateAgainstTheSchema() async throws {
        let f = try await RuntimeFixture()
        defer { Task { await f.shutdown() } }
        let rows = try await Self.story(f)
        let events = OCSFExport.events(rows)
        let writes = events.filter { $0["api"]?["operation"] == "updateLead" }
        try #require(writes.count == 3)
        #expect(writes.allSatisfy { $0["class_uid"] == 6003 })
        #expect(writes.allSatisfy { $0["disposition"] == "Allowed" })
        #expect(writes[1]["unmapped"]?["konektor"]?["confirmation"]?["how"] == "always")
        #expect(writes[2]["unmapped"]?["konektor"]?["approval"]?["note"] == "checked with sales")
        #expect(writes[0]["http_request"]?["http_method"] == "PATCH")
        #expect(writes[0]["resources"]?[0]?["name"] == "CRM-1024")
        let record = try #require(rows.first { $0.record.seq == writes[0]["metadata"]?["sequence"]?.intValue })
        #expect(writes[0]["metadata"]?["uid"] == .string(record.record.hash), "the chain fields point at the call's last record")
        // A denied and a pending call: their dispositions.
        let denied = Session(id: "denier", catalog: f.catalog, policy: try PolicyLibrary(catalog: f.catalog).resolve("analyst"),
                             planner: try ScriptPlanner(text: #"[{"calls": [{"name": "updateLead", "arguments": {"id": "lead_1", "status": "lost"}}]}, {"answer": "done"}]"#, file: "deny.json"),
                             client: f.client, audit: f.audit, confirmer: nil, workspace: RuntimeFixture.workspace)
        _ = try await denied.turn("Update lead 1 to lost")
        let all = OCSFExport.events(AuditQuery.records(in: f.temp.appending("audit")))
        #expect(all.last?["disposition"] == "Blocked")
        #expect(all.last?["action"] == "Denied")
        try await Self.validate(all)
    }

    /// Validates JSON lines with Python's `jsonschema` against the shipped OCSF schema part.
    static func validate(_ events: [JSONValue]) async throws {
        let temp = try TemporaryDirectory("konektor-ocsf")
        defer { temp.remove() }
        let schema = temp.appending("schema.json"), lines = temp.appending("events.jsonl")
        try Fixtures.text("ocsf/api_activity.schema.json").write(to: schema, atomically: true, encoding: .utf8)
        try (events.map { $0.jsonString() }.joined(separator: "\n") + "\n").write(to: lines, atomically: true, encoding: .utf8)
        let script = """
            import json, sys, jsonschema
            schema = json.load(open(sys.argv[1]))
            validator = jsonschema.Draft202012Validator(schema)
            bad = 0
            for n, line in enumerate(open(sys.argv[2]), 1):
                for error in validator.iter_errors(json.loads(line)):
                    bad += 1
                    print(f"event {n}: {'/'.join(map(str, error.absolute_path))}: {error.message}")
            sys.exit(1 if bad else 0)
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, schema.path, lines.path]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        try process.run()
        // Blocking reads and waits run off the cooperative pool, which has only two threads on this machine.
        let handle = Unchecked(out.fileHandleForReading)
        let text = String(decoding: await CommandLineRunner.readToEnd(handle.value), as: UTF8.self)
        await CommandLineRunner.wait(process)
        #expect(process.terminationStatus == 0, "OCSF validation failed:\n\(text)")
    }

    /// The validator is real: an event with a wrong class and an invented field fails.
    @Test func theOCSFValidatorRejectsABadEvent() async throws {
        let schema = try JSONValue(parsing: Fixtures.text("ocsf/api_activity.schema.json"))
        #expect(schema["properties"]?["class_uid"]?["const"] == 6003)
        let bad: JSONValue = ["class_uid": 6003, "category_uid": 6, "activity_id": 3, "type_uid": 600303, "time": 1, "severity_id": 1,
                              "actor": [:], "api": [:], "src_endpoint": [:], "metadata": ["version": "1.9.0-dev", "product": [:]], "disposition_text": "x"]
        let process = Process()
        let temp = try TemporaryDirectory("konektor-ocsf-bad")
        defer { temp.remove() }
        try Fixtures.text("ocsf/api_activity.schema.json").write(to: temp.appending("s.json"), atomically: true, encoding: .utf8)
        try bad.jsonString().write(to: temp.appending("e.json"), atomically: true, encoding: .utf8)
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import json,sys,jsonschema; v=jsonschema.Draft202012Validator(json.load(open(sys.argv[1]))); sys.exit(len(list(v.iter_errors(json.load(open(sys.argv[2]))))))",
                             temp.appending("s.json").path, temp.appending("e.json").path]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        await CommandLineRunner.wait(process)
        #expect(process.terminationStatus == 2, "api.operation missing and an invented field: two errors")
    }
}
