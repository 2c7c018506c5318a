import AgentCore
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import SkillCatalog
import Synchronization

/// The one HTTP client that talks to the Konektor API.
///
/// It sends only ``ValidatedCall``s, which only the catalog makes, to the one
/// base URL it was built with: there is no way to ask it for another URL.
/// Reads are retried on connection failures and 5xx with exponential backoff
/// and jitter; a write is repeated only when the request provably never left
/// (the connection was never made). A 429 is waited out up to a bound, and a
/// used-up rate-limit window is waited out before sending rather than after.
public final class KonektorClient: Sendable {
    public let configuration: ClientConfiguration
    public let catalog: Catalog
    let http: HTTPClient
    let observer: (any ClientObserver)?
    let lastRateLimit = Mutex<RateLimitState?>(nil)
    /// Wall-clock now, for comparing with `X-RateLimit-Reset`; injectable for tests.
    let now: @Sendable () -> Date
    let sleep: @Sendable (Duration) async throws -> Void

    /// - Parameter http: a client made by ``makeHTTPClient(_:)`` for this configuration, which this client then owns
    ///   (and shuts down); nil: one of its own.
    public init(
        configuration: ClientConfiguration, catalog: Catalog, http: HTTPClient? = nil, observer: (any ClientObserver)? = nil,
        now: @escaping @Sendable () -> Date = { Date() },
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    ) throws(ClientError) {
        try configuration.validate()
        self.configuration = configuration
        self.catalog = catalog
        self.observer = observer
        self.now = now
        self.sleep = sleep
        self.http = http ?? Self.makeHTTPClient(configuration)
    }

