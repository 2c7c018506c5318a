import AgentCore

/// One line of the log: an event with its place in the hash chain.
///
/// The line is written as `{"seq":…,"prev":"…","time":…,"session":…,"kind":…,"data":…,"hash":"…"}`
/// and `hash` is the SHA-256 of every byte before `,"hash":"`. The writer's
/// encoding is canonical (fixed key order, one deterministic JSON form), so
/// the same record always has the same bytes, and any edit changes the hash.
public struct AuditRecord: Sendable, Hashable {
    public var seq: Int
    public var prev: String
    /// ISO 8601 in UTC with milliseconds.
    public var time: String
    public var session: String
    public var kind: String
    public var data: JSONObject
    public var hash: String

    /// The bytes the hash covers.
    static func body(seq: Int, prev: String, time: String, session: String, kind: String, data: JSONObject) -> String {
        "{\"seq\":\(seq),\"prev\":\"\(prev)\",\"time\":" + JSONValue.string(time).jsonString()
            + ",\"session\":" + JSONValue.string(session).jsonString()
            + ",\"kind\":" + JSONValue.string(kind).jsonString()
            + ",\"data\":" + JSONValue.object(data).jsonString(.canonical)
    }

    /// The full line, without its newline.
    var line: String { Self.body(seq: seq, prev: prev, time: time, session: session, kind: kind, data: data) + ",\"hash\":\"\(hash)\"}" }

    /// Parses a line for reading (show, export, stats); verification does not need this.
    public init?(line: String) {
        guard let value = try? JSONValue(parsing: line), case .object(let o) = value,
            let seq = o["seq"]?.intValue, let prev = o["prev"]?.stringValue, let time = o["time"]?.stringValue,
            let session = o["session"]?.stringValue, let kind = o["kind"]?.stringValue, case .object(let data)? = o["data"],
            let hash = o["hash"]?.stringValue
        else { return nil }
        self.init(seq: seq, prev: prev, time: time, session: session, kind: kind, data: data, hash: hash)
    }

    init(seq: Int, prev: String, time: String, session: String, kind: String, data: JSONObject, hash: String) {
        self.seq = seq
        self.prev = prev
        self.time = time
        self.session = session
        self.kind = kind
        self.data = data
        self.hash = hash
    }

    /// The hash of the record before the first one.
    public static let genesis = String(repeating: "0", count: 64)

    public var jsonValue: JSONValue {
        ["seq": .int(seq), "prev": .string(prev), "time": .string(time), "session": .string(session), "kind": .string(kind), "data": .object(data), "hash": .string(hash)]
    }
}
