import AgentCore
import Foundation
import GRDB

extension SandboxAPI {
    func period(_ a: JSONObject, caller: Caller) throws(APIFailure) -> Period {
        try Period.resolve(timeframe: a["timeframe"]?.stringValue, from: a["from"]?.stringValue, to: a["to"]?.stringValue,
                           now: clock.now(), zone: caller.workspace.zone)
    }

    /// `createdAt` within the period: `[from, to]`, or `[from, to)` when `to` is a date's end.
    static func periodFilter(_ period: Period, workspace: String) -> (sql: String, arguments: StatementArguments) {
        var sql = "workspaceId = ? AND deletedAt IS NULL"
        var arguments: StatementArguments = [workspace]
        if !period.isOpenEnded {
            sql += " AND createdAt <= ?"
            arguments += [period.to]
        }
        if let from = period.from {
            sql += " AND createdAt >= ?"
            arguments += [from]
        }
        return (sql, arguments)
    }

    func analyticsSummary(_ a: JSONObject, caller: Caller) async throws -> Outcome {
        let period = try period(a, caller: caller)
        let filter = Self.periodFilter(period, workspace: caller.workspace.id)
        let row = try await database.writer.read { db in
            try self.cache.value(workspace: caller.workspace.id, key: "summary|" + period.cacheKey) {
                let row = try Row.fetchOne(db, sql: """
                    SELECT COUNT(*) AS total, TOTAL(status = 'new') AS new, TOTAL(status = 'contacted') AS contacted,
                           TOTAL(status = 'won') AS won, TOTAL(CASE WHEN status = 'won' THEN actualValue END) AS value,
                           MIN(createdAt) AS earliest
                    FROM leads WHERE \(filter.sql)
                    """, arguments: filter.arguments)!
                return [
                    "total": .int(row["total"]), "new": .int(Int(row["new"] as Double)), "contacted": .int(Int(row["contacted"] as Double)),
                    "won": .int(Int(row["won"] as Double)), "value": .double(row["value"]), "earliest": (row["earliest"] as Int64?).map { .int(Int($0)) } ?? .null,
                ]
            }
        }
        let earliest: Int64? = row["earliest"]?.intValue.map(Int64.init)
        let data: JSONValue = [
            "totalLeads": row["total"] ?? 0,
            "newLeads": row["new"] ?? 0,
            "contactedLeads": row["contacted"] ?? 0,
            "totalConversions": row["won"] ?? 0,
            "totalConversionValue": row["value"] ?? 0,
            "timeframe": .string(period.name),
            "period": [
                "from": (period.from ?? earliest).map { .string(Timestamps.iso($0)) } ?? .null,
                "to": .string(Timestamps.iso(period.to)),
            ],
        ]
        return Self.success(data)
    }

    func analyticsFunnel(_ a: JSONObject, caller: Caller) async throws -> Outcome {
        let period = try period(a, caller: caller)
        let filter = Self.periodFilter(period, workspace: caller.workspace.id)
        let grouped = try await database.writer.read { db in
            try self.cache.value(workspace: caller.workspace.id, key: "funnel|" + period.cacheKey) {
                let rows = try Row.fetchAll(db, sql: "SELECT status, COUNT(*) AS count FROM leads WHERE \(filter.sql) GROUP BY status",
                                            arguments: filter.arguments)
                return .object(JSONObject(rows.map { (($0["status"] as String), JSONValue.int($0["count"])) }))
            }
        }
        var counts: [String: Int] = [:]
        for (status, count) in grouped.objectValue ?? [:] { counts[status] = count.intValue }
        let total = counts.values.reduce(0, +)
        let data = SandboxRoutes.leadStatuses.compactMap { status -> JSONValue? in
            guard let count = counts[status], count > 0 else { return nil }
            let percentage = (Double(count) / Double(total) * 10000).rounded() / 100
            return ["status": .string(status), "count": .int(count), "percentage": .double(percentage)]
        }
        return Self.success(.array(data))
    }

    func campaignPerformance(_ a: JSONObject, caller: Caller) async throws -> Outcome {
        let period = try period(a, caller: caller)
        let filter = Self.periodFilter(period, workspace: caller.workspace.id)
        let data = try await database.writer.read { db in
            try self.cache.value(workspace: caller.workspace.id, key: "campaigns|" + period.cacheKey) {
                let rows = try Row.fetchAll(db, sql: """
                    SELECT campaignName, adPlatform, COUNT(*) AS leads, TOTAL(status = 'won') AS conversions,
                           TOTAL(CASE WHEN status = 'won' THEN actualValue END) AS value
                    FROM leads WHERE \(filter.sql) AND campaignName IS NOT NULL
                    GROUP BY campaignName, adPlatform ORDER BY leads DESC, campaignName
                    """, arguments: filter.arguments)
                return .array(rows.map { row -> JSONValue in
                    [
                        "campaignName": .string(row["campaignName"]),
                        "adPlatform": (row["adPlatform"] as String?).map(JSONValue.string) ?? .null,
                        "leads": .int(row["leads"]),
                        "conversions": .int(Int(row["conversions"] as Double)),
                        "conversionValue": .double(row["value"]),
                    ]
                })
            }
        }
        return Self.success(data)
    }

    func conversionStatus(_ a: JSONObject, caller: Caller) async throws -> Outcome {
        let period = try period(a, caller: caller)
        var filter = Self.periodFilter(period, workspace: caller.workspace.id)
        if let platform = a["platform"]?.stringValue {
            filter.sql += " AND adPlatform = ?"
            filter.arguments += [platform]
        }
        let key = "sync|" + period.cacheKey + "|" + (a["platform"]?.stringValue ?? "")
        let grouped = try await database.writer.read { [filter] db in
            try self.cache.value(workspace: caller.workspace.id, key: key) {
                let rows = try Row.fetchAll(db, sql: "SELECT conversionSyncStatus AS s, COUNT(*) AS n FROM leads WHERE \(filter.sql) GROUP BY s",
                                            arguments: filter.arguments)
                return .object(JSONObject(rows.map { (($0["s"] as String), JSONValue.int($0["n"])) }))
            }
        }
        var data: JSONObject = ["pending": 0, "synced": 0, "partial": 0, "failed": 0, "none": 0]
        for (status, count) in grouped.objectValue ?? [:] { data[status] = count }
        return Self.success(.object(data))
    }

    /// Won leads whose conversion has not reached the ad platform: pending or failed, newest first, at most 100.
    func pendingConversions(caller: Caller) async throws -> Outcome {
        let rows = try await database.writer.read { db in
            try Row.fetchAll(db, sql: """
                SELECT id, uniqueCode, status, adPlatform, conversionSyncStatus, lastConversionSyncAt FROM leads INDEXED BY leads_sync
                WHERE workspaceId = ? AND deletedAt IS NULL AND conversionSyncStatus IN ('pending', 'failed')
                ORDER BY updatedAt DESC, seq DESC LIMIT 100
                """, arguments: [caller.workspace.id])
        }
        let data = rows.map { row -> JSONValue in
            [
                "leadId": .string(row["id"]),
                "uniqueCode": .string(row["uniqueCode"]),
                "status": .string(row["status"]),
                "adPlatform": (row["adPlatform"] as String?).map(JSONValue.string) ?? .null,
                "conversionSyncStatus": .string(row["conversionSyncStatus"]),
                "lastConversionSyncAt": (row["lastConversionSyncAt"] as Int64?).map { .string(Timestamps.iso($0)) } ?? .null,
            ]
        }
        return Self.success(.array(data))
    }
}
