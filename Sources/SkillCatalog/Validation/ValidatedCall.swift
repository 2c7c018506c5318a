import AgentCore

/// A tool call that passed validation: a concrete request the client can send as is.
public struct ValidatedCall: Sendable, Hashable {
    public var endpoint: Endpoint
    /// The path with each path parameter percent-encoded into its segment.
    public var path: String
    /// Query parameters as strings, in the order the catalog lists them.
    public var query: [KeyValue]
    /// The JSON body for writes; nil when the endpoint takes none.
    public var body: JSONObject?
    /// Every argument after normalisation ("50" → 50), path parameters included.
    public var arguments: JSONObject

    public var method: String { endpoint.method }
    public var toolName: String { endpoint.toolName }

    /// The query object of the `ask --json` contract.
    public var queryObject: JSONObject {
        JSONObject(query.map { ($0.key, JSONValue.string($0.value)) })
    }

    /// Path and query as one request target (`/api/v2/agent/leads?status=new`).
    public var target: String {
        guard !query.isEmpty else { return path }
        return path + "?" + query.map { PercentEncoding.encodeQuery($0.key) + "=" + PercentEncoding.encodeQuery($0.value) }.joined(separator: "&")
    }
}
