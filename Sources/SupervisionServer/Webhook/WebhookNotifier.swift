import AgentCore
import Approvals
import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import Synchronization

/// Announces each new pending action to a webhook (Slack-compatible `text`), in the background, retried with backoff.
///
/// ``announce(_:)`` returns at once; the proposer never waits for the hook.
public final class WebhookNotifier: Sendable {
    public let url: URL
    /// Where the message's link points (the server's page), when known.
    let pageURL: Mutex<String?>
    let client: HTTPClient
    let logger: Logger
    /// Delays before the second, third, … attempt; the last attempt follows the last delay.
    let backoff: [Duration]
    let inFlight = Mutex<[UUID: Task<Void, Never>]>([:])

    public init(url: URL, backoff: [Duration] = [.milliseconds(500), .seconds(2), .seconds(8), .seconds(30)], logger: Logger = Logger(label: "konektor.server.webhook")) {
        self.url = url
        self.backoff = backoff
        self.logger = logger
        pageURL = Mutex(nil)
        client = HTTPClient(eventLoopGroupProvider: .singleton)
    }

    /// Deliveries not finished yet.
    public var inFlightCount: Int { inFlight.withLock { $0.count } }

    func setPage(_ url: String) { pageURL.withLock { $0 = url } }

    /// The JSON the hook receives for an action.
    func payload(_ stored: StoredAction) -> JSONValue {
        let a = stored.action
        let expires = UTCTimestamp.format(millis: PendingAction.millis(a.expiresAt))
        let target = a.arguments["id"]?.stringValue.map { " on \($0)" } ?? ""
        let page = pageURL.withLock { $0 }
        let text = "konektor: \(a.reference) waits for approval — \(a.tool)\(target) (\(a.method) \(a.path)), proposed by \(a.proposer.identity) (\(a.proposer.user)@\(a.proposer.host)), rule \(a.rule.isEmpty ? "—" : a.rule), expires \(expires)"
            + (page.map { " — \($0)" } ?? "")
        return ["text": .string(text), "reference": .string(a.reference), "tool": .string(a.tool), "proposer": .string(a.proposer.identity),
                "expiresAt": .string(expires), "digest": .string(stored.digest.hex)]
    }

    public func announce(_ stored: StoredAction) {
        let body = payload(stored).jsonString()
        let id = UUID()
        let task = Task { [self] in
            await deliver(body, reference: stored.action.reference)
            _ = inFlight.withLock { $0.removeValue(forKey: id) }
        }
        inFlight.withLock { $0[id] = task }
    }

    func deliver(_ body: String, reference: String) async {
        for attempt in 0...backoff.count {
            if attempt > 0 {
                do { try await Task.sleep(for: backoff[attempt - 1]) } catch { return }
            }
            var request = HTTPClientRequest(url: url.absoluteString)
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body))
            do {
                let response = try await client.execute(request, timeout: .seconds(10))
                _ = try? await response.body.collect(upTo: 64 * 1024)
                if (200..<300).contains(Int(response.status.code)) { return }
                logger.warning("webhook answered \(response.status.code) for \(reference); attempt \(attempt + 1)")
            } catch {
                logger.warning("webhook failed for \(reference): \(error); attempt \(attempt + 1)")
            }
        }
        logger.error("webhook gave up on \(reference) after \(backoff.count + 1) attempts")
    }

    /// Waits for every delivery under way (tests, shutdown), then closes the client.
    public func shutdown(waitForDeliveries: Bool = true) async {
        let tasks = inFlight.withLock { Array($0.values) }
        for task in tasks {
            if !waitForDeliveries { task.cancel() }
            await task.value
        }
        try? await client.shutdown()
    }

    /// Waits for the deliveries under way now.
    public func drain() async {
        let tasks = inFlight.withLock { Array($0.values) }
        for task in tasks { await task.value }
    }
}
