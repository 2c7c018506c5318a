import Foundation
import Logging

/// Which database the server keeps its state in.
public enum StoreLocation: Sendable, Hashable, CustomStringConvertible {
    /// A SQLite file; nil: in memory (tests, benchmarks).
    case sqlite(path: String?)
    case postgres(PostgresLocation)

    public var description: String {
        switch self {
        case .sqlite(let path): path ?? "SQLite in memory"
        case .postgres(let location): location.description
        }
    }

    /// Opens the store and creates its tables when missing.
    public func open(logger: Logger = Logger(label: "konektor.server")) async throws -> any SupervisionStore {
        let store: any SupervisionStore
        switch self {
        case .sqlite(let path): store = try SQLiteSupervisionStore(path: path)
        case .postgres(let location): store = PostgresSupervisionStore(location, logger: logger)
        }
        do {
            try await store.migrate()
        } catch {
            await store.close()
            throw ServerError.database(self, "\(error)")
        }
        return store
    }

    /// Where the witness keeps checkpoints by default: beside a SQLite file; none for memory or PostgreSQL.
    public var defaultWitnessDirectory: URL? {
        if case .sqlite(let path?) = self { return URL(fileURLWithPath: path + ".witness") }
        return nil
    }
}

/// Why the server could not start.
public enum ServerError: Error, CustomStringConvertible {
    case database(StoreLocation, String)
    case couldNotListen(host: String, port: Int, String)

    public var description: String {
        switch self {
        case .database(let location, let underlying): "cannot open the supervision database \(location): \(underlying)"
        case .couldNotListen(let host, let port, let underlying): "cannot listen on \(host):\(port): \(underlying)"
        }
    }
}
