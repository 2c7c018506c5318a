import AgentCore

/// A rule that matches calls by tool and argument values and gives them a verdict.
///
/// ```yaml
/// - name: closing-a-deal
///   tools: "*"
///   access: write                   # only writes (or: read, any)
///   when: { status: [won, lost] }   # any listed value matches
///   has: [actualValue]              # or: the argument is present at all
///   decision: deny
///   reason: Only a supervisor may close a deal.
/// ```
/// `when` and `has` are alternatives: the rule matches a call to one of its
/// tools if any `when` value or any `has` field matches. A rule with neither
/// matches every call to its tools.
public struct PolicyRule: Sendable, Hashable {
    public var name: String
    /// Tool names; `*` matches every tool.
    public var tools: [String]
    /// `write`, `read` or `any`: which calls the rule considers at all.
    public var access: String
    public var when: [String: [String]]
    public var has: [String]
    public var decision: Decision.Verdict
    public var reason: String
    public var origin: Policy.Origin

    public init(name: String, tools: [String], access: String = "any", when: [String: [String]] = [:], has: [String] = [], decision: Decision.Verdict, reason: String, origin: Policy.Origin) {
        self.name = name
        self.tools = tools
        self.access = access
        self.when = when
        self.has = has
        self.decision = decision
        self.reason = reason
        self.origin = origin
    }

    /// Whether the rule applies to a call of `tool` with `arguments`.
    public func matches(tool: String, isWrite: Bool, arguments: JSONObject) -> Bool {
        guard tools.contains("*") || tools.contains(tool) else { return false }
        if access == "write" && !isWrite || access == "read" && isWrite { return false }
        if when.isEmpty && has.isEmpty { return true }
        for (field, values) in when {
            guard let value = arguments[field] else { continue }
            let text = value.stringValue ?? value.jsonString()
            if values.contains("*") || values.contains(text) { return true }
        }
        return has.contains { arguments[$0] != nil }
    }
}
