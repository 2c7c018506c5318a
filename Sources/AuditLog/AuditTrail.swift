import AgentCore

/// "Who changed lead CRM-1024 and who approved it?": every write about one lead, with the records its call id links.
public struct AuditTrail: Sendable {
    /// One write call about the lead, from its plan to its response.
    public struct Change: Sendable {
        public var call: String
        public var time: String
        public var session: String
        public var user: String?
        public var host: String?
        public var planner: String?
        /// The person's request that led to the call (as the log holds it: masked).
        public var request: String?
        public var tool: String
        public var lead: String?
        public var leadCode: String?
        public var method: String?
        public var path: String?
        public var decision: String?
        public var rule: String?
        /// The confirmation record's data: answer, by, how (prompt, --yes, always with grantSeq/grantedAt).
        public var confirmation: JSONObject?
        /// The approval's records, in order (proposed, approved or rejected with the note, executed …).
        public var approval: [AuditRecord] = []
        public var before: JSONValue = .null
        public var after: JSONValue = .null
        public var status: JSONValue = .null
        public var requestId: String?
        public var outcome: Outcome = .planned
    }

    /// What became of a change.
    public enum Outcome: String, Sendable {
        case planned, denied, invalid, declined, pending, rejected, expired, sent, failed
    }

    /// The write calls about `lead` (its id or its code, any case), oldest first.
    public static func changes(lead: String, in rows: [(record: AuditRecord, user: String?)]) -> [Change] {
        let wanted = lead.lowercased()
        var ids: Set<String> = [wanted]
        for (r, _) in rows {
            if r.data["leadCode"]?.stringValue?.lowercased() == wanted, let id = r.data["lead"]?.stringValue { ids.insert(id.lowercased()) }
        }
        var starts: [String: AuditRecord] = [:]
        var lastRequest: [String: String] = [:]
        var order: [String] = []
        var byCall: [String: [AuditRecord]] = [:]
        var requestOf: [String: String] = [:]
        var approvals: [String: [AuditRecord]] = [:]
        for (r, _) in rows {
            switch r.kind {
            case "session-start": starts[r.session] = r
            case "request": lastRequest[r.session] = r.data["text"]?.stringValue
            default: break
            }
            if r.kind.hasPrefix("approval-"), let ref = r.data["approval"]?.stringValue { approvals[ref, default: []].append(r) }
            guard let call = r.data["call"]?.stringValue else { continue }
            if byCall[call] == nil {
                order.append(call)
                requestOf[call] = lastRequest[r.session]
            }
            byCall[call, default: []].append(r)
        }
        var changes: [Change] = []
        for call in order {
            let records = byCall[call] ?? []
            guard records.contains(where: { $0.data["lead"]?.stringValue.map { ids.contains($0.lowercased()) } ?? false }) else { continue }
            let tool = records.first?.data["tool"]?.stringValue ?? ""
            let writes = records.contains { ["confirmation", "approval-proposed"].contains($0.kind) || ($0.kind == "http-request" && $0.data["method"] != "GET") }
                || ["update", "create", "upsert", "delete"].contains { tool.hasPrefix($0) }
            guard writes, let first = records.first else { continue }
            var change = Change(call: call, time: first.time, session: first.session, tool: tool)
            let start = starts[first.session]
            change.user = start?.data["user"]?.stringValue
            change.host = start?.data["host"]?.stringValue
            change.planner = start?.data["planner"]?.stringValue
            change.request = requestOf[call]
            for r in records {
                let d = r.data
                if change.lead == nil { change.lead = d["lead"]?.stringValue }
                if let code = d["leadCode"]?.stringValue { change.leadCode = code }
                switch r.kind {
                case "decision":
                    change.decision = d["decision"]?.stringValue
                    change.rule = d["rule"]?.stringValue
                    if change.decision == "deny" { change.outcome = .denied }
                case "validation-failure":
                    change.outcome = .invalid
                case "confirmation":
                    var c = JSONObject()
                    for key in ["answer", "by", "how", "grantSeq", "grantedAt"] { if let v = d[key] { c[key] = v } }
                    change.confirmation = c
                    change.before = d["before"] ?? .null
                    change.after = d["after"] ?? .null
                    if d["answer"] == "no" { change.outcome = .declined }
                case "http-request":
                    change.method = d["method"]?.stringValue
                    change.path = d["path"]?.stringValue
                    if change.after == .null { change.after = d["body"] ?? .null }
                case "http-response" where change.method != nil && change.method != "GET":
                    change.status = d["status"] ?? .null
                    change.requestId = d["requestId"]?.stringValue
                    change.outcome = (d["status"]?.intValue).map { (200..<300).contains($0) ? .sent : .failed } ?? .failed
                case "error":
                    change.outcome = .failed
                case "approval-proposed":
                    if change.before == .null { change.before = d["before"] ?? .null }
                    if change.after == .null { change.after = d["after"] ?? .null }
                    change.method = change.method ?? d["method"]?.stringValue
                    change.path = change.path ?? d["path"]?.stringValue
                    if let ref = d["approval"]?.stringValue { change.approval = approvals[ref] ?? [r] }
                    change.outcome = .pending
                default: break
                }
            }
            for a in change.approval {
                switch a.kind {
                case "approval-rejected": change.outcome = .rejected
                case "approval-expired": change.outcome = .expired
                case "approval-failed": change.outcome = .failed
                case "approval-executed":
                    change.status = a.data["status"] ?? change.status
                    change.requestId = a.data["requestId"]?.stringValue ?? change.requestId
                    change.outcome = .sent
                default: break
                }
            }
            changes.append(change)
        }
        return changes
    }

