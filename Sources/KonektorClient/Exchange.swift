import AgentCore

/// One request as the observer sees it: never the key.
public struct RequestRecord: Sendable, Hashable {
    public var tool: String
    public var method: String
    public var path: String
    public var query: JSONObject
    public var body: JSONObject?
    /// 1 for the first try.
    public var attempt: Int
}

/// What came back for a ``RequestRecord``.
public struct ResponseRecord: Sendable, Hashable {
    public var tool: String
    public var status: Int?
    public var requestId: String?
    public var duration: Duration
    public var rateLimitRemaining: Int?
    public var errorCode: String?
    /// Set when no HTTP response arrived.
    public var transportError: String?
    public var attempt: Int
    /// Whether the request may have changed state on the server (a write, or a read suspected of writing).
    public var mayChangeState = true
}

/// A wait for the API's rate limit that is about to start, so a person can be told (and stop it).
public struct RateLimitWaitRecord: Sendable, Hashable {
    public var tool: String
    public var wait: Duration

    /// Whole seconds, rounded up: what a person is told.
    public var seconds: Int { Int(wait.components.seconds) + (wait.components.attoseconds > 0 ? 1 : 0) }
}

/// Receives every request and response the client makes; the audit log hooks in here.
public protocol ClientObserver: Sendable {
    /// Called before a request is sent; a thrown error stops it (an audit log that cannot record it), and nothing is sent.
    func willSend(_ request: RequestRecord) async throws
    func didReceive(_ response: ResponseRecord) async
    /// Called before the client sleeps for the rate limit (a 429's `Retry-After`, or a used-up window).
    func willWaitForRateLimit(_ wait: RateLimitWaitRecord) async
}

extension ClientObserver {
    public func willWaitForRateLimit(_ wait: RateLimitWaitRecord) async {}
}

/// A successful API response.
public struct APIResponse: Sendable {
    public var status: Int
    /// The whole envelope: `success`, `data`, and `pagination` where the endpoint has it.
    public var body: JSONValue
    public var requestId: String?
    public var rateLimit: RateLimitState?
    public var duration: Duration
    /// Time spent waiting for the API's rate limit before this answer came.
    public var rateLimitWait: Duration = .zero

    public var data: JSONValue { body["data"] ?? .null }
}

/// The `X-RateLimit-*` headers of the last response.
public struct RateLimitState: Sendable, Hashable {
    public var limit: Int
    public var remaining: Int
    /// Unix seconds.
    public var reset: Int64
}
