import AgentCore
import SkillCatalog

/// The policies a session can choose from: the shipped ones and the user's, by name.
///
/// Files are given as text (the caller reads the config folder); a user file
/// with a shipped name replaces the shipped policy. ``resolve(_:)`` follows
/// `extends` and returns the effective ``Policy``, or the diagnostics that
/// stop a session from starting.
public struct PolicyLibrary: Sendable {
    public struct Source: Sendable {
        public var name: String
        public var file: String
        public var text: String
        public var shipped: Bool
        public init(name: String, file: String, text: String, shipped: Bool) {
            self.name = name
            self.file = file
            self.text = text
            self.shipped = shipped
        }
    }

    public let catalog: Catalog
    public private(set) var sources: [String: Source] = [:]

    public init(catalog: Catalog, userFiles: [Source] = []) {
        self.catalog = catalog
        for (name, text) in ShippedPolicies.all {
            sources[name] = Source(name: name, file: "Policies/\(name).yaml", text: text, shipped: true)
        }
        for file in userFiles { sources[file.name] = file }
    }

    public var names: [String] { sources.keys.sorted() }

    /// Why a policy cannot be used.
    public struct Invalid: Error, CustomStringConvertible {
        public var name: String
        public var diagnostics: [Diagnostic]
        public var description: String {
            "policy '\(name)' is invalid:\n" + diagnostics.map { "  \($0)" }.joined(separator: "\n")
        }
    }

    public func layer(_ name: String) -> (PolicyLayer, [Diagnostic])? {
        guard let source = sources[name] else { return nil }
        return PolicyParser.parse(source.text, file: source.file, name: name, catalog: catalog)
    }

    /// Every diagnostic of a policy and the policies it extends.
    public func check(_ name: String) -> [Diagnostic] {
        switch resolveChain(name) {
        case .success(let chain): chain.flatMap(\.1)
        case .failure(let invalid): invalid.diagnostics
        }
    }

    /// The effective policy after `extends`; throws when any file in the chain has an error.
    public func resolve(_ name: String) throws(Invalid) -> Policy {
        let chain = try resolveChain(name).get()
        let errors = chain.flatMap(\.1).filter { $0.severity == .error }
        guard errors.isEmpty else { throw Invalid(name: name, diagnostics: errors) }
        return Self.merge(chain.map(\.0))
    }

    func resolveChain(_ name: String) -> Result<[(PolicyLayer, [Diagnostic])], Invalid> {
        var chain: [(PolicyLayer, [Diagnostic])] = []
        var current: String? = name
        var visited: [String] = []
        var citing: (file: String, line: Int)?
        while let next = current {
            if visited.contains(next) {
                return .failure(Invalid(name: name, diagnostics: [Diagnostic(.error, line: citing?.line ?? 1, "'extends' makes a cycle: \((visited + [next]).joined(separator: " → "))", file: citing?.file)]))
            }
            visited.append(next)
            guard let entry = layer(next) else {
                let known = names.joined(separator: ", ")
                return .failure(Invalid(name: name, diagnostics: [Diagnostic(.error, line: citing?.line ?? 1, "no policy named '\(next)'; known: \(known)", file: citing?.file)]))
            }
            chain.insert(entry, at: 0)
            citing = (entry.0.file, entry.0.lines["extends"] ?? 1)
            current = entry.0.extends
        }
        return .success(chain)
    }

    /// Later layers override earlier ones key by key; rules add up, and a rule with an earlier rule's name replaces it.
    static func merge(_ layers: [PolicyLayer]) -> Policy {
        var policy = Policy(name: layers.last?.name ?? "")
        policy.lineage = layers.map(\.name)
        for layer in layers {
            func origin(_ key: String) { if let line = layer.lines[key] { policy.origins[key] = Policy.Origin(file: layer.file, line: line) } }
            if let d = layer.description { policy.description = d }
            if let allow = layer.allowedScopes { policy.allowedScopes = allow; origin("scopes.allow") }
            if let deny = layer.deniedScopes { policy.deniedScopes = deny; origin("scopes.deny") }
            if let allow = layer.allowedTools { policy.allowedTools = allow; origin("tools.allow") }
            if let deny = layer.deniedTools { policy.deniedTools = deny; origin("tools.deny") }
            if let v = layer.reads { policy.reads = v; origin("reads") }
            if let v = layer.writes { policy.writes = v; origin("writes") }
            if let v = layer.unattendedWrites { policy.unattendedWrites = v; origin("unattendedWrites") }
            if let v = layer.redact { policy.redact = v; origin("redact") }
            if let v = layer.hashInAudit { policy.hashInAudit = v; origin("hashInAudit") }
            if let v = layer.limits.callsPerTurn { policy.limits.callsPerTurn = v; origin("limits.callsPerTurn") }
            if let v = layer.limits.writesPerSession { policy.limits.writesPerSession = v; origin("limits.writesPerSession") }
            if let v = layer.limits.pendingPerSession { policy.limits.pendingPerSession = v; origin("limits.pendingPerSession") }
            if let v = layer.searchShapes { policy.searchShapes = v; origin("search.allow") }
            if let v = layer.limits.maxPageSize { policy.limits.maxPageSize = v; origin("limits.maxPageSize") }
            for rule in layer.rules {
                if let index = policy.rules.firstIndex(where: { $0.name == rule.name }) { policy.rules[index] = rule } else { policy.rules.append(rule) }
            }
        }
        return policy
    }
}
