import AgentCore

/// The planner of a session whose calls an MCP client chooses: it names the client and never plans.
///
/// The session asks it nothing (MCP calls enter through `Session.perform`); it exists so that the
/// session's start record and every planner field in the audit log name who chose the calls.
public struct ClientPlanner: Planner {
    public let name: String

    public init(client: MCPClientIdentity) { name = client.plannerName }

    public func next(_ context: PlanningContext) async throws -> PlannerStep {
        .unresolved(Unresolved(.unsupported, "this session's calls are chosen by the MCP client \(name); it takes no requests in words"))
    }
}
