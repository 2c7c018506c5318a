import AgentCore
import Foundation
import GRDB

extension SandboxAPI {
    func workspaceInfo(caller: Caller) async throws -> Outcome {
        let w = caller.workspace
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = w.zone
        let today = Timestamps.millis(calendar.startOfDay(for: clock.now()))
        let (leadsToday, members) = try await database.writer.read { db in
            (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM leads WHERE workspaceId = ? AND createdAt >= ?", arguments: [w.id, today]) ?? 0,
             try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM team_members WHERE workspaceId = ?", arguments: [w.id]) ?? 0)
        }
        let data: JSONValue = [
            "displayName": .string(w.displayName),
            "timezone": .string(w.timezone),
            "currency": .string(w.currency),
            "language": .string(w.language),
            "dateFormat": .string(w.dateFormat),
            "trackingCode": .string(w.trackingCode),
            "subscription": [
                "plan": .string(w.plan),
                "status": .string(w.subscriptionStatus),
                "interval": .string(w.billingInterval),
                "currentPeriodEnd": .string(Timestamps.iso(w.currentPeriodEnd)),
            ],
            "usage": [
                "leadsPerDay": ["limit": .int(w.leadsPerDayLimit), "current": .int(leadsToday)],
                "teamMembers": .int(members),
                "activeRotators": .int(w.activeRotators),
            ],
        ]
        return Self.success(data)
    }

    /// `ticketRef` as the API shows it: five and four upper-case letters or digits (`A1B2C-3D4E`).
    func newTicketIdentifiers() -> (id: String, ref: String) {
        identifiers.withLock { rng in
            let alphabet = Array("ABCDEFGHJKLMNPQRSTUVWXYZ23456789")
            func word(_ n: Int) -> String { String((0..<n).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &rng)] }) }
            return ("t_" + SeedLead.hex(12, &rng), word(5) + "-" + word(4))
        }
    }

    func createTicket(_ a: JSONObject, caller: Caller) async throws -> Outcome {
        let subject = a["subject"]?.stringValue ?? ""
        let message = a["message"]?.stringValue ?? ""
        var details = JSONObject()
        if subject.trimmingCharacters(in: .whitespacesAndNewlines).unicodeScalars.count < 3 { details["subject"] = "String must contain at least 3 character(s)" }
        if message.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { details["message"] = "String must contain at least 1 character(s)" }
        guard details.isEmpty else { throw APIFailure.validation(details) }
        let priority = a["priority"]?.stringValue ?? "normal"
        let (id, ref) = newTicketIdentifiers()
        let now = Timestamps.millis(clock.now())
        try await database.writer.write { db in
            try db.execute(sql: """
                INSERT INTO tickets (id, workspaceId, ticketRef, subject, message, status, priority, createdAt)
                VALUES (?, ?, ?, ?, ?, 'new', ?, ?)
                """, arguments: [id, caller.workspace.id, ref, subject, message, priority, now])
        }
        let data: JSONValue = [
            "ticketId": .string(id), "ticketRef": .string(ref), "subject": .string(subject), "status": "new",
            "priority": .string(priority), "createdAt": .string(Timestamps.iso(now)),
        ]
        return Self.success(data, status: 201)
    }
}
