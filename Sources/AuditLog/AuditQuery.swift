import AgentCore
import Foundation

/// Reads records back for people and for SIEMs: filters, one session's story, counts, CSV.
public struct AuditQuery: Sendable {
    /// Records at or after the start of this span.
    public var since: AuditTimeBound?
    /// Records before the end of this span (an instant includes itself; a day, all of it).
    public var until: AuditTimeBound?
    public var session: String?
    public var user: String?
    public var tool: String?
    public var decision: String?
    public var kinds: Set<String>

    public init(since: AuditTimeBound? = nil, until: AuditTimeBound? = nil, session: String? = nil, user: String? = nil, tool: String? = nil, decision: String? = nil, kinds: Set<String> = []) {
        self.since = since
        self.until = until
        self.session = session
        self.user = user
        self.tool = tool
        self.decision = decision
        self.kinds = kinds
    }

    /// Every readable record in chain order, with each session's user attached from its `session-start`.
    public static func records(in directory: URL) -> [(record: AuditRecord, user: String?)] {
        var users: [String: String] = [:]
        var out: [(AuditRecord, String?)] = []
        for url in LogFiles.list(directory) {
            guard let data = FileManager.default.contents(atPath: url.path) else { continue }
            for line in AuditVerifier.split([UInt8](data)) where line.terminated {
                guard let record = AuditRecord(line: line.bytes.string) else { continue }
                if record.kind == "session-start", let user = record.data["user"]?.stringValue { users[record.session] = user }
                out.append((record, users[record.session]))
            }
        }
        return out
    }

    public func matches(_ record: AuditRecord, user: String?) -> Bool {
        if since != nil || until != nil {
            guard let at = AuditTimeBound.recordMillis(record.time) else { return false }
            if let since, at < since.start { return false }
            if let until, at >= until.end { return false }
        }
        if let session, !record.session.hasPrefix(session) { return false }
        if let wanted = self.user, user != wanted { return false }
        if let tool, record.data["tool"]?.stringValue != tool { return false }
        if let decision, record.data["decision"]?.stringValue != decision { return false }
        if !kinds.isEmpty, !kinds.contains(record.kind) { return false }
        return true
    }

    public func select(in directory: URL) -> [(record: AuditRecord, user: String?)] {
        Self.records(in: directory).filter { matches($0.record, user: $0.user) }
    }

    /// One line per record: time, session, seq, kind, and what happened.
    public static func table(_ rows: [(record: AuditRecord, user: String?)]) -> String {
        var out = ""
        var lastSession = ""
        for (record, user) in rows {
            if record.session != lastSession {
                out += "── session \(record.session.prefix(8))\(user.map { " · \($0)" } ?? "")\n"
                lastSession = record.session
            }
            out += "\(record.time)  #\(record.seq)  \(record.kind.padding(toLength: 20, withPad: " ", startingAt: 0))  \(summary(record))\n"
        }
        return out
    }

    static func summary(_ r: AuditRecord) -> String {
        let d = r.data
        func s(_ key: String) -> String { d[key]?.stringValue ?? d[key].map { $0.jsonString() } ?? "" }
        switch r.kind {
        case "session-start": return "user \(s("user"))@\(s("host")), policy \(s("policy")), planner \(s("planner")), \(s("baseURL")), key \(s("keyFingerprint"))"
        case "request": return "asked: \(s("text"))"
        case "plan": return "planned \(s("tool")) \(d["arguments"]?.jsonString() ?? "")"
        case "decision": return "\(s("decision")) \(s("tool")) by \(s("rule")): \(s("reason"))"
        case "confirmation", "approval": return "\(s("tool")) \(s("answer")) by \(s("by")) via \(s("how"))"
        case "http-request": return "\(s("method")) \(s("path"))\(d["query"].map { q in q.objectValue?.isEmpty == false ? " " + q.jsonString() : "" } ?? "")"
        case "http-response": return "\(s("status")) \(s("errorCode")) request \(s("requestId")) in \(s("durationMs")) ms"
        case "answer": return s("text")
        case "checkpoint": return "signed up to #\(s("upTo")) by \(s("keyFingerprint"))"
        default: return d.isEmpty ? "" : JSONValue.object(d).jsonString()
        }
    }

