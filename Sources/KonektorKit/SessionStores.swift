import AgentCore
import AgentRuntime
import Approvals
import AuditLog
import Foundation

/// The stores a session and the approval commands write to: the audit log, the pending-action store and the keys both use.
///
/// One place opens them, so the CLI, the supervision server, the MCP server and the tests
/// read and write the same files with the same keys.
public struct SessionStores: Sendable {
    public let keys: AuditKeys
    public let audit: AuditLog
    public let approvals: ApprovalStore

    /// Opens (creating when missing) the keys in `configDirectory`, the audit log in `auditDirectory` and the approvals store.
    /// - Parameter hashedFields: the fields the audit log keeps as keyed hashes; nil keeps the log's defaults.
    public init(configDirectory: URL, auditDirectory: URL, approvalsFile: URL, hashedFields: Set<String>? = nil,
                secrets: SecretScrubber = SecretScrubber(), now: @escaping @Sendable () -> Date = { Date() }) throws {
        keys = try AuditKeys.loadOrCreate(in: configDirectory)
        approvals = ApprovalStore(path: approvalsFile.path, secret: keys.hmac, now: now)
        let configuration = AuditLog.Configuration(directory: auditDirectory, now: now)
        audit = if let hashedFields {
            try AuditLog(configuration: configuration, keys: keys, hashedFields: hashedFields, secrets: secrets)
        } else {
            try AuditLog(configuration: configuration, keys: keys, secrets: secrets)
        }
    }

    /// The stores in konektor's XDG folders.
    public init(paths: KonektorPaths, hashedFields: Set<String>? = nil, secrets: SecretScrubber = SecretScrubber()) throws {
        try self.init(configDirectory: paths.configDirectory, auditDirectory: paths.auditDirectory, approvalsFile: paths.approvalsFile,
                      hashedFields: hashedFields, secrets: secrets)
    }

    /// Records in the audit log what a person or the clock did to actions, against the proposing session.
    public func record(_ kind: String, _ actions: [PendingAction]) throws {
        for action in actions {
            try audit.append(AuditEvent(kind: kind, session: action.proposer.session, data: Session.auditData(action)))
        }
    }

    /// The actions waiting for a decision (every action with `all`), after logging the expirations nobody reported yet.
    public func list(all: Bool) throws -> [PendingAction] {
        let actions = try approvals.list(all: all)
        try record("approval-expired", try approvals.takeUnreportedExpirations())
        return actions
    }
}
