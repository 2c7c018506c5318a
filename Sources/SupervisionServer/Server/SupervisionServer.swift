import Crypto
import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// `konektor server serve`: the supervision API, the approvers' page and the witness, on Hummingbird.
public final class SupervisionServer: Sendable {
    public struct Configuration: Sendable {
        public var host: String
        public var port: Int
        public var storage: StoreLocation
        public var options: SupervisionOptions
        public var logger: Logger
        public var now: @Sendable () -> Date
        /// Delays between webhook attempts.
        public var webhookBackoff: [Duration]

        public init(host: String = "127.0.0.1", port: Int = 0, storage: StoreLocation = .sqlite(path: nil), options: SupervisionOptions = .init(),
                    logger: Logger = Logger(label: "konektor.server"), now: @escaping @Sendable () -> Date = { Date() },
                    webhookBackoff: [Duration] = [.milliseconds(500), .seconds(2), .seconds(8), .seconds(30)]) {
            self.host = host
            self.port = port
            self.storage = storage
            self.options = options
            self.logger = logger
            self.now = now
            self.webhookBackoff = webhookBackoff
        }
    }

    public let configuration: Configuration
    public let api: SupervisionAPI

    init(configuration: Configuration, api: SupervisionAPI) {
        self.configuration = configuration
        self.api = api
    }

    /// Opens the store (creating tables and, on first start, the decision key).
    public static func prepare(_ configuration: Configuration) async throws -> SupervisionServer {
        let store = try await configuration.storage.open(logger: configuration.logger)
        let key: Curve25519.Signing.PrivateKey
        do { key = try await store.decisionKey() } catch {
            await store.close()
            throw ServerError.database(configuration.storage, "the decision key: \(error)")
        }
        let webhook = configuration.options.webhook.map { WebhookNotifier(url: $0, backoff: configuration.webhookBackoff, logger: configuration.logger) }
        let api = SupervisionAPI(store: store, key: key, options: configuration.options, webhook: webhook, logger: configuration.logger, now: configuration.now)
        return SupervisionServer(configuration: configuration, api: api)
    }

    func application(onListening: @escaping @Sendable (Int) async -> Void) -> some ApplicationProtocol {
        Application(
            responder: SupervisionResponder(api: api),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: nil),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? 0) },
            logger: configuration.logger)
    }

    public var publicKeyBase64: String { api.publicKey.rawRepresentation.base64EncodedString() }

    func url(port: Int) -> String {
        let host = configuration.host.contains(":") ? "[\(configuration.host)]" : configuration.host
        return "http://\(host):\(port)"
    }

    /// Serves until SIGINT or SIGTERM.
    public func runUntilSignalled(onListening: @escaping @Sendable (String) async -> Void) async throws {
        let group = ServiceGroup(configuration: .init(
            services: [application { port in
                self.api.webhook?.setPage(self.url(port: port) + "/")
                await onListening(self.url(port: port))
            }], gracefulShutdownSignals: [.sigterm, .sigint], logger: configuration.logger))
        try await group.run()
        await api.webhook?.shutdown(waitForDeliveries: false)
        await api.store.close()
    }

    /// Starts in-process; returns once the port is known.
    public func start() async throws -> RunningSupervisionServer {
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let group = ServiceGroup(configuration: .init(services: [application { port in continuation.yield(port) }], logger: configuration.logger))
        let task = Task { try await group.run() }
        Task {
            _ = try? await task.value
            continuation.finish()
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next(), port > 0 else {
            await api.store.close()
            do { try await task.value } catch { throw ServerError.couldNotListen(host: configuration.host, port: configuration.port, "\(error)") }
            throw ServerError.couldNotListen(host: configuration.host, port: configuration.port, "the server stopped before listening")
        }
        api.webhook?.setPage(url(port: port) + "/")
        return RunningSupervisionServer(server: self, port: port, group: group, task: task)
    }

    public static func start(_ configuration: Configuration) async throws -> RunningSupervisionServer {
        try await prepare(configuration).start()
    }
}

/// A supervision server serving in this process.
public final class RunningSupervisionServer: Sendable {
    public let server: SupervisionServer
    public let port: Int
    let group: ServiceGroup
    let task: Task<Void, any Error>

    init(server: SupervisionServer, port: Int, group: ServiceGroup, task: Task<Void, any Error>) {
        self.server = server
        self.port = port
        self.group = group
        self.task = task
    }

    public var baseURL: String { server.url(port: port) }
    public var api: SupervisionAPI { server.api }
    public var store: any SupervisionStore { server.api.store }
    /// Webhook deliveries not finished yet (0 without a webhook).
    public var webhookDeliveriesInFlight: Int { server.api.webhook?.inFlightCount ?? 0 }

    /// Stops accepting requests, waits for those in flight and for webhook deliveries, and closes the store.
    public func shutdown(waitForWebhooks: Bool = true) async {
        await group.triggerGracefulShutdown()
        _ = try? await task.value
        await server.api.webhook?.shutdown(waitForDeliveries: waitForWebhooks)
        await server.api.store.close()
    }
}
