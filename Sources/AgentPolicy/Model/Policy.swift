import AgentCore
import SkillCatalog

/// A least-privilege policy: which tools and scopes a session may use, and how each call is decided.
///
/// A `Policy` is the effective policy after `extends` is resolved. Every
/// setting remembers where it was written (``Origin``), so a decision can name
/// the file and line that made it.
public struct Policy: Sendable, Hashable {
    public var name: String
    public var description: String
    /// The chain this policy was built from, most general first (`default`, `analyst`).
    public var lineage: [String]
    /// Scopes the session may use; nil allows every scope the catalog names.
    public var allowedScopes: Set<String>?
    public var deniedScopes: Set<String>
    /// Tools the session may use; nil allows every tool.
    public var allowedTools: Set<String>?
    public var deniedTools: Set<String>
    /// The verdict for a write no rule decides.
    public var writes: Decision.Verdict
    /// The verdict for a read no rule decides.
    public var reads: Decision.Verdict
    /// Whether `--yes` may turn confirmations into approvals when no person is at a terminal.
    public var unattendedWrites: Bool
    public var rules: [PolicyRule]
    /// Result fields the planner never sees.
    public var redact: Set<String>
    /// Fields the audit log stores only as keyed hashes.
    public var hashInAudit: Set<String>
    public var limits: Limits
    /// The shapes a `search` argument may take; nil allows any value.
    public var searchShapes: Set<SearchShape>?
    /// Where each top-level setting was written, for decisions that cite it.
    public var origins: [String: Origin]

    public init(name: String) {
        self.name = name
        description = ""
        lineage = [name]
        allowedScopes = nil
        deniedScopes = []
        allowedTools = nil
        deniedTools = []
        writes = .confirm
        reads = .allow
        unattendedWrites = false
        rules = []
        redact = []
        hashInAudit = ["email", "phone", "firstName", "lastName", "notes"]
        limits = Limits()
        searchShapes = nil
        origins = [:]
    }

    /// Bounds on how much a session may do.
    public struct Limits: Sendable, Hashable {
        public var callsPerTurn: Int?
        public var writesPerSession: Int?
        public var maxPageSize: Int?
        /// Actions of one session that may wait for a decision at once; nil means ``defaultPendingPerSession``.
        public var pendingPerSession: Int?

        /// The pending queue's bound when no policy sets one: enough for a batch a person can review, not a flood.
        public static let defaultPendingPerSession = 20

        /// The bound that applies: the policy's, or the default.
        public var effectivePendingPerSession: Int { pendingPerSession ?? Self.defaultPendingPerSession }

        public init(callsPerTurn: Int? = nil, writesPerSession: Int? = nil, maxPageSize: Int? = nil, pendingPerSession: Int? = nil) {
            self.callsPerTurn = callsPerTurn
            self.writesPerSession = writesPerSession
            self.maxPageSize = maxPageSize
            self.pendingPerSession = pendingPerSession
        }
    }

    /// The file and line a setting came from.
    public struct Origin: Sendable, Hashable, CustomStringConvertible {
        public var file: String
        public var line: Int
        public init(file: String, line: Int) {
            self.file = file
            self.line = line
        }
        public var description: String { "\(file):\(line)" }
    }

    /// A rule reference for a decision: `policies/analyst.yaml:7 (tools.deny)`.
    public func cite(_ key: String) -> String {
        if let origin = origins[key] { return "\(origin) (\(key))" }
        return "policy \(name) (\(key), default)"
    }
}
