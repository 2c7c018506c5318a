import Approvals
import Foundation

/// One request of a proposer's session and the actions proposed for it.
public struct RunRecord: Sendable, Hashable {
    public var id: String
    public var session: String
    public var request: String
    /// The identity (token name) that created the run; a propose-only token sees only its own runs.
    public var identity: String
    public var createdAt: Date
    public var actions: [StoredAction]

    public init(id: String, session: String, request: String, identity: String, createdAt: Date, actions: [StoredAction] = []) {
        self.id = id
        self.session = session
        self.request = request
        self.identity = identity
        self.createdAt = createdAt
        self.actions = actions
    }

    /// The run's state: the most pressing of its actions' states, `open` while it has none.
    public var status: String {
        let order: [PendingAction.State] = [.pending, .approved, .executing, .failed, .executed, .rejected, .expired]
        let states = Set(actions.map(\.action.state))
        return order.first(where: states.contains)?.rawValue ?? "open"
    }
}

/// Which runs a listing returns.
public struct RunFilter: Sendable, Hashable {
    /// Runs with at least one action in this state; nil: every run.
    public var state: PendingAction.State?
    public var session: String?
    /// Only runs created by this identity (a propose-only token).
    public var identity: String?
    public var limit: Int

    public init(state: PendingAction.State? = nil, session: String? = nil, identity: String? = nil, limit: Int = 200) {
        self.state = state
        self.session = session
        self.identity = identity
        self.limit = limit
    }
}
