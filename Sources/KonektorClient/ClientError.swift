/// Why a call did not produce an API response.
public enum ClientError: Error, Sendable, CustomStringConvertible {
    /// The API answered with an error envelope.
    case api(APIError)
    /// The base URL would send the key in clear text, or is not a URL.
    case insecureBaseURL(String)
    /// The connection failed, and retrying was not safe or did not help.
    case transport(String, attempts: Int)
    /// A 2xx answer whose body was not the JSON it should be.
    case invalidResponse(String)
    /// The rate limit would make us wait longer than allowed.
    case rateLimitWait(seconds: Int, limit: Int)
    /// The task was cancelled (Ctrl-C) while the client waited; nothing more was sent.
    case cancelled
    /// The request could not be recorded before it was sent (the audit log cannot be written), so it was not sent.
    case notRecorded(String)

    public var description: String {
        switch self {
        case .api(let error): "\(error)"
        case .insecureBaseURL(let reason): reason
        case .transport(let reason, let attempts):
            "could not reach the API\(attempts > 1 ? " after \(attempts) attempts" : ""): \(reason)"
        case .invalidResponse(let reason): "the API's answer could not be read: \(reason)"
        case .rateLimitWait(let seconds, let limit):
            "the API's rate limit is used up for \(seconds) s more (the most this client waits is \(limit) s); try again then"
        case .cancelled: "cancelled while waiting for the API's rate limit; nothing more was sent"
        case .notRecorded(let reason): "not sent: the request could not be recorded first (\(reason))"
        }
    }

    /// The API error, when the server answered with one.
    public var apiError: APIError? { if case .api(let e) = self { e } else { nil } }
}
