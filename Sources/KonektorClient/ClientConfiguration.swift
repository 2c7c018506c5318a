import Foundation

/// Where the client sends requests and how patient it is.
public struct ClientConfiguration: Sendable {
    /// Scheme, host and optional port, no path: `https://konektor.id`.
    public var baseURL: String
    public var apiKey: APIKey
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

    /// Refuses plain HTTP to anything but this machine: the key would cross the network in clear text.
    public func validate() throws(ClientError) {
        guard let components = URLComponents(string: baseURL), let scheme = components.scheme?.lowercased(), let host = components.host, !host.isEmpty else {
            throw .insecureBaseURL("'\(baseURL)' is not a base URL such as https://konektor.id")
        }
        guard components.path.isEmpty || components.path == "/", components.query == nil, components.user == nil else {
            throw .insecureBaseURL("the base URL '\(baseURL)' must be scheme, host and port only; paths come from the catalog")
        }
        switch scheme {
        case "https": return
        case "http":
            if Self.isLoopback(host) { return }
            throw .insecureBaseURL("refusing plain HTTP to \(host): the API key would travel unencrypted; use https:// (plain HTTP is allowed only for this machine, e.g. the sandbox)")
        default:
            throw .insecureBaseURL("unsupported scheme '\(scheme)' in \(baseURL); use https://")
        }
    }

    static func isLoopback(_ host: String) -> Bool {
        let h = host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        if h == "localhost" || h == "::1" { return true }
        let parts = h.split(separator: ".")
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
    }
}
