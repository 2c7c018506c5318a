import AgentCore

/// The API as one SKILL.md describes it: document facts, scopes, endpoints and reference tables.
///
/// A `Catalog` is pure data. It is built by ``SkillParser`` and read by every
/// other layer: the planner's tool list, the policy's scope checks, the
/// client's request building and the sandbox's route table all come from it.
public struct Catalog: Sendable, Hashable {
    public var title: String
    public var version: String?
    public var lastUpdated: String?
    public var baseURL: String?
    public var documentationURL: String?
    public var requirements: Requirements
    public var scopes: [Scope]
    public var endpoints: [Endpoint]
    public var rateLimits: [RateLimit]
    public var errorCodes: [ErrorCode]
    public var responseHeaders: [ResponseHeader]
    public var valueLists: [ValueList]

    public init(
        title: String, version: String? = nil, lastUpdated: String? = nil, baseURL: String? = nil,
        documentationURL: String? = nil, requirements: Requirements = Requirements(), scopes: [Scope] = [],
        endpoints: [Endpoint] = [], rateLimits: [RateLimit] = [], errorCodes: [ErrorCode] = [],
        responseHeaders: [ResponseHeader] = [], valueLists: [ValueList] = []
    ) {
        self.title = title
        self.version = version
        self.lastUpdated = lastUpdated
        self.baseURL = baseURL
        self.documentationURL = documentationURL
        self.requirements = requirements
        self.scopes = scopes
        self.endpoints = endpoints
        self.rateLimits = rateLimits
        self.errorCodes = errorCodes
        self.responseHeaders = responseHeaders
        self.valueLists = valueLists
    }

    /// The endpoints a planner may call: every endpoint except the document itself.
    public var tools: [Endpoint] { endpoints.filter(\.isTool) }

    /// The endpoint with this tool name, if any.
    public func tool(named name: String) -> Endpoint? {
        endpoints.first { $0.isTool && $0.toolName == name }
    }

    /// The endpoint for a method and path template such as `/api/v2/agent/leads/:id`.
    public func endpoint(method: String, pathTemplate: String) -> Endpoint? {
        endpoints.first { $0.method == method.uppercased() && $0.pathTemplate == pathTemplate }
    }

    /// The value list with this name ("Lead Statuses"), if the document has it.
    public func valueList(named name: String) -> ValueList? {
        valueLists.first { $0.name.lowercased() == name.lowercased() }
    }
}

/// The "Requirements" table: how a client must talk to the API.
public struct Requirements: Sendable, Hashable {
    /// `bearer` when the document asks for a Bearer token.
    public var authScheme: String?
    /// The environment variable that holds the API key (`KONEKTOR_API_KEY`).
    public var apiKeyEnvironmentVariable: String?
    /// True when the document says "HTTPS only".
    public var httpsOnly: Bool
    public var contentType: String?
    /// Every row as written, in order, for rows the fields above do not cover.
    public var rows: [KeyValue]

    public init(authScheme: String? = nil, apiKeyEnvironmentVariable: String? = nil, httpsOnly: Bool = false, contentType: String? = nil, rows: [KeyValue] = []) {
        self.authScheme = authScheme
        self.apiKeyEnvironmentVariable = apiKeyEnvironmentVariable
        self.httpsOnly = httpsOnly
        self.contentType = contentType
        self.rows = rows
    }
}

/// One key and value of a two-column table.
public struct KeyValue: Sendable, Hashable {
    public var key: String
    public var value: String
    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }
}

/// An API-key scope and what it grants.
public struct Scope: Sendable, Hashable {
    public var name: String
    public var description: String
    public init(name: String, description: String) {
        self.name = name
        self.description = description
    }
}

/// The request budget of one subscription plan.
public struct RateLimit: Sendable, Hashable {
    public var plan: String
    public var requestsPerMinute: Int
    public init(plan: String, requestsPerMinute: Int) {
        self.plan = plan
        self.requestsPerMinute = requestsPerMinute
    }
}

/// A documented error code with its HTTP status.
public struct ErrorCode: Sendable, Hashable {
    public var code: String
    public var httpStatus: Int
    public var description: String
    public init(code: String, httpStatus: Int, description: String) {
        self.code = code
        self.httpStatus = httpStatus
        self.description = description
    }
}

/// A documented response header.
public struct ResponseHeader: Sendable, Hashable {
    public var name: String
    public var description: String
    public init(name: String, description: String) {
        self.name = name
        self.description = description
    }
}

/// A named list from "Values Reference" such as `Lead Statuses: pageview, new, …`.
public struct ValueList: Sendable, Hashable {
    public var name: String
    /// Empty when the document left an unfilled placeholder instead of values.
    public var values: [String]
    public init(name: String, values: [String]) {
        self.name = name
        self.values = values
    }
}
