import Foundation
import Logging

/// How to start a sandbox: where it listens, where its data lives, and what the data is.
public struct SandboxConfiguration: Sendable {
    public var host: String
    /// 0 picks a free port.
    public var port: Int
    /// Nil keeps the database in memory; a path keeps it across restarts.
    public var databasePath: String?
    public var seed: UInt64
    public var leadCount: Int
    public var clock: SandboxClock
    /// Multiplies every plan's rate limit, for load tests.
    public var rateLimitScale: Int
    public var logger: Logger
    /// Added before every API answer, to stand in for a slow network in demos and tests (never for SKILL.md).
    public var latency: Duration = .zero

    public init(
        host: String = "127.0.0.1", port: Int = 0, databasePath: String? = nil, seed: UInt64 = 42, leadCount: Int = 2000,
        clock: SandboxClock = .system(), rateLimitScale: Int = 1, logger: Logger = SandboxConfiguration.quietLogger
    ) {
        self.host = host
        self.port = port
        self.databasePath = databasePath
        self.seed = seed
        self.leadCount = leadCount
        self.clock = clock
        self.rateLimitScale = rateLimitScale
        self.logger = logger
    }

    /// A logger that reports only errors, for a sandbox running inside another program.
    public static var quietLogger: Logger {
        var logger = Logger(label: "konektor.sandbox")
        logger.logLevel = .error
        return logger
    }
}
