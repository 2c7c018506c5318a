import AgentCore
import AgentPolicy
import AgentRuntime
import Approvals
import AuditLog
import Foundation
import KonektorMCP
import MCP
import Synchronization
import TestSupport

/// Opens sessions over a ``RuntimeFixture``'s sandbox, as the command line would, and remembers what it was asked for.
final class FixtureOpener: SessionOpening, Sendable {
    let fixture: RuntimeFixture
    let policy: String
    let supervised: Bool
    let approvals: ApprovalStore?
    let requests = Mutex<[MCPClientIdentity]>([])
    let closed = Mutex(0)

    init(_ fixture: RuntimeFixture, policy: String = "default", supervised: Bool = false, approvals: ApprovalStore? = nil) {
        self.fixture = fixture
        self.policy = policy
        self.supervised = supervised
        self.approvals = approvals
    }

    func open(_ request: MCPSessionRequest) async throws -> OpenedSession {
        requests.withLock { $0.append(request.client) }
        var configuration = Session.Configuration()
        configuration.supervised = supervised
        configuration.unconfirmableWrite = request.unconfirmableWrite
        configuration.confirmerChannel = "elicitation"
        let policy = try PolicyLibrary(catalog: fixture.catalog).resolve(policy)
        let session = Session(id: "mcp-\(UUID().uuidString.prefix(8).lowercased())", catalog: fixture.catalog, policy: policy, planner: request.planner,
                              client: fixture.client, audit: fixture.audit, confirmer: request.confirmer, workspace: RuntimeFixture.workspace,
                              configuration: configuration, approvals: approvals)
        return OpenedSession(session: session, skillText: "# SKILL.md of the test", policyText: "policy \(policy.name)", supervised: supervised,
                             close: { [self] in self.closed.withLock { $0 += 1 } })
    }
}

/// A person behind the test client: answers each elicitation in turn and remembers the questions.
final class ElicitationScript: Sendable {
    let answers: Mutex<[CreateElicitation.Result.Action]>
    let asked = Mutex<[String]>([])
    init(_ answers: [CreateElicitation.Result.Action]) { self.answers = Mutex(answers) }

    func answer(_ parameters: CreateElicitation.Parameters) -> CreateElicitation.Result {
        if case .form(let form) = parameters { asked.withLock { $0.append(form.message) } }
        let action = answers.withLock { $0.isEmpty ? .decline : $0.removeFirst() }
        return CreateElicitation.Result(action: action, content: action == .accept ? ["always": .bool(false)] : nil)
    }
}

/// The SDK's own client, connected to an ``MCPSessionServer`` in memory.
struct InProcessClient {
    let client: Client
    let server: MCPSessionServer

    static func connect(_ opener: any SessionOpening, elicitation: ElicitationScript? = nil, limits: MCPLimits = MCPLimits(),
                        now: @escaping @Sendable () -> Date = { Date() }) async throws -> InProcessClient {
        let (clientSide, serverSide) = await InMemoryTransport.createConnectedPair()
        let server = MCPSessionServer(opener: opener, version: "test", limits: limits, now: now)
        try await server.start(transport: serverSide)
        let client = Client(name: "in-process", version: "9.9", capabilities: Client.Capabilities(elicitation: elicitation == nil ? nil : Client.Capabilities.Elicitation()))
        if let elicitation {
            await client.withElicitationHandler { parameters in elicitation.answer(parameters) }
        }
        try await client.connect(transport: clientSide)
        return InProcessClient(client: client, server: server)
    }

    /// Calls a tool and reads its one JSON text back.
    func call(_ name: String, _ arguments: [String: Value]) async throws -> (isError: Bool, value: JSONValue) {
        let (content, isError): (content: [Tool.Content], isError: Bool?) = try await client.callTool(name: name, arguments: arguments)
        guard case .text(let text, _, _)? = content.first else { return (isError ?? false, .null) }
        return (isError ?? false, try JSONValue(parsing: text))
    }

    func close() async {
        await client.disconnect()
        await server.close()
    }
}
