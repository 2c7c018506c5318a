import AgentCore
import AgentRuntime

/// What the MCP layer asks of a konektor session for one MCP session.
public struct MCPSessionRequest: Sendable {
    public var client: MCPClientIdentity
    /// The planner the session records (the client), never asked to plan.
    public var planner: ClientPlanner
    /// The person behind the client, through elicitation; nil when the client cannot ask.
    public var confirmer: (any Confirmer)?
    /// What a write that needs confirmation says when the client cannot ask anyone.
    public var unconfirmableWrite: String

    public init(client: MCPClientIdentity, planner: ClientPlanner, confirmer: (any Confirmer)?, unconfirmableWrite: String) {
        self.client = client
        self.planner = planner
        self.confirmer = confirmer
        self.unconfirmableWrite = unconfirmableWrite
    }
}

/// A konektor session opened for one MCP session, with what the MCP layer shows beside its tools.
public struct OpenedSession: Sendable {
    public var session: Session
    /// The SKILL.md the session's catalog was read from (the pinned one, for a live API).
    public var skillText: String
    /// The effective policy, as `konektor policy show` prints it.
    public var policyText: String
    /// Whether every write waits for approval (`--supervised`), whatever the policy says.
    public var supervised: Bool
    /// Ends the session: its last audit record and checkpoint, the client's connections.
    public var close: @Sendable () async -> Void

    public init(session: Session, skillText: String, policyText: String, supervised: Bool, close: @escaping @Sendable () async -> Void) {
        self.session = session
        self.skillText = skillText
        self.policyText = policyText
        self.supervised = supervised
        self.close = close
    }
}

/// Opens konektor sessions for MCP sessions: one per stdio connection, one per streamable-HTTP session.
public protocol SessionOpening: Sendable {
    func open(_ request: MCPSessionRequest) async throws -> OpenedSession
}