    /// The HTTP client this configuration calls for: no redirects followed, a refused connection failing at once.
    public static func makeHTTPClient(_ configuration: ClientConfiguration) -> HTTPClient {
        var http = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(connect: Self.timeAmount(configuration.connectTimeout), read: Self.timeAmount(configuration.readTimeout)))
        http.connectionPool.idleTimeout = .seconds(30)
        // A refused connection fails the request at once: the pool's own reconnect loop would hold it until the connect timeout,
        // once per attempt, and this client already decides about retries itself.
        http.connectionPool.retryConnectionEstablishment = false
        return HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, configuration: http)
    }

    /// Closes the connection pool; call once when the process is done with the API.
    public func shutdown() async {
        try? await http.shutdown()
    }

    static func timeAmount(_ d: Duration) -> TimeAmount {
        .nanoseconds(d.components.seconds * 1_000_000_000 + d.components.attoseconds / 1_000_000_000)
    }

    /// The rate-limit headers of the last response, if any.
    public var rateLimit: RateLimitState? { lastRateLimit.withLock { $0 } }

    /// Sends a validated call and returns the API's answer, retrying where it is safe.
    public func send(_ call: ValidatedCall) async throws(ClientError) -> APIResponse {
        let clock = ContinuousClock()
        let started = clock.now
        var attempt = 0
        var rateLimitRetries = 0
        var waited = Duration.zero
        while true {
            attempt += 1
            waited += try await waitForRateLimitWindow(call)
            let outcome = await exchange(call, attempt: attempt)
            let elapsed = clock.now - started
            switch outcome {
            case .response(var response):
                response.rateLimitWait = waited
                return response
            case .apiError(let error):
                if error.status == 429, rateLimitRetries < 3 {
                    let wait = Duration.seconds(max(1, error.retryAfter ?? 1))
                    guard wait <= configuration.maxRateLimitWait else {
                        throw .rateLimitWait(seconds: error.retryAfter ?? 0, limit: Int(configuration.maxRateLimitWait.components.seconds))
                    }
                    rateLimitRetries += 1
                    attempt -= 1
                    await observer?.willWaitForRateLimit(RateLimitWaitRecord(tool: call.toolName, wait: wait))
                    // A person told "Ctrl-C to stop" can stop the wait: cancellation ends it, and nothing is sent after it.
                    do { try await sleep(wait) } catch { throw .cancelled }
                    waited += wait
                    continue
                }
                // A write is never repeated once the server may have acted on it.
                if error.status >= 500, !call.endpoint.mayChangeState, attempt < configuration.maxReadAttempts, elapsed < configuration.retryBudget {
                    try? await sleep(backoff(attempt))
                    continue
                }
                throw .api(error)
            case .transport(let reason, let neverSent):
                let retriable = !call.endpoint.mayChangeState || neverSent
                if retriable, attempt < configuration.maxReadAttempts, elapsed < configuration.retryBudget {
                    try? await sleep(backoff(attempt))
                    continue
                }
                throw .transport(reason + (call.endpoint.mayChangeState && !neverSent ? " (a write is not retried once it may have reached the server)" : ""), attempts: attempt)
            case .invalid(let reason):
                throw .invalidResponse(reason)
            case .notRecorded(let reason):
                throw .notRecorded(reason)
            }
        }
    }

    /// Exponential backoff with full jitter: a random delay up to `initial × 2^(attempt-1)`, capped.
    func backoff(_ attempt: Int) -> Duration {
        let cap = min(configuration.maxBackoff, configuration.initialBackoff * (1 << min(attempt - 1, 16)))
        let nanos = cap.components.seconds * 1_000_000_000 + cap.components.attoseconds / 1_000_000_000
        return .nanoseconds(Int64.random(in: (nanos / 4)...max(nanos / 4, nanos)))
    }

    /// Waits for the window reset when the last response said none are left, and returns how long; refuses to wait past the bound.
    func waitForRateLimitWindow(_ call: ValidatedCall) async throws(ClientError) -> Duration {
        guard let state = rateLimit, state.remaining <= 0 else { return .zero }
        let seconds = Double(state.reset) - now().timeIntervalSince1970
        guard seconds > 0 else { return .zero }
        let wait = Duration.milliseconds(Int64(seconds * 1000))
        guard wait <= configuration.maxRateLimitWait else {
            throw .rateLimitWait(seconds: Int(seconds.rounded(.up)), limit: Int(configuration.maxRateLimitWait.components.seconds))
        }
        await observer?.willWaitForRateLimit(RateLimitWaitRecord(tool: call.toolName, wait: wait))
        do { try await sleep(wait) } catch { throw .cancelled }
        lastRateLimit.withLock { $0 = nil }
        return wait
    }

    enum Outcome {
        case response(APIResponse)
        case apiError(APIError)
        /// `neverSent` when the connection was never made, so even a write can be tried again.
        case transport(String, neverSent: Bool)
        case invalid(String)
        /// The observer could not record the request, so it was not sent.
        case notRecorded(String)
    }

    func exchange(_ call: ValidatedCall, attempt: Int) async -> Outcome {
        var request = HTTPClientRequest(url: configuration.baseURL + call.target)
        request.method = HTTPMethod(rawValue: call.method)
        request.headers.add(name: "Authorization", value: configuration.apiKey.authorizationValue)
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "User-Agent", value: "konektor/0.1")
        if let body = call.body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: JSONValue.object(body).jsonString()))
        }
        do {
            try await observer?.willSend(RequestRecord(tool: call.toolName, method: call.method, path: call.path, query: call.queryObject, body: call.body, attempt: attempt))
        } catch {
            return .notRecorded("\(error)")
        }
        let clock = ContinuousClock()
        let started = clock.now
        var record = ResponseRecord(tool: call.toolName, status: nil, requestId: nil, duration: .zero, rateLimitRemaining: nil, errorCode: nil, transportError: nil, attempt: attempt)
        record.mayChangeState = call.endpoint.mayChangeState
        do {
            let response = try await http.execute(request, timeout: Self.timeAmount(configuration.readTimeout + configuration.connectTimeout))
            let status = Int(response.status.code)
            let requestId = response.headers.first(name: "X-Request-Id")
            let rateLimit = Self.rateLimit(response.headers)
            if let rateLimit { lastRateLimit.withLock { $0 = rateLimit } }
            let buffer: ByteBuffer
            do {
                buffer = try await response.body.collect(upTo: 16 << 20)
            } catch {
                record.duration = clock.now - started
                record.status = status
                record.transportError = configuration.scrubber.scrub("\(error)")
                await observer?.didReceive(record)
                return .transport("the connection closed while the answer was being read (\(describe(error)))", neverSent: false)
            }
            record.duration = clock.now - started
            record.status = status
            record.requestId = requestId
            record.rateLimitRemaining = rateLimit?.remaining
            let text = String(buffer: buffer)
            let json = try? JSONValue(parsing: text)
            if (200..<300).contains(status) {
                await observer?.didReceive(record)
                guard let json, case .object = json else {
                    return .invalid("HTTP \(status) with a body that is not JSON (\(buffer.readableBytes) bytes: \(configuration.scrubber.scrub(String(text.prefix(80)))))")
                }
                return .response(APIResponse(status: status, body: json, requestId: requestId, rateLimit: rateLimit, duration: record.duration))
            }
            let retryAfter = response.headers.first(name: "Retry-After").flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
            let error: APIError
            if let envelope = json?["error"], let code = envelope["code"]?.stringValue {
                // Structured fields are scrubbed before anything is built from them: a server may echo the Authorization header.
                let scrubber = configuration.scrubber
                error = APIError(status: status, code: scrubber.scrub(code), message: scrubber.scrub(envelope["message"]?.stringValue ?? ""),
                                 details: scrubber.scrub(envelope["details"] ?? .null), requestId: requestId.map { scrubber.scrub($0) }, retryAfter: retryAfter)
            } else {
                error = APIError(status: status, code: "INVALID_RESPONSE",
                                 message: "HTTP \(status) without the error envelope (\(buffer.readableBytes) bytes)", requestId: requestId, retryAfter: retryAfter)
            }
            record.errorCode = error.code
            await observer?.didReceive(record)
            return .apiError(error)
        } catch {
            record.duration = clock.now - started
            record.transportError = describe(error)
            await observer?.didReceive(record)
            if Self.isConnectionRefused(error) {
                return .transport("nothing is listening at \(configuration.baseURL) (connection refused)", neverSent: true)
            }
            return .transport(describe(error), neverSent: Self.neverSent(error))
        }
    }

    static func rateLimit(_ headers: HTTPHeaders) -> RateLimitState? {
        guard let limit = headers.first(name: "X-RateLimit-Limit").flatMap({ Int($0) }),
            let remaining = headers.first(name: "X-RateLimit-Remaining").flatMap({ Int($0) }),
            let reset = headers.first(name: "X-RateLimit-Reset").flatMap({ Int64($0) })
        else { return nil }
        return RateLimitState(limit: limit, remaining: remaining, reset: reset)
    }

    /// True when the request cannot have reached the server: the connection was never established.
    static func neverSent(_ error: any Error) -> Bool {
        if let error = error as? HTTPClientError, error == .connectTimeout { return true }
        if error is NIOConnectionError { return true }
        if let error = error as? ChannelError, case .connectTimeout = error { return true }
        if let io = error as? IOError, io.errnoCode == ECONNREFUSED { return true }
        return false
    }

    /// A transport error in words, with every secret scrubbed: HTTP libraries quote header values in their errors.
    func describe(_ error: any Error) -> String { configuration.scrubber.scrub(Self.describe(error)) }

    /// True when the server's host answered that no one listens on the port: a dead server, or the wrong base URL.
    public static func isConnectionRefused(_ error: any Error) -> Bool {
        if let io = error as? IOError { return io.errnoCode == ECONNREFUSED }
        if let connection = error as? NIOConnectionError {
            return connection.connectionErrors.contains { isConnectionRefused($0.error) }
        }
        return false
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? HTTPClientError {
            switch error {
            case .connectTimeout: return "connection timed out"
            case .readTimeout: return "no answer within the read timeout"
            case .deadlineExceeded: return "no answer within the deadline"
            case .remoteConnectionClosed: return "the server closed the connection"
            default: return "\(error)"
            }
        }
        if error is NIOConnectionError { return "connection refused" }
        return "\(error)"
    }
}
