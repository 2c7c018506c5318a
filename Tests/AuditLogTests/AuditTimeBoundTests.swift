import AuditLog
import Foundation
import Testing

/// `--since`/`--until` forms: any offset, dates and local times in the workspace's zone, relative forms.
@Suite struct AuditTimeBoundTests {
    let jakarta = TimeZone(identifier: "Asia/Jakarta")!
    /// 2026-11-24T12:00:00Z, 19:00 in Jakarta.
    let now = Date(timeIntervalSince1970: 1_795_521_600)

    func parse(_ text: String) throws -> AuditTimeBound { try AuditTimeBound.parse(text, now: now, zone: jakarta) }
    func millis(_ iso: String) -> Int64 { AuditTimeBound.recordMillis(iso)! }

    @Test func anInstantWithAnOffsetIsTheSameInstantInZ() throws {
        #expect(try parse("2026-11-24T18:18:00+07:00").start == millis("2026-11-24T11:18:00.000Z"))
        #expect(try parse("2026-11-24T11:18:00Z").start == millis("2026-11-24T11:18:00.000Z"))
        #expect(try parse("2026-11-24T11:18:00.250Z").start == millis("2026-11-24T11:18:00.250Z"))
        #expect(try parse("2026-11-24T18:18+0700").start == millis("2026-11-24T11:18:00.000Z"))
    }

    @Test func aLocalTimeIsInTheWorkspacesZone() throws {
        #expect(try parse("2026-11-24 18:18").start == millis("2026-11-24T11:18:00.000Z"))
    }

    @Test func aDateIsTheWholeDayInTheZone() throws {
        let day = try parse("2026-11-24")
        #expect(day.start == millis("2026-11-23T17:00:00.000Z"))
        #expect(day.end == millis("2026-11-24T17:00:00.000Z"))
        #expect(try parse("24/11/2026") == day)
    }

    @Test func relativeForms() throws {
        #expect(try parse("yesterday").start == millis("2026-11-22T17:00:00.000Z"))
        #expect(try parse("yesterday").end == millis("2026-11-23T17:00:00.000Z"))
        #expect(try parse("today").start == millis("2026-11-23T17:00:00.000Z"))
        #expect(try parse("1h").start == millis("2026-11-24T11:00:00.000Z"))
        #expect(try parse("2d").start == millis("2026-11-22T12:00:00.000Z"))
        #expect(try parse("30m ago").start == millis("2026-11-24T11:30:00.000Z"))
    }

    @Test(arguments: ["last tuesday", "2026-13-01", "31/02/2026", "1y", "", "2026-11-24T25:00Z"])
    func nonsenseIsAnErrorThatListsTheForms(_ text: String) {
        #expect(throws: AuditTimeBound.ParseError.self) { try parse(text) }
    }

    @Test func theErrorNamesTheForms() {
        let error = AuditTimeBound.ParseError(option: "--since", value: "soon")
        #expect(error.description.contains("yesterday"))
        #expect(error.description.contains("2026-11-24T18:18:00+07:00"))
    }
}
