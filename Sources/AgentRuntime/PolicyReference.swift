import AgentPolicy

/// A policy as this process found it by name, with the SHA-256 (hex) of its documents: what an action proposed under it binds to.
public struct PolicyReference: Sendable {
    public var policy: Policy
    public var hash: String

    public init(policy: Policy, hash: String) {
        self.policy = policy
        self.hash = hash
    }
}
