import AgentCore

/// An error the API answered with, in its documented envelope.
public struct APIError: Error, Sendable, Hashable, CustomStringConvertible {
    public var status: Int
    /// `VALIDATION_ERROR`, `FORBIDDEN`, … or `INVALID_RESPONSE` when the body was not the envelope.
    public var code: String
    public var message: String
    public var details: JSONValue
    public var requestId: String?
    /// Seconds the server asked to wait, for 429.
    public var retryAfter: Int?

    public init(status: Int, code: String, message: String, details: JSONValue = .null, requestId: String? = nil, retryAfter: Int? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.details = details
        self.requestId = requestId
        self.retryAfter = retryAfter
    }

    /// A sentence a person can act on, with the request id for support.
    public var description: String {
        var text: String
        switch (status, code) {
        case (401, _):
            text = "the API key was refused: \(message)"
        case (403, _):
            if let scope = details["requiredScope"]?.stringValue ?? Self.scope(in: message) {
                text = "the API key lacks scope \(scope)"
            } else if message.lowercased().contains("plan") {
                text = "the workspace's plan does not include the Agent API (\(message))"
            } else {
                text = "forbidden: \(message)"
            }
        case (400, _):
            if case .object(let fields) = details, !fields.isEmpty {
                text = "the API rejected the request: " + fields.map { "\($0.key): \($0.value.stringValue ?? $0.value.jsonString())" }.joined(separator: "; ")
            } else {
                text = "the API rejected the request: \(message)"
            }
        case (404, _):
            text = "not found: \(message)"
        case (429, _):
            text = "rate limited by the API" + (retryAfter.map { "; it asks to wait \($0) s" } ?? "")
        case (500..., _):
            text = "the API failed (\(status) \(code)): \(message)"
        default:
            text = "\(status) \(code): \(message)"
        }
        if let requestId { text += " [request \(requestId)]" }
        return text
    }

    static func scope(in message: String) -> String? {
        message.split(separator: " ").first { $0.hasPrefix("agent.") }.map(String.init)
    }
}