    /// Counts by user, tool, decision and status.
    public static func stats(_ rows: [(record: AuditRecord, user: String?)]) -> JSONValue {
        var byUser: [String: Int] = [:], byTool: [String: Int] = [:], byDecision: [String: Int] = [:], byStatus: [String: Int] = [:], byKind: [String: Int] = [:]
        for (record, user) in rows {
            byKind[record.kind, default: 0] += 1
            if record.kind == "session-start" || record.kind == "request" { byUser[user ?? "unknown", default: 0] += 1 }
            if record.kind == "plan", let tool = record.data["tool"]?.stringValue { byTool[tool, default: 0] += 1 }
            if record.kind == "decision", let decision = record.data["decision"]?.stringValue { byDecision[decision, default: 0] += 1 }
            if record.kind == "http-response" { byStatus[record.data["status"].map { $0.stringValue ?? $0.jsonString() } ?? "none", default: 0] += 1 }
        }
        func object(_ d: [String: Int]) -> JSONValue { .object(JSONObject(d.sorted { $0.key < $1.key }.map { ($0.key, JSONValue.int($0.value)) })) }
        return ["records": .int(rows.count), "byKind": object(byKind), "byUser": object(byUser), "byTool": object(byTool), "byDecision": object(byDecision), "byStatus": object(byStatus)]
    }

    /// The CSV header: columns a spreadsheet can use without parsing JSON, then the record's hash and its data as JSON.
    public static let csvColumns = ["seq", "time", "session", "user", "kind", "call", "tool", "method", "path", "lead", "rule", "decision", "answer", "by", "how", "status", "requestId", "hash", "data"]

    /// RFC 4180 CSV with ``csvColumns``; a record of a call also shows the call's method, path and lead.
    public static func csv(_ rows: [(record: AuditRecord, user: String?)]) -> String {
        func field(_ s: String) -> String {
            s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
        }
        // What each call did, from its http-request (or confirmation) record, so its plan and decision rows carry it too.
        var calls: [String: (method: String, path: String)] = [:]
        for (r, _) in rows {
            if let call = r.data["call"]?.stringValue, let method = r.data["method"]?.stringValue, let path = r.data["path"]?.stringValue, calls[call] == nil {
                calls[call] = (method, path)
            }
        }
        var out = csvColumns.joined(separator: ",") + "\r\n"
        for (r, user) in rows {
            let d = r.data
            func text(_ key: String) -> String { d[key].map { $0.stringValue ?? ($0 == .null ? "" : $0.jsonString()) } ?? "" }
            let call = text("call")
            let by = text("by").isEmpty ? text("decidedBy") : text("by")
            let how = text("how").isEmpty && r.kind.hasPrefix("approval-") ? "approval" : text("how")
            out += [String(r.seq), r.time, r.session, user ?? "", r.kind, call, text("tool"),
                    text("method").isEmpty ? calls[call]?.method ?? "" : text("method"),
                    text("path").isEmpty ? calls[call]?.path ?? "" : text("path"),
                    text("lead"), text("rule"), text("decision"), text("answer"), by, how, text("status"), text("requestId"), r.hash, JSONValue.object(d).jsonString()]
                .map(field).joined(separator: ",") + "\r\n"
        }
        return out
    }

    /// ``stats(_:)`` as aligned text: one block per grouping.
    public static func statsText(_ rows: [(record: AuditRecord, user: String?)]) -> String {
        let stats = stats(rows)
        var out = "\(stats["records"]?.intValue ?? 0) records\n"
        for (title, key) in [("by kind", "byKind"), ("by user", "byUser"), ("by tool", "byTool"), ("by decision", "byDecision"), ("by HTTP status", "byStatus")] {
            guard let counts = stats[key]?.objectValue, !counts.isEmpty else { continue }
            let width = counts.map(\.key.count).max() ?? 0
            out += "\n\(title):\n"
            for (name, value) in counts.sorted(by: { ($0.value.intValue ?? 0, $1.key) > ($1.value.intValue ?? 0, $0.key) }) {
                out += "  " + name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + String(value.intValue ?? 0) + "\n"
            }
        }
        return out
    }
}
