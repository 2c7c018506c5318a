import AgentCore

/// One documented endpoint and, unless it serves the document itself, the tool a planner may call.
public struct Endpoint: Sendable, Hashable {
    /// A stable camel-case name derived from the title (`listLeads`, `getWorkspace`).
    public var toolName: String
    public var title: String
    /// Upper-case HTTP method.
    public var method: String
    /// The path as documented, with `:name` path parameters (`/api/v2/agent/leads/:id`).
    public var pathTemplate: String
    public var auth: Auth
    public var parameters: [Parameter]
    public var examples: [Example]
    /// Set when the endpoint is documented as a read but its path or title names a change of state; see ``mayChangeState``.
    public var writeSuspicion: WriteSuspicion?

    public init(
        toolName: String, title: String, method: String, pathTemplate: String, auth: Auth, parameters: [Parameter] = [],
        examples: [Example] = [], writeSuspicion: WriteSuspicion? = nil
    ) {
        self.toolName = toolName
        self.title = title
        self.method = method
        self.pathTemplate = pathTemplate
        self.auth = auth
        self.parameters = parameters
        self.examples = examples
        self.writeSuspicion = writeSuspicion
    }

    /// Who may call an endpoint.
    public enum Auth: Sendable, Hashable {
        case `public`
        case scope(String)

        public var scope: String? { if case .scope(let s) = self { s } else { nil } }
    }

    /// True for every method that changes state on the server.
    public var isWrite: Bool { !["GET", "HEAD", "OPTIONS"].contains(method) }

    /// True when the endpoint writes by its method or is suspected of writing despite it (``writeSuspicion``).
    ///
    /// This is what a policy gate should treat as a write: a document from the
    /// network can declare `GET …/mark-won`, and only a person reviewing the
    /// catalog can say it is a harmless read.
    public var mayChangeState: Bool { isWrite || writeSuspicion != nil }

    /// False for the endpoint that serves SKILL.md itself: it is catalogued, never planned.
    public var isTool: Bool { !pathTemplate.hasSuffix("/SKILL.md") }

    /// The path parameter names in template order.
    public var pathParameterNames: [String] {
        pathTemplate.split(separator: "/").compactMap { $0.hasPrefix(":") ? String($0.dropFirst()) : nil }
    }

    /// The path template in OpenAPI form (`/api/v2/agent/leads/{id}`).
    public var openAPIPath: String {
        "/" + pathTemplate.split(separator: "/").map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }.joined(separator: "/")
    }

    public func parameter(named name: String) -> Parameter? {
        parameters.first { $0.name == name }
    }

    public func parameters(in location: Parameter.Location) -> [Parameter] {
        parameters.filter { $0.location == location }
    }
}

/// A worked example from the document: the curl request and the JSON response.
public struct Example: Sendable, Hashable {
    /// The curl command on one line, continuation backslashes removed.
    public var command: String
    public var method: String
    public var url: String?
    /// The `-d` body, parsed, when it is JSON.
    public var requestBody: JSONValue?
    public var response: JSONValue?

    public init(command: String, method: String, url: String?, requestBody: JSONValue?, response: JSONValue?) {
        self.command = command
        self.method = method
        self.url = url
        self.requestBody = requestBody
        self.response = response
    }
}
