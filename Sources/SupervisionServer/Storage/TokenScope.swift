/// What a supervision token may do.
public enum TokenScope: String, Sendable, Hashable, CaseIterable, Comparable {
    /// Propose runs and actions; read, claim and complete its own.
    case propose = "agents:propose"
    /// Read every run and the server's events.
    case read = "agents:read"
    /// Read, and approve or reject.
    case approve = "agents:approve"

    public static func < (lhs: TokenScope, rhs: TokenScope) -> Bool { lhs.rawValue < rhs.rawValue }

    /// Whether a token holding `scopes` may read every run (not only its own).
    static func readsAll(_ scopes: Set<TokenScope>) -> Bool { scopes.contains(.read) || scopes.contains(.approve) }
}
