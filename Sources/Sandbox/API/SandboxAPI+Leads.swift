import AgentCore
import Foundation
import GRDB
import SkillCatalog

extension SandboxAPI {
    static let leadColumns = ["id", "uniqueCode", "firstName", "lastName", "email", "phone", "status", "priority", "source", "adPlatform",
                              "assignedTo", "estimatedValue", "actualValue", "notes", "externalRef", "createdAt", "updatedAt"]

    /// A lead in the API's shape; `omitNulls` for the create response, which shows only what is set.
    static func leadJSON(_ row: Row, omitNulls: Bool = false) -> JSONValue {
        var o = JSONObject()
        for column in leadColumns {
            let value: JSONValue
            switch row[column] as DatabaseValue? {
            case .none: value = .null
            case .some(let dbValue):
                switch dbValue.storage {
                case .null: value = .null
                case .int64(let i): value = column.hasSuffix("At") ? .string(Timestamps.iso(i)) : .int(Int(i))
                case .double(let d): value = .double(d)
                case .string(let s): value = .string(s)
                case .blob: value = .null
                }
            }
            if omitNulls, value == .null { continue }
            o[column] = value
        }
        return .object(o)
    }

    // MARK: List

    struct LeadCursor {
        var sortBy: String
        var order: String
        var value: Int64
        var seq: Int64

        var encoded: String {
            let json: JSONValue = ["s": .string(sortBy), "o": .string(order), "v": .int(Int(value)), "q": .int(Int(seq))]
            return Data(json.jsonString().utf8).base64EncodedString()
                .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        }

        init(sortBy: String, order: String, value: Int64, seq: Int64) {
            self.sortBy = sortBy
            self.order = order
            self.value = value
            self.seq = seq
        }

        init?(_ text: String) {
            var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
            while base64.count % 4 != 0 { base64 += "=" }
            guard text.count <= 512, let data = Data(base64Encoded: base64),
                let json = try? JSONValue(parsing: Array(data)),
                let s = json["s"]?.stringValue, let o = json["o"]?.stringValue, let v = json["v"]?.intValue, let q = json["q"]?.intValue,
                ["createdAt", "updatedAt"].contains(s), ["asc", "desc"].contains(o)
            else { return nil }
            self.init(sortBy: s, order: o, value: Int64(v), seq: Int64(q))
        }
    }

