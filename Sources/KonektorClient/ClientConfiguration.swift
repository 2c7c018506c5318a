import AgentCore
import Foundation

/// Where the client sends requests and how patient it is.
public struct ClientConfiguration: Sendable {
    /// Scheme, host and optional port, no path: `https://konektor.id`.
    public var baseURL: String
    public var apiKey: APIKey
    /// Every secret that must not come back out of the client in an error: the key, and whatever else the process holds.
    public var scrubber: SecretScrubber
    public var connectTimeout: Duration
    public var readTimeout: Duration
    /// Attempts for a read, the first included.
    public var maxReadAttempts: Int
    public var initialBackoff: Duration
    public var maxBackoff: Duration
    /// Total time retries of one call may take.
    public var retryBudget: Duration
    /// The longest `Retry-After` or rate-limit window the client waits out before giving up.
    public var maxRateLimitWait: Duration

    public init(
        baseURL: String, apiKey: APIKey, connectTimeout: Duration = .seconds(5), readTimeout: Duration = .seconds(30),
        maxReadAttempts: Int = 4, initialBackoff: Duration = .milliseconds(200), maxBackoff: Duration = .seconds(3),
        retryBudget: Duration = .seconds(20), maxRateLimitWait: Duration = .seconds(30)
    ) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.apiKey = apiKey
        self.scrubber = SecretScrubber([apiKey.scrubbed])
        self.connectTimeout = connectTimeout
        self.readTimeout = readTimeout
        self.maxReadAttempts = max(1, maxReadAttempts)
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
        self.retryBudget = retryBudget
        self.maxRateLimitWait = maxRateLimitWait
    }

    /// The base URL from `KONEKTOR_BASE_URL`, or Konektor's own.
    public static func baseURL(environment: [String: String]) -> String {
        environment["KONEKTOR_BASE_URL"].flatMap { $0.isEmpty ? nil : $0 } ?? "https://konektor.id"
    }

    /// Refuses what is not a base URL, user info in it, and plain HTTP to anything but this machine.
    public func validate() throws(ClientError) {
        do {
            _ = try ServiceURL(parsing: baseURL, variable: "the base URL (KONEKTOR_BASE_URL)", allowPath: false)
        } catch {
            throw .insecureBaseURL("\(error)")
        }
    }
}
