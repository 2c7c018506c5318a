import AgentCore
import AuditLog
import Foundation
import Testing
import TestSupport

/// Staged records: held in memory, written ahead of the next durable record in the same write, never lost by a failed write.
@Suite struct AuditStagingTests {
    static func kinds(_ fixture: LogFixture) -> [String] {
        fixture.files.flatMap(fixture.lines).compactMap { AuditRecord(line: $0)?.kind }
    }

    @Test func aStagedRecordIsNotOnDiskUntilTheNextAppend() throws {
        let fixture = try LogFixture()
        let log = try fixture.log()
        try log.append(AuditEvent(kind: "session-start", session: "s", data: [:]))
        log.stage(AuditEvent(kind: "plan", session: "s", data: ["tool": "listLeads"]))
        #expect(Self.kinds(fixture) == ["log-start", "session-start"])
        #expect(log.hasStaged)
    }

    @Test func theNextAppendWritesStagedRecordsFirstInOrder() throws {
        let fixture = try LogFixture()
        let log = try fixture.log()
        log.stage(AuditEvent(kind: "request", session: "s", data: ["text": "how many leads"]))
        log.stage(AuditEvent(kind: "plan", session: "s", data: ["tool": "listLeads"]))
        let written = try log.append(AuditEvent(kind: "http-request", session: "s", data: ["tool": "listLeads"]))
        #expect(written.kind == "http-request")
        #expect(Self.kinds(fixture) == ["log-start", "request", "plan", "http-request"])
        #expect(!log.hasStaged)
    }

    @Test func appendReturnsOnlyItsOwnRecords() throws {
        let fixture = try LogFixture()
        let log = try fixture.log()
        log.stage(AuditEvent(kind: "plan", session: "s", data: [:]))
        let written = try log.append([AuditEvent(kind: "decision", session: "s", data: [:]), AuditEvent(kind: "answer", session: "s", data: [:])])
        #expect(written.map(\.kind) == ["decision", "answer"])
    }

    @Test func flushWritesWhatIsStaged() throws {
        let fixture = try LogFixture()
        let log = try fixture.log()
        log.stage(AuditEvent(kind: "http-response", session: "s", data: ["status": 200]))
        try log.flush()
        #expect(Self.kinds(fixture) == ["log-start", "http-response"])
    }

    @Test func aCheckpointCoversStagedRecords() throws {
        let fixture = try LogFixture()
        let log = try fixture.log()
        log.stage(AuditEvent(kind: "plan", session: "s", data: [:]))
        try log.appendAndCheckpoint([AuditEvent(kind: "session-end", session: "s", data: [:])], session: "s")
        #expect(Self.kinds(fixture) == ["log-start", "plan", "session-end", "checkpoint"])
        #expect(try fixture.verify().intact)
    }

    @Test func aFailedWriteKeepsStagedRecordsForTheNextOne() throws {
        let fixture = try LogFixture()
        let log = try fixture.log()
        try log.append(AuditEvent(kind: "session-start", session: "s", data: [:]))
        log.stage(AuditEvent(kind: "plan", session: "s", data: [:]))
        // The log's folder is unusable for a moment (a file stands in its place, which stops root too).
        let aside = fixture.temp.appending("aside")
        try FileManager.default.moveItem(at: fixture.directory, to: aside)
        try Data("not a folder".utf8).write(to: fixture.directory)
        #expect(throws: (any Error).self) { try log.append(AuditEvent(kind: "http-request", session: "s", data: [:])) }
        #expect(log.hasStaged)
        try FileManager.default.removeItem(at: fixture.directory)
        try FileManager.default.moveItem(at: aside, to: fixture.directory)
        try log.append(AuditEvent(kind: "answer", session: "s", data: [:]))
        #expect(Self.kinds(fixture).suffix(2) == ["plan", "answer"])
        #expect(try fixture.verify().intact)
    }

    @Test func stagedRecordsAreRedactedLikeAppendedOnes() throws {
        let fixture = try LogFixture()
        let log = try fixture.log()
        log.stage(AuditEvent(kind: "answer", session: "s", data: ["text": "Budi: budi.santoso@example.com"]))
        try log.flush()
        let text = fixture.files.flatMap(fixture.lines).joined()
        #expect(!text.contains("budi.santoso@example.com"))
    }
}
