/// One step of a session, as the audit log records it.
///
/// Kinds: `session-start`, `request`, `plan`, `validation-failure`,
/// `decision`, `confirmation`, `approval`, `http-request`, `http-response`,
/// `answer`, `error`, `session-end`; the log adds `checkpoint` and
/// `torn-write-recovered` itself.
public struct AuditEvent: Sendable, Hashable {
    public var kind: String
    public var session: String
    public var data: JSONObject

    public init(kind: String, session: String, data: JSONObject) {
        self.kind = kind
        self.session = session
        self.data = data
    }
}
