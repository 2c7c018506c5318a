import Foundation

/// Where konektor keeps configuration and state, following the XDG base directories.
struct KonektorPaths {
    var configDirectory: URL
    var stateDirectory: URL

    init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        let home = URL(fileURLWithPath: environment["HOME"] ?? NSHomeDirectory())
        let config = environment["XDG_CONFIG_HOME"].flatMap { $0.hasPrefix("/") ? URL(fileURLWithPath: $0) : nil }
            ?? home.appendingPathComponent(".config")
        let state = environment["XDG_STATE_HOME"].flatMap { $0.hasPrefix("/") ? URL(fileURLWithPath: $0) : nil }
            ?? home.appendingPathComponent(".local/state")
        configDirectory = config.appendingPathComponent("konektor")
        stateDirectory = state.appendingPathComponent("konektor")
    }

    var policiesDirectory: URL { configDirectory.appendingPathComponent("policies") }
    /// Pending actions of supervised sessions, shared by every konektor process of this user.
    var approvalsFile: URL { stateDirectory.appendingPathComponent("approvals.sqlite") }
    var auditDirectory: URL { stateDirectory.appendingPathComponent("audit") }
}
