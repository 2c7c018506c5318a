import AgentCore

/// One policy file as written: every setting optional, so `extends` can fill the rest.
public struct PolicyLayer: Sendable, Hashable {
    public var name: String
    public var file: String
    public var description: String?
    public var extends: String?
    /// `.some(nil)` is `allow: "*"`.
    public var allowedScopes: Set<String>??
    public var deniedScopes: Set<String>?
    public var allowedTools: Set<String>??
    public var deniedTools: Set<String>?
    public var reads: Decision.Verdict?
    public var writes: Decision.Verdict?
    public var unattendedWrites: Bool?
    public var rules: [PolicyRule] = []
    public var redact: Set<String>?
    public var hashInAudit: Set<String>?
    public var limits = Policy.Limits()
    /// `search: {allow: [code, name]}`; `.some(nil)` is `allow: any`.
    public var searchShapes: Set<SearchShape>??
    /// Line of each key written, keyed as `scopes.allow`, `writes`, `limits.maxPageSize`.
    public var lines: [String: Int] = [:]

    public init(name: String, file: String) {
        self.name = name
        self.file = file
    }
}
