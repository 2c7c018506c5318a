import AgentCore
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Where and how to reach a model provider.
public struct ProviderConfiguration: Sendable {
    /// The provider's base URL, as its SDKs take it (`https://api.openai.com/v1`, `https://api.anthropic.com`).
    public var baseURL: String
    /// Nil for local servers that need none (Ollama, llama.cpp).
    public var apiKey: String?
    public var model: String
    /// Attempts per step, for what is safe to repeat: 429, 5xx, overload, a dropped connection, a timeout.
    public var maxAttempts: Int
    /// The longest `retry-after` konektor waits out; a longer one is reported.
    public var maxRetryWait: Duration
    /// Whole-request limit, streaming included.
    public var timeout: Duration
    public var maxOutputTokens: Int
    /// The provider's key in every form it takes in text, for messages that might quote it.
    public var scrubber: SecretScrubber

    public init(baseURL: String, apiKey: String?, model: String, maxAttempts: Int = 3, maxRetryWait: Duration = .seconds(20),
                timeout: Duration = .seconds(120), maxOutputTokens: Int = 2048) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.apiKey = apiKey
        self.model = model
        self.maxAttempts = maxAttempts
        self.maxRetryWait = maxRetryWait
        self.timeout = timeout
        self.maxOutputTokens = maxOutputTokens
        self.scrubber = SecretScrubber(apiKey.map { [SecretScrubber.Secret(name: "provider key", value: $0, replacement: "[key]")] } ?? [])
    }
}

/// Posts one JSON request to a provider and reads the streamed answer, retrying what is safe to retry.
///
/// A model request has no side effect, so a failed attempt (429, 5xx,
/// overload, a connection dropped mid-stream) is repeated whole, within the
/// attempt budget; what cannot succeed on repeat (401, 400, 404) is reported
/// at once. The key is scrubbed from every message.
struct ProviderTransport: Sendable {
    let provider: String
    let configuration: ProviderConfiguration
    let sleep: @Sendable (Duration) async throws -> Void

    init(provider: String, configuration: ProviderConfiguration, sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }) {
        self.provider = provider
        self.configuration = configuration
        self.sleep = sleep
    }

    /// What came back: the events of a stream, or one `json` event when the server answered without streaming.
    ///
    /// `inspect` looks at a complete exchange and throws a ``RetryableFailure`` for one worth repeating
    /// (a stream cut short, an overload reported mid-stream) or a ``ProviderError`` for one that is not.
    func send(path: String, headers: [(String, String)], body: JSONValue, classify: @Sendable (Int, JSONValue?) -> ProviderError.Kind?,
              inspect: ([ServerSentEvent]) throws -> Void) async throws -> [ServerSentEvent] {
        var lastError: ProviderError?
        for attempt in 1...max(1, configuration.maxAttempts) {
            do {
                let events = try await attemptOnce(path: path, headers: headers, body: body, classify: classify)
                try inspect(events)
                return events
            } catch let error as RetryableFailure {
                lastError = error.error
                guard attempt < configuration.maxAttempts else { break }
                let backoff = Duration.milliseconds(500 * (1 << (attempt - 1)))
                let wait = error.retryAfter ?? backoff
                guard wait <= configuration.maxRetryWait else { break }
                try await sleep(wait)
            }
        }
        throw lastError ?? ProviderError(.transport, provider: provider, message: "no attempt was made")
    }

    struct RetryableFailure: Error {
        var error: ProviderError
        var retryAfter: Duration?
    }

    func attemptOnce(path: String, headers: [(String, String)], body: JSONValue, classify: @Sendable (Int, JSONValue?) -> ProviderError.Kind?) async throws -> [ServerSentEvent] {
        var request = HTTPClientRequest(url: configuration.baseURL + path)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Accept", value: "text/event-stream")
        request.headers.add(name: "User-Agent", value: "konektor/0.1")
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(string: body.jsonString()))
        let deadline = NIODeadline.now() + .nanoseconds(Int64(configuration.timeout.components.seconds) * 1_000_000_000 + configuration.timeout.components.attoseconds / 1_000_000_000)
        do {
            let response = try await HTTPClient.shared.execute(request, deadline: deadline)
            let status = Int(response.status.code)
            let contentType = response.headers.first(name: "content-type")?.lowercased() ?? ""
            guard (200..<300).contains(status) else {
                let text = String(buffer: try await response.body.collect(upTo: 1 << 20))
                throw failure(status: status, text: text, headers: response.headers, classify: classify)
            }
            if !contentType.contains("text/event-stream") {
                let text = String(buffer: try await response.body.collect(upTo: 8 << 20))
                return [ServerSentEvent(event: "json", data: text)]
            }
            var decoder = ServerSentEventDecoder()
            var events: [ServerSentEvent] = []
            for try await chunk in response.body {
                events.append(contentsOf: decoder.feed(chunk.readableBytesView))
            }
            if let last = decoder.finish() { events.append(last) }
            return events
        } catch let error as RetryableFailure {
            throw error
        } catch let error as ProviderError {
            throw error
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout {
            throw RetryableFailure(error: ProviderError(.timeout, provider: provider, message: "no complete answer within \(configuration.timeout)"))
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw RetryableFailure(error: ProviderError(.transport, provider: provider, message: scrub("\(error)")))
        }
    }

    /// Turns an error status and body into a ``ProviderError``; retryable ones come wrapped with their wait.
    func failure(status: Int, text: String, headers: HTTPHeaders, classify: @Sendable (Int, JSONValue?) -> ProviderError.Kind?) -> Error {
        let json = try? JSONValue(parsing: text)
        let message = scrub(json?["error"]?["message"]?.stringValue ?? json?["message"]?.stringValue ?? String(text.prefix(300)))
        let kind = classify(status, json) ?? {
            switch status {
            case 401, 403: .unauthorized
            case 404: .notFound
            case 408: .timeout
            case 429: .rateLimited
            case 529: .overloaded
            case 500...: .server
            default: .badRequest
            }
        }()
        let error = ProviderError(kind, provider: provider, message: message.isEmpty ? "no message" : message, status: status)
        switch kind {
        case .rateLimited, .overloaded, .server, .timeout:
            let retryAfter = headers.first(name: "retry-after").flatMap(Double.init).map { Duration.milliseconds(Int64($0 * 1000)) }
            return RetryableFailure(error: error, retryAfter: retryAfter)
        default:
            return error
        }
    }

    func scrub(_ text: String) -> String { configuration.scrubber.scrub(text) }
}
