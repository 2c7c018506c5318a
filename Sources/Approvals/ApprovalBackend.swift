import AgentCore
import Crypto
import Foundation

/// Where a supervised session's pending actions live and are decided: the local store, or a supervision server.
///
/// Every step is one call that either happens exactly once or is refused with an ``ApprovalError``:
/// propose, decide, claim (approved → executing, one winner), complete (executing → executed or failed).
/// A backend whose decisions are signed (``decisionKey()`` is not nil) is trusted only through the
/// signature: the runtime verifies it against the action it is about to send before it claims.
public protocol ApprovalBackend: Sendable {
    /// Where the actions are, for messages: a file path or a server's URL.
    var location: String { get }
    /// The pinned Ed25519 key decisions must be signed with; nil when decisions are not signed (the local store).
    func decisionKey() async throws -> Curve25519.Signing.PublicKey?
    /// Starts a run for one request of a session and returns its id.
    func newRun(session: String, request: String) async throws -> String
    /// Stores a proposed action as pending; refused with ``ApprovalError/queueFull(session:limit:)`` when its session has `maxPendingPerSession` waiting.
    func propose(_ proposal: PendingAction, maxPendingPerSession: Int?) async throws -> PendingAction
    func action(_ reference: String) async throws -> PendingAction
    func actions(ofRun run: String) async throws -> [PendingAction]
    /// Pending, approved and executing actions (every action with `all`), of one session when `session` is given.
    func list(all: Bool, session: String?) async throws -> [PendingAction]
    /// A person's decision; `person` is what the local store records (a server records the token's identity).
    func decide(_ reference: String, approve: Bool, by person: String, note: String?) async throws -> PendingAction
    /// Takes an approved action for running: exactly one caller ever gets it.
    func claim(_ reference: String) async throws -> PendingAction
    /// Records what running a claimed action did; executed and failed are terminal.
    func complete(_ reference: String, executed: Bool, status: Int?, requestId: String?, result: JSONValue?, error: String?) async throws -> PendingAction
    /// Ends an action that will not be sent (its seal broke, its policy denies it now); terminal.
    func fail(_ reference: String, error: String) async throws
    /// Expired actions nobody recorded yet, each handed out once (a server records its own: none).
    func takeUnreportedExpirations() async throws -> [PendingAction]
    /// Releases connections; the backend is not used after this.
    func shutdown() async
}

extension ApprovalStore: ApprovalBackend {
    public var location: String { path }
    public func decisionKey() async throws -> Curve25519.Signing.PublicKey? { nil }
    public func shutdown() async {}
}
