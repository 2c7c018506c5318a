/// Why a model provider did not give a step, in words a person can act on.
public struct ProviderError: Error, CustomStringConvertible, Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        case unauthorized, rateLimited, overloaded, server, contextTooLong, badRequest, notFound, timeout, transport, badResponse
    }

    public var kind: Kind
    public var provider: String
    public var message: String
    public var status: Int?

    public init(_ kind: Kind, provider: String, message: String, status: Int? = nil) {
        self.kind = kind
        self.provider = provider
        self.message = message
        self.status = status
    }

    public var description: String {
        let code = status.map { " (HTTP \($0))" } ?? ""
        return switch kind {
        case .unauthorized: "\(provider) refused the API key\(code): \(message). Check the key in the environment."
        case .rateLimited: "\(provider) is rate-limiting this key\(code): \(message). Wait a little and ask again."
        case .overloaded: "\(provider) is overloaded\(code): \(message). Ask again in a moment."
        case .server: "\(provider) failed\(code): \(message)."
        case .contextTooLong: "the conversation is too long for the model\(code): \(message). Start a new session or ask a narrower question."
        case .badRequest: "\(provider) rejected the request\(code): \(message)."
        case .notFound: "\(provider) has no such endpoint or model\(code): \(message). Check the base URL and the model name."
        case .timeout: "\(provider) did not answer in time: \(message)."
        case .transport: "cannot reach \(provider): \(message)."
        case .badResponse: "\(provider) sent a response konektor cannot read: \(message)."
        }
    }
}
