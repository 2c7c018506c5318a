import Foundation

/// Where konektor keeps configuration and state, following the XDG base directories.
public struct KonektorPaths: Sendable {
    public var configDirectory: URL
    public var stateDirectory: URL

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        let home = URL(fileURLWithPath: environment["HOME"] ?? NSHomeDirectory())
        let config = environment["XDG_CONFIG_HOME"].flatMap { $0.hasPrefix("/") ? URL(fileURLWithPath: $0) : nil }
            ?? home.appendingPathComponent(".config")
        let state = environment["XDG_STATE_HOME"].flatMap { $0.hasPrefix("/") ? URL(fileURLWithPath: $0) : nil }
            ?? home.appendingPathComponent(".local/state")
        configDirectory = config.appendingPathComponent("konektor")
        stateDirectory = state.appendingPathComponent("konektor")
    }

    /// Explicit folders (a test's temporary directory, a server's data folder).
    public init(configDirectory: URL, stateDirectory: URL) {
        self.configDirectory = configDirectory
        self.stateDirectory = stateDirectory
    }

    public var policiesDirectory: URL { configDirectory.appendingPathComponent("policies") }
    /// Pending actions of supervised sessions, shared by every konektor process of this user.
    public var approvalsFile: URL { stateDirectory.appendingPathComponent("approvals.sqlite") }
    public var auditDirectory: URL { stateDirectory.appendingPathComponent("audit") }
}
