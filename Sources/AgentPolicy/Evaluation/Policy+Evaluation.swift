import AgentCore
import SkillCatalog

/// What the policy needs to know about the session to decide a call.
public struct SessionUsage: Sendable, Hashable {
    /// Calls already made in this turn.
    public var callsThisTurn: Int
    /// Writes already run (or queued) in this session.
    public var writesThisSession: Int
    /// Scopes the API key was configured with, when known; nil trusts the server to say.
    public var keyScopes: Set<String>?

    public init(callsThisTurn: Int = 0, writesThisSession: Int = 0, keyScopes: Set<String>? = nil) {
        self.callsThisTurn = callsThisTurn
        self.writesThisSession = writesThisSession
        self.keyScopes = keyScopes
    }
}

extension Policy {
    /// The scopes this session may use: the policy's allowlist, less its denials, within the key's scopes.
    public func effectiveScopes(in catalog: Catalog, keyScopes: Set<String>? = nil) -> Set<String> {
        var scopes = allowedScopes ?? Set(catalog.scopes.map(\.name))
        scopes.subtract(deniedScopes)
        if let keyScopes { scopes.formIntersection(keyScopes) }
        return scopes
    }

    /// The tools the planner is offered: allowed by name and by scope.
    public func offeredTools(in catalog: Catalog, keyScopes: Set<String>? = nil) -> [Endpoint] {
        catalog.tools.filter { toolRefusal($0, catalog: catalog, keyScopes: keyScopes) == nil }
    }

    func toolRefusal(_ endpoint: Endpoint, catalog: Catalog, keyScopes: Set<String>?) -> Decision? {
        let tool = endpoint.toolName
        if deniedTools.contains(tool) {
            return Decision(.deny, rule: cite("tools.deny"), reason: "the \(name) policy denies \(tool)")
        }
        if let allowedTools, !allowedTools.contains(tool) {
            return Decision(.deny, rule: cite("tools.allow"), reason: "\(tool) is not among the tools the \(name) policy allows")
        }
        // An endpoint the catalog gives no scope is outside every scope allowlist; only a policy that names it may use it.
        if endpoint.auth.scope == nil, endpoint.isTool, !namesExplicitly(tool) {
            return Decision(.deny, rule: "catalog (no scope)", reason: "\(tool) declares no scope, and the \(name) policy does not name it; "
                + "a policy must list it under tools.allow or in a rule to use it")
        }
        if let scope = endpoint.auth.scope, !effectiveScopes(in: catalog, keyScopes: keyScopes).contains(scope) {
            let where_ = keyScopes.map { $0.contains(scope) ? "" : " and the API key does not have it" } ?? ""
            let rule = deniedScopes.contains(scope) ? cite("scopes.deny") : cite("scopes.allow")
            return Decision(.deny, rule: rule, reason: "\(tool) needs scope \(scope), which the \(name) policy does not allow\(where_)")
        }
        return nil
    }

    /// Whether the policy names `tool` itself (not through `*`): in `tools.allow`, or in a rule that does not deny it.
    func namesExplicitly(_ tool: String) -> Bool {
        if let allowedTools, allowedTools.contains(tool) { return true }
        return rules.contains { $0.tools.contains(tool) && $0.decision != .deny }
    }

    /// Decides one call: deny beats approve beats confirm beats allow; the decision names its rule.
    ///
    /// `arguments` are the call's arguments before or after validation; a tool
    /// the catalog does not define is always denied.
    public func decide(tool: String, arguments: JSONObject, catalog: Catalog, usage: SessionUsage = SessionUsage()) -> Decision {
        guard let endpoint = catalog.tool(named: tool) else {
            return Decision(.deny, rule: "catalog", reason: "'\(tool)' is not a tool of the catalog; only catalogued endpoints can be called")
        }
        if let refusal = toolRefusal(endpoint, catalog: catalog, keyScopes: usage.keyScopes) { return refusal }
        if let limit = limits.callsPerTurn, usage.callsThisTurn >= limit {
            return Decision(.deny, rule: cite("limits.callsPerTurn"), reason: "this turn already made \(usage.callsThisTurn) calls, the most the \(name) policy allows")
        }
        if endpoint.mayChangeState, let limit = limits.writesPerSession, usage.writesThisSession >= limit {
            return Decision(.deny, rule: cite("limits.writesPerSession"), reason: "this session already made \(usage.writesThisSession) writes, the most the \(name) policy allows")
        }
        if let maxPage = limits.maxPageSize, endpoint.parameter(named: "limit") != nil {
            let requested = arguments["limit"].flatMap { $0.intValue ?? $0.stringValue.flatMap { Int($0) } }
                ?? endpoint.parameter(named: "limit")?.defaultValue?.intValue
            if let requested, requested > maxPage {
                return Decision(.deny, rule: cite("limits.maxPageSize"), reason: "a page of \(requested) is more than the \(name) policy's limit of \(maxPage); ask for \(maxPage) or fewer")
            }
        }
        if let shapes = searchShapes, endpoint.parameter(named: "search") != nil, let value = arguments["search"].flatMap({ $0.stringValue ?? $0.jsonString() }),
            !value.trimmingCharacters(in: .whitespaces).isEmpty
        {
            let shape = SearchShape.classify(value)
            if !shapes.contains(shape) {
                let allowed = shapes.isEmpty ? "no search at all" : "search only by " + shapes.sorted().map(Self.describe).joined(separator: " or ")
                return Decision(.deny, rule: cite("search.allow"), reason: "the \(name) policy allows \(allowed); '\(value)' looks like \(Self.describe(shape)), "
                    + "and a search on fields the planner may not see would tell their values")
            }
        }
        var decision = endpoint.mayChangeState
            ? Decision(writes, rule: cite("writes"), reason: "writes need \(Self.describe(writes)) under the \(name) policy")
            : Decision(reads, rule: cite("reads"), reason: "reads need \(Self.describe(reads)) under the \(name) policy")
        var decidedByRule = false
        for rule in rules where rule.matches(tool: tool, isWrite: endpoint.mayChangeState, arguments: arguments) {
            // The first matching rule sets the verdict; a later one replaces it only when stronger.
            if !decidedByRule || rule.decision > decision.verdict {
                decision = Decision(rule.decision, rule: "\(rule.origin) (\(rule.name))", reason: rule.reason)
                decidedByRule = true
            }
        }
        return decision
    }

    static func describe(_ shape: SearchShape) -> String {
        switch shape {
        case .code: "a whole lead code or id"
        case .name: "a name (whole words of letters)"
        case .email: "part of an email address"
        case .phone: "digits, such as part of a phone number"
        case .any: "free text"
        }
    }

    static func describe(_ verdict: Decision.Verdict) -> String {
        switch verdict {
        case .allow: "no confirmation"
        case .confirm: "a confirmation"
        case .approve: "a person's approval"
        case .deny: "to be refused"
        }
    }
}
