import AgentCore

/// Whether a turn answered the request as asked, and if not, why not.
public enum TurnOutcome: String, Sendable, Hashable, CaseIterable {
    /// The answer answers the request (it may still report a failed or refused call).
    case answered
    /// The planner said what it did not understand; nothing was called for the unclear part.
    case notUnderstood = "not-understood"
    /// The planner asks one short question before it acts.
    case clarify
    /// Declined: the API cannot do it, or it is a bulk write.
    case unsupported
    /// Declined by the planner because the policy does not allow it.
    case denied

    public init(_ kind: Unresolved.Kind) {
        switch kind {
        case .notUnderstood: self = .notUnderstood
        case .clarify: self = .clarify
        case .unsupported: self = .unsupported
        case .denied: self = .denied
        }
    }

    /// False when the request was not understood well enough to act on (`understood` in `ask --json`).
    public var understood: Bool { self == .answered || self == .denied || self == .unsupported }
}