    func listLeads(_ a: JSONObject, caller: Caller) async throws -> Outcome {
        let zone = caller.workspace.zone
        let limit = a["limit"]?.intValue ?? 50
        let page = a["page"]?.intValue ?? 1
        let sortBy = a["sortBy"]?.stringValue ?? "createdAt"
        let order = a["sortOrder"]?.stringValue ?? "desc"
        var details = JSONObject()
        var cursor: LeadCursor?
        if let text = a["cursor"]?.stringValue, !text.isEmpty {
            if let c = LeadCursor(text) {
                if c.sortBy != sortBy || c.order != order { details["cursor"] = .string("Cursor was made for sortBy=\(c.sortBy)&sortOrder=\(c.order)") }
                cursor = c
            } else {
                details["cursor"] = "Invalid cursor"
            }
            if a["page"] != nil { details["page"] = "Cannot be combined with cursor" }
        }
        var conditions = ["workspaceId = ?", "deletedAt IS NULL"]
        var arguments: [any DatabaseValueConvertible] = [caller.workspace.id]
        for field in ["status", "priority", "source", "adPlatform", "assignedTo"] {
            if let value = a[field]?.stringValue {
                conditions.append("\(field) = ?")
                arguments.append(field == "assignedTo" ? value.lowercased() : value)
            }
        }
        let from = a["createdFrom"]?.stringValue.flatMap { Timestamps.parse($0, in: zone) }
        let to = a["createdTo"]?.stringValue.flatMap { Timestamps.parse($0, in: zone, endOfDay: true) }
        if let from { conditions.append("createdAt >= ?"); arguments.append(from) }
        if let to { conditions.append("createdAt < ?"); arguments.append(to) }
        if let from, let to, from >= to { details["createdFrom"] = "Must be before createdTo" }
        if let search = a["search"]?.stringValue?.trimmingCharacters(in: .whitespaces), !search.isEmpty {
            let pattern = "%" + search.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_") + "%"
            conditions.append("""
                (firstName || ' ' || IFNULL(lastName, '') LIKE ? ESCAPE '\\' OR email LIKE ? ESCAPE '\\' OR phone LIKE ? ESCAPE '\\' \
                OR uniqueCode LIKE ? ESCAPE '\\' OR externalRef LIKE ? ESCAPE '\\')
                """)
            arguments += Array(repeating: pattern, count: 5)
        }
        guard details.isEmpty else { throw APIFailure.validation(details) }
        let filter = conditions.joined(separator: " AND ")
        let direction = order == "asc" ? "ASC" : "DESC"
        var pageConditions = filter
        var pageArguments = arguments
        if let cursor {
            pageConditions += " AND (\(sortBy), seq) \(order == "asc" ? ">" : "<") (?, ?)"
            pageArguments += [cursor.value, cursor.seq]
        }
        // A page far past the end is an empty page, as on the API, never an overflow: `page` has no maximum in the schema.
        let (skipped, overflow) = (page - 1).multipliedReportingOverflow(by: limit)
        let offset = cursor == nil ? (overflow ? Int.max : skipped) : 0
        let countKey = "count|" + filter + "|" + arguments.map { "\($0.databaseValue)" }.joined(separator: "|")
        let (rows, total) = try await database.writer.read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT * FROM leads WHERE \(pageConditions) ORDER BY \(sortBy) \(direction), seq \(direction) LIMIT ? OFFSET ?
                """, arguments: StatementArguments(pageArguments + [limit + 1, offset]))
            let total = try self.cache.value(workspace: caller.workspace.id, key: countKey) {
                .int(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM leads WHERE \(filter)", arguments: StatementArguments(arguments)) ?? 0)
            }.intValue ?? 0
            return (rows, total)
        }
        let pageRows = Array(rows.prefix(limit))
        var nextCursor: JSONValue = .null
        if rows.count > limit, let last = pageRows.last {
            nextCursor = .string(LeadCursor(sortBy: sortBy, order: order, value: last[sortBy], seq: last["seq"]).encoded)
        }
        let pagination: JSONObject = [
            "page": cursor == nil ? .int(page) : .null,
            "limit": .int(limit),
            "total": .int(total),
            "totalPages": .int((total + limit - 1) / limit),
            "nextCursor": nextCursor,
        ]
        return Self.success(.array(pageRows.map { Self.leadJSON($0) }), extra: ["pagination": .object(pagination)])
    }

    // MARK: Get

    func getLead(_ a: JSONObject, caller: Caller) async throws -> Outcome {
        let id = a["id"]?.stringValue ?? ""
        let row = try await database.writer.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM leads WHERE workspaceId = ? AND id = ? AND deletedAt IS NULL", arguments: [caller.workspace.id, id])
        }
        guard let row else { throw APIFailure.notFound("Lead \(id) not found") }
        return Self.success(Self.leadJSON(row))
    }

    // MARK: Create, update, upsert

    static let writableColumns = ["firstName", "lastName", "email", "phone", "status", "priority", "source", "adPlatform", "notes",
                                  "uniqueCode", "externalRef", "assignedTo", "estimatedValue", "actualValue"]

    func createLead(_ a: JSONObject, caller: Caller) async throws -> Outcome {
        let row = try await database.writer.write { db in try self.insertLead(a, caller: caller, db: db) }
        cache.invalidate(workspace: caller.workspace.id)
        return Self.success(Self.leadJSON(row, omitNulls: true), status: 201)
    }

    func updateLead(_ a: JSONObject, caller: Caller) async throws -> Outcome {
        let id = a["id"]?.stringValue ?? ""
        var changes = a
        changes["id"] = nil
        guard !changes.isEmpty else { throw APIFailure.validation(["body": "Provide at least one field to update"]) }
        let (row, changed) = try await database.writer.write { db -> (Row, [String]) in
            guard let existing = try Row.fetchOne(db, sql: "SELECT * FROM leads WHERE workspaceId = ? AND id = ? AND deletedAt IS NULL", arguments: [caller.workspace.id, id]) else {
                throw APIFailure.notFound("Lead \(id) not found")
            }
            return try self.applyUpdate(changes, to: existing, caller: caller, db: db)
        }
        cache.invalidate(workspace: caller.workspace.id)
        var data: JSONObject = [:]
        let full = Self.leadJSON(row).objectValue!
        for key in ["id", "uniqueCode", "firstName"] + changed + ["updatedAt"] where data[key] == nil { data[key] = full[key] }
        return Self.success(.object(data))
    }

    func upsertLead(_ a: JSONObject, caller: Caller) async throws -> Outcome {
        defer { cache.invalidate(workspace: caller.workspace.id) }
        return try await database.writer.write { db -> Outcome in
            var matchedBy: String?
            var existing: Row?
            for field in ["id", "uniqueCode", "phone", "externalRef"] {
                guard let value = a[field]?.stringValue else { continue }
                if let row = try Row.fetchOne(db, sql: "SELECT * FROM leads WHERE workspaceId = ? AND \(field) = ? AND deletedAt IS NULL ORDER BY seq LIMIT 1",
                                              arguments: [caller.workspace.id, value]) {
                    existing = row
                    matchedBy = field
                    break
                }
            }
            var fields = a
            fields["id"] = nil
            if let existing, let matchedBy {
                let (row, _) = try self.applyUpdate(fields, to: existing, caller: caller, db: db)
                return Self.success(Self.leadJSON(row), extra: ["action": "updated", "matchedBy": .string(matchedBy)])
            }
            guard fields["firstName"] != nil else {
                throw APIFailure.validation(["firstName": "Required when no lead matches by id, uniqueCode, phone or externalRef"])
            }
            let row = try self.insertLead(fields, caller: caller, db: db)
            return Self.success(Self.leadJSON(row), status: 201, extra: ["action": "created", "matchedBy": .null])
        }
    }

    /// Checks that need the database: team members, unique codes, phone shape, the daily lead limit.
    func checkLeadFields(_ a: JSONObject, caller: Caller, excluding leadSeq: Int64?, db: Database) throws {
        var details = JSONObject()
        if let member = a["assignedTo"]?.stringValue {
            let exists = try Bool.fetchOne(db, sql: "SELECT EXISTS(SELECT 1 FROM team_members WHERE workspaceId = ? AND id = ?)",
                                           arguments: [caller.workspace.id, member.lowercased()]) ?? false
            if !exists { details["assignedTo"] = "Unknown team member" }
        }
        if let code = a["uniqueCode"]?.stringValue, !code.trimmingCharacters(in: .whitespaces).isEmpty {
            if try Bool.fetchOne(db, sql: "SELECT EXISTS(SELECT 1 FROM leads WHERE workspaceId = ? AND uniqueCode = ? AND seq != ?)",
                                        arguments: [caller.workspace.id, code, leadSeq ?? -1]) ?? false {
                details["uniqueCode"] = "Already used by another lead"
            }
        }
        if let phone = a["phone"]?.stringValue, !phone.isEmpty,
            !phone.allSatisfy({ $0.isNumber || " +-().".contains($0) }) || phone.filter(\.isNumber).count < 6 {
            details["phone"] = "Invalid phone number"
        }
        for field in ["estimatedValue", "actualValue"] {
            if let value = a[field]?.doubleValue, value < 0 { details[field] = "Number must be greater than or equal to 0" }
        }
        guard details.isEmpty else { throw APIFailure.validation(details) }
    }

    func insertLead(_ a: JSONObject, caller: Caller, db: Database) throws -> Row {
        try checkLeadFields(a, caller: caller, excluding: nil, db: db)
        let now = clock.now()
        let nowMillis = Timestamps.millis(now)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = caller.workspace.zone
        let today = Timestamps.millis(calendar.startOfDay(for: now))
        let createdToday = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM leads WHERE workspaceId = ? AND createdAt >= ?", arguments: [caller.workspace.id, today]) ?? 0
        if createdToday >= caller.workspace.leadsPerDayLimit {
            throw APIFailure.forbidden(
                "Daily lead limit reached: \(createdToday) of \(caller.workspace.leadsPerDayLimit) leads created today on the \(caller.workspace.plan) plan; it resets at midnight \(caller.workspace.timezone)",
                details: ["leadsPerDay": ["limit": .int(caller.workspace.leadsPerDayLimit), "current": .int(createdToday)]])
        }
        // No code, or a blank one, gets the next KNK-NNN.
        var code = a["uniqueCode"]?.stringValue.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
        if code == nil {
            var number = try Int.fetchOne(db, sql: "SELECT nextLeadNumber FROM workspaces WHERE id = ?", arguments: [caller.workspace.id]) ?? 1
            while try Bool.fetchOne(db, sql: "SELECT EXISTS(SELECT 1 FROM leads WHERE workspaceId = ? AND uniqueCode = ?)", arguments: [caller.workspace.id, SeedLead.code(number)]) ?? false {
                number += 1
            }
            code = SeedLead.code(number)
            try db.execute(sql: "UPDATE workspaces SET nextLeadNumber = ? WHERE id = ?", arguments: [number + 1, caller.workspace.id])
        }
        let id = identifiers.withLock { SeedLead.leadId(&$0) }
        var values: [String: (any DatabaseValueConvertible)?] = [
            "id": id, "workspaceId": caller.workspace.id, "uniqueCode": code, "status": "new", "priority": "medium",
            "createdAt": nowMillis, "updatedAt": nowMillis,
        ]
        for column in Self.writableColumns where column != "uniqueCode" {
            if let value = a[column] { values[column] = Self.databaseValue(value, column: column) }
        }
        if values["status"] as? String == "won", values["adPlatform"] != nil { values["conversionSyncStatus"] = "pending" }
        let columns = values.keys.sorted()
        try db.execute(sql: "INSERT INTO leads (\(columns.joined(separator: ", "))) VALUES (\(columns.map { _ in "?" }.joined(separator: ", ")))",
                       arguments: StatementArguments(columns.map { values[$0]! }))
        return try Row.fetchOne(db, sql: "SELECT * FROM leads WHERE id = ?", arguments: [id])!
    }

    func applyUpdate(_ changes: JSONObject, to existing: Row, caller: Caller, db: Database) throws -> (Row, [String]) {
        try checkLeadFields(changes, caller: caller, excluding: existing["seq"], db: db)
        if changes["firstName"] == .null { throw APIFailure.validation(["firstName": "Cannot be cleared"]) }
        var assignments: [String] = []
        var arguments: [(any DatabaseValueConvertible)?] = []
        var changed: [String] = []
        for column in Self.writableColumns {
            guard let value = changes[column] else { continue }
            if column == "status" || column == "priority" || column == "uniqueCode", value == .null || value.stringValue?.trimmingCharacters(in: .whitespaces) == "" {
                throw APIFailure.validation([column: "Cannot be cleared"])
            }
            assignments.append("\(column) = ?")
            arguments.append(Self.databaseValue(value, column: column))
            changed.append(column)
        }
        let newStatus = changes["status"]?.stringValue
        let platform = changes["adPlatform"]?.stringValue ?? (existing["adPlatform"] as String?)
        if newStatus == "won", (existing["status"] as String) != "won", platform != nil {
            assignments.append("conversionSyncStatus = 'pending'")
        }
        assignments.append("updatedAt = ?")
        arguments.append(max(Timestamps.millis(clock.now()), (existing["updatedAt"] as Int64) + 1))
        arguments.append(existing["seq"] as Int64)
        try db.execute(sql: "UPDATE leads SET \(assignments.joined(separator: ", ")) WHERE seq = ?", arguments: StatementArguments(arguments))
        let row = try Row.fetchOne(db, sql: "SELECT * FROM leads WHERE seq = ?", arguments: [existing["seq"] as Int64])!
        return (row, changed)
    }

    static func databaseValue(_ value: JSONValue, column: String) -> (any DatabaseValueConvertible)? {
        switch value {
        case .null: nil
        case .string(let s): column == "assignedTo" ? s.lowercased() : s
        case .int(let i): Double(i)
        case .double(let d): d
        case .bool(let b): b
        default: value.jsonString()
        }
    }
}
