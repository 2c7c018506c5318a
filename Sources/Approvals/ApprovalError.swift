/// Why an approval step was refused, in words a person can act on.
public enum ApprovalError: Error, CustomStringConvertible, Sendable, Equatable {
    case badReference(String)
    case notFound(String)
    /// Decided already (by whom, when known), or past deciding.
    case alreadyDecided(String, state: PendingAction.State, by: String?)
    case expired(String)
    /// The stored action no longer matches what was proposed.
    case tampered(String)
    case notApproved(String, state: PendingAction.State)
    case storage(String)
    /// The proposing session already has `limit` actions waiting; a person must decide some first.
    case queueFull(session: String, limit: Int)
    /// The supervision server refused the step (`code` from its error envelope: FORBIDDEN, CONFLICT, UNAUTHORIZED, …).
    case server(code: String, message: String)

    public var description: String {
        switch self {
        case .badReference(let text): "'\(text)' is not an action reference; use RUN/ACTION, such as run_4k2m9x/1 (see konektor approvals list)"
        case .notFound(let reference): "no pending action \(reference) (see konektor approvals list --all)"
        case .alreadyDecided(let reference, let state, let by):
            "\(reference) is already \(state.rawValue)\(by.map { " (by \($0))" } ?? ""); nothing was changed"
        case .expired(let reference): "\(reference) expired before anyone decided; it counts as rejected. Ask again to propose it anew."
        case .tampered(let reference):
            "\(reference) was changed in the approvals store after it was proposed (its seal does not match); it will not run. Ask again to propose it anew."
        case .notApproved(let reference, let state): "\(reference) is \(state.rawValue), not approved; it cannot run"
        case .storage(let message): "the approvals store failed: \(message)"
        case .server(let code, let message): "the supervision server refused: \(message) (\(code))"
        case .queueFull(let session, let limit):
            "session \(session.prefix(8)) already has \(limit) actions waiting for a decision (limits.pendingPerSession); nothing more is proposed until a person decides some (konektor approvals list)"
        }
    }
}
