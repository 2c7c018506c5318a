import Foundation
import GRDB
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// A Konektor-compatible server over a seeded SQLite database.
///
/// `prepare` opens (and on first use seeds) the database; `run` serves until
/// its task is cancelled or a graceful shutdown is triggered; ``start(_:)``
/// runs it in-process and returns once the port is known.
public final class SandboxServer: Sendable {
    public let configuration: SandboxConfiguration
    public let api: SandboxAPI
    /// The demo keys for this database's seed.
    public let keys: [DemoKey]

    init(configuration: SandboxConfiguration, api: SandboxAPI, keys: [DemoKey]) {
        self.configuration = configuration
        self.api = api
        self.keys = keys
    }

    /// Opens the database and seeds it if it is new. A file database keeps the seed it was made with.
    public static func prepare(_ configuration: SandboxConfiguration) throws -> SandboxServer {
        let database: SandboxDatabase
        do {
            database = try SandboxDatabase.open(path: configuration.databasePath)
        } catch {
            throw SandboxError.database(path: configuration.databasePath, underlying: "\(error)")
        }
        let seed = try database.writer.write { db -> UInt64 in
            if let stored = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'seed'"), let value = UInt64(stored) {
                return value
            }
            try DemoSeed(seed: configuration.seed, leadCount: max(0, configuration.leadCount), now: configuration.clock.now()).run(in: db)
            try db.execute(sql: "INSERT INTO meta (key, value) VALUES ('seed', ?), ('leads', ?)", arguments: [String(configuration.seed), String(configuration.leadCount)])
            return configuration.seed
        }
        let api = SandboxAPI(database: database, clock: configuration.clock, seed: seed, rateLimitScale: configuration.rateLimitScale, logger: configuration.logger)
        return SandboxServer(configuration: configuration, api: api, keys: DemoSeed.keys(seed: seed))
    }

    /// The Hummingbird application; `onListening` receives the bound port.
    func application(onListening: @escaping @Sendable (Int) async -> Void) -> some ApplicationProtocol {
        Application(
            responder: SandboxResponder(api: api, latency: configuration.latency),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: nil),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? 0) },
            logger: configuration.logger
        )
    }

    /// Serves until SIGINT or SIGTERM, for `konektor sandbox serve`.
    public func runUntilSignalled(onListening: @escaping @Sendable (Int) async -> Void) async throws {
        let group = ServiceGroup(configuration: .init(
            services: [application(onListening: onListening)], gracefulShutdownSignals: [.sigterm, .sigint], logger: configuration.logger))
        try await group.run()
    }

    /// Starts the server in-process on its configured (usually ephemeral) port.
    public func start() async throws -> RunningSandbox {
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let group = ServiceGroup(configuration: .init(services: [application { port in continuation.yield(port) }], logger: configuration.logger))
        let task = Task { try await group.run() }
        // If the server ends without ever listening, end the stream so the wait below ends too.
        Task {
            _ = try? await task.value
            continuation.finish()
        }
        var iterator = ports.makeAsyncIterator()
        let bound = await iterator.next()
        guard let port = bound, port > 0 else {
            do { try await task.value } catch { throw SandboxError.couldNotListen(host: configuration.host, port: configuration.port, underlying: "\(error)") }
            throw SandboxError.couldNotListen(host: configuration.host, port: configuration.port, underlying: "the server stopped before listening")
        }
        return RunningSandbox(server: self, port: port, group: group, task: task)
    }

    public static func start(_ configuration: SandboxConfiguration) async throws -> RunningSandbox {
        try await prepare(configuration).start()
    }
}

/// A sandbox serving in this process.
public final class RunningSandbox: Sendable {
    public let server: SandboxServer
    public let port: Int
    let group: ServiceGroup
    let task: Task<Void, any Error>

    init(server: SandboxServer, port: Int, group: ServiceGroup, task: Task<Void, any Error>) {
        self.server = server
        self.port = port
        self.group = group
        self.task = task
    }

    /// `http://127.0.0.1:PORT`.
    public var baseURL: String {
        let host = server.configuration.host.contains(":") ? "[\(server.configuration.host)]" : server.configuration.host
        return "http://\(host):\(port)"
    }

    public var keys: [DemoKey] { server.keys }

    /// The demo key for a role (`full`, `analyst`, `leads`, `revoked`, `expired`, `free`, `ip-restricted`).
    public func key(_ role: String) -> String { keys.first { $0.role == role }!.key }

    /// Stops accepting requests, finishes those in flight, and waits for the server to end.
    public func shutdown() async {
        await group.triggerGracefulShutdown()
        _ = try? await task.value
    }
}

/// Why a sandbox could not start.
public enum SandboxError: Error, CustomStringConvertible {
    case database(path: String?, underlying: String)
    case couldNotListen(host: String, port: Int, underlying: String)

    public var description: String {
        switch self {
        case .database(let path, let underlying):
            "cannot open the sandbox database \(path ?? "(in memory)"): \(underlying)"
        case .couldNotListen(let host, let port, let underlying):
            "cannot listen on \(host):\(port): \(underlying)"
        }
    }
}
