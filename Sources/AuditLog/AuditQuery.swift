import AgentCore
import Foundation

/// Reads records back for people and for SIEMs: filters, one session's story, counts, CSV.
public struct AuditQuery: Sendable {
    public var since: String?
    public var until: String?
    public var session: String?
    public var user: String?
    public var tool: String?
    public var decision: String?
    public var kinds: Set<String>

    public init(since: String? = nil, until: String? = nil, session: String? = nil, user: String? = nil, tool: String? = nil, decision: String? = nil, kinds: Set<String> = []) {
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
        if let since, record.time < since { return false }
        if let until, record.time > until { return false }
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

    /// RFC 4180 CSV: seq, time, session, user, kind, tool, decision, status, data (JSON).
    public static func csv(_ rows: [(record: AuditRecord, user: String?)]) -> String {
        func field(_ s: String) -> String {
            s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
        }
        var out = "seq,time,session,user,kind,tool,decision,status,hash,data\r\n"
        for (r, user) in rows {
            let status = r.data["status"].map { $0.stringValue ?? $0.jsonString() } ?? ""
            out += [String(r.seq), r.time, r.session, user ?? "", r.kind, r.data["tool"]?.stringValue ?? "", r.data["decision"]?.stringValue ?? "", status, r.hash, JSONValue.object(r.data).jsonString()]
                .map(field).joined(separator: ",") + "\r\n"
        }
        return out
    }
}