    public static func json(_ changes: [Change]) -> JSONValue {
        .array(changes.map { c in
            var o: JSONObject = [
                "time": .string(c.time), "call": .string(c.call), "session": .string(c.session),
                "user": c.user.map(JSONValue.string) ?? .null, "host": c.host.map(JSONValue.string) ?? .null,
                "planner": c.planner.map(JSONValue.string) ?? .null, "request": c.request.map(JSONValue.string) ?? .null,
                "tool": .string(c.tool), "lead": c.lead.map(JSONValue.string) ?? .null, "leadCode": c.leadCode.map(JSONValue.string) ?? .null,
                "method": c.method.map(JSONValue.string) ?? .null, "path": c.path.map(JSONValue.string) ?? .null,
                "decision": c.decision.map(JSONValue.string) ?? .null, "rule": c.rule.map(JSONValue.string) ?? .null,
                "confirmation": c.confirmation.map(JSONValue.object) ?? .null,
            ]
            o["approval"] = c.approval.isEmpty ? .null : .array(c.approval.map { a in
                var e: JSONObject = ["kind": .string(a.kind), "time": .string(a.time), "seq": .int(a.seq)]
                for key in ["approval", "state", "proposer", "decidedBy", "note"] { if let v = a.data[key] { e[key] = v } }
                return .object(e)
            })
            o["before"] = c.before
            o["after"] = c.after
            o["status"] = c.status
            o["requestId"] = c.requestId.map(JSONValue.string) ?? .null
            o["outcome"] = .string(c.outcome.rawValue)
            return .object(o)
        })
    }

    /// The changes as a reviewer reads them.
    public static func text(_ changes: [Change], lead: String) -> String {
        guard !changes.isEmpty else { return "no changes to \(lead) in the log\n" }
        var out = "\(lead): \(changes.count) change\(changes.count == 1 ? "" : "s")\n"
        func s(_ v: JSONValue?) -> String { v.map { $0.stringValue ?? $0.jsonString() } ?? "" }
        for c in changes {
            out += "\n\(c.time)  \(c.tool) \(c.method ?? "") \(c.path ?? "")  [\(c.outcome.rawValue)]  call \(c.call)\n"
            if let code = c.leadCode ?? c.lead { out += "  lead       \(code)\(c.leadCode != nil && c.lead != nil ? " (\(c.lead!))" : "")\n" }
            out += "  asked by   \(c.user ?? "unknown")\(c.host.map { "@\($0)" } ?? "") in session \(c.session.prefix(8))\(c.request.map { ": \"\($0)\"" } ?? "")\n"
            if let planner = c.planner { out += "  planner    \(planner)\n" }
            if let decision = c.decision { out += "  decision   \(decision) by \(c.rule ?? "?")\n" }
            if let k = c.confirmation {
                var how = s(k["how"])
                if how == "always" { how += " (granted at #\(s(k["grantSeq"])) \(s(k["grantedAt"])))" }
                out += "  confirmed  \(s(k["answer"])) by \(s(k["by"])) via \(how)\n"
            }
            for a in c.approval {
                let who = s(a.data["decidedBy"]).isEmpty ? s(a.data["proposer"]) : s(a.data["decidedBy"])
                let note = a.data["note"].map { ": \"\(s($0))\"" } ?? ""
                out += "  approval   \(a.kind.dropFirst("approval-".count)) \(s(a.data["approval"])) by \(who)\(note) at \(a.time)\n"
            }
            if case .object(let after) = c.after {
                let before = c.before.objectValue ?? [:]
                let parts = after.map { key, value in "\(key): \(before[key].map { $0.jsonString() } ?? "?") → \(value.jsonString())" }
                out += "  change     \(parts.joined(separator: ", "))\n"
            }
            if c.status != .null || c.requestId != nil { out += "  result     \(s(c.status)) request \(c.requestId ?? "none")\n" }
        }
        return out
    }
}
