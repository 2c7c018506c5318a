/// A demo API key the sandbox prints on start, with what it may do.
public struct DemoKey: Sendable, Hashable {
    public enum State: String, Sendable, Hashable { case active, revoked, expired }

    /// What the key is for: `full`, `analyst`, `leads`, `revoked`, `expired`, `free`, `ip-restricted`.
    public var role: String
    /// The secret itself; the database stores only its SHA-256.
    public var key: String
    public var workspace: String
    public var workspaceId: String
    public var plan: String
    public var scopes: [String]
    public var state: State
    /// Addresses the key may be used from; empty means anywhere.
    public var ipAllowlist: [String]
}
