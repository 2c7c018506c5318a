import AgentCore
import AgentPolicy
import MCP
import SkillCatalog

/// The tools an MCP client is offered: exactly those the policy offers, each saying what the policy will do with it.
public struct ToolListing: Sendable {
    /// The argument a write that became a pending action is called again with, to learn its outcome.
    public static let pendingArgument = "pendingAction"

    public let catalog: Catalog
    public let policy: Policy
    public let supervised: Bool

    public init(catalog: Catalog, policy: Policy, supervised: Bool) {
        self.catalog = catalog
        self.policy = policy
        self.supervised = supervised
    }

    /// What the policy does with a call of the tool when nothing in its arguments changes that.
    public func verdict(for endpoint: Endpoint) -> Decision.Verdict {
        let verdict = policy.decide(tool: endpoint.toolName, arguments: [:], catalog: catalog).verdict
        return supervised && endpoint.mayChangeState && verdict != .deny ? .approve : verdict
    }

    /// Whether a call of the tool may become a pending action (then it takes ``pendingArgument``).
    public func mayWaitForApproval(_ endpoint: Endpoint) -> Bool {
        guard endpoint.mayChangeState else { return false }
        if verdict(for: endpoint) == .approve { return true }
        return policy.rules.contains { $0.decision == .approve && ($0.tools.contains("*") || $0.tools.contains(endpoint.toolName)) }
    }

    public var endpoints: [Endpoint] { policy.offeredTools(in: catalog) }

    public var tools: [Tool] { endpoints.map(tool) }

    public func tool(_ endpoint: Endpoint) -> Tool {
        var schema = Catalog.inputSchema(for: endpoint, includeDialect: false)
        if mayWaitForApproval(endpoint), case .object(var object) = schema, case .object(var properties)? = object["properties"] {
            properties[Self.pendingArgument] = .object([
                "type": "string",
                "description": "RUN/ACTION of a pending action this tool returned earlier: call again with only this argument to learn its outcome.",
            ])
            object["properties"] = .object(properties)
            schema = .object(object)
        }
        return Tool(name: endpoint.toolName, title: endpoint.title, description: description(endpoint), inputSchema: schema.mcpValue,
                    annotations: Self.annotations(endpoint))
    }

    /// The endpoint's title, whether it writes, and what the policy will do: runs, asks you, or needs approval.
    public func description(_ endpoint: Endpoint) -> String {
        let what = switch verdict(for: endpoint) {
        case .allow: "runs at once"
        case .confirm: "asks you first (the exact request, current and new values); nothing is sent unless you accept"
        case .approve: "needs a person's approval (konektor approvals approve RUN/ACTION): the result is a pending action; call again with \(Self.pendingArgument) for its outcome"
        case .deny: "is refused"
        }
        return "\(endpoint.title) (\(endpoint.mayChangeState ? "writes" : "read-only")). Under the \(policy.name) policy konektor \(what)."
    }

    /// Hints from the endpoint's method: reads are read-only and idempotent; PUT, PATCH and DELETE overwrite or remove;
    /// PUT and DELETE are idempotent. Every tool reaches the Konektor API, outside this machine.
    public static func annotations(_ endpoint: Endpoint) -> Tool.Annotations {
        let method = endpoint.method.uppercased()
        guard endpoint.mayChangeState else {
            return Tool.Annotations(title: endpoint.title, readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true)
        }
        return Tool.Annotations(title: endpoint.title, readOnlyHint: false, destructiveHint: ["PUT", "PATCH", "DELETE"].contains(method),
                                idempotentHint: ["PUT", "DELETE", "GET"].contains(method), openWorldHint: true)
    }
}
