import Foundation

/// The server's rules that an operator chooses.
public struct SupervisionOptions: Sendable {
    /// Whether an approver may decide their own proposal (`--allow-self-approval`); off by default.
    public var allowSelfApproval: Bool
    /// How many actions one session may have waiting (`--max-pending-per-session`); more get 429.
    public var maxPendingPerSession: Int
    /// The longest a proposal may wait for a decision; later `expiresAt` values are cut to it.
    public var maxLifetime: TimeInterval
    /// Where a new pending action is announced (`--webhook`), if anywhere.
    public var webhook: URL?
    /// The folder the audit witness keeps checkpoints in; nil: no witness.
    public var witnessDirectory: URL?
    /// The witness's name in its cosignatures.
    public var witnessName: String

    public init(allowSelfApproval: Bool = false, maxPendingPerSession: Int = 20, maxLifetime: TimeInterval = 24 * 3600, webhook: URL? = nil,
                witnessDirectory: URL? = nil, witnessName: String = "konektor-server") {
        self.allowSelfApproval = allowSelfApproval
        self.maxPendingPerSession = maxPendingPerSession
        self.maxLifetime = maxLifetime
        self.webhook = webhook
        self.witnessDirectory = witnessDirectory
        self.witnessName = witnessName
    }
}
