import AgentCore
import SkillCatalog
import Yams

/// Reads a policy YAML file into a ``PolicyLayer``, checking every name against the catalog.
///
/// Unknown keys, scopes, tools, fields and enum values, wrong types and bad
/// YAML are diagnostics with the file and line; a layer with an error
/// diagnostic must not be used.
public struct PolicyParser {
    /// Composes nodes and constructs no values: the default constructor's tables cost a start-up half a millisecond.
    static var nodesOnly: Constructor { Constructor([:], [:], [:]) }

    let catalog: Catalog
    let file: String
    var diagnostics: [Diagnostic] = []

    public static func parse(_ text: String, file: String, name: String, catalog: Catalog) -> (layer: PolicyLayer, diagnostics: [Diagnostic]) {
        var parser = PolicyParser(catalog: catalog, file: file)
        var layer = PolicyLayer(name: name, file: file)
        let root: Node?
        do {
            // The basic resolver: the parser reads scalars as text itself, and the default one compiles seven ICU
            // regular expressions at first use, a sixth of a one-shot `ask`'s start-up spent on YAML.
            root = try Yams.compose(yaml: text, .basic, Self.nodesOnly)
        } catch let error as YamlError {
            parser.error(Self.line(of: error), "invalid YAML: \(Self.problem(of: error))")
            return (layer, parser.diagnostics)
        } catch {
            parser.error(1, "invalid YAML: \(error)")
            return (layer, parser.diagnostics)
        }
        guard let root, case .mapping(let mapping) = root else {
            parser.error(root?.mark?.line ?? 1, "a policy is a YAML mapping of settings (name, scopes, tools, writes, rules, …)")
            return (layer, parser.diagnostics)
        }
        parser.read(mapping, into: &layer)
        return (layer, parser.diagnostics)
    }

    static func line(of error: YamlError) -> Int {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): mark.line
        default: 1
        }
    }

    static func problem(of error: YamlError) -> String {
        switch error {
        case .scanner(_, let problem, _, _), .parser(_, let problem, _, _), .composer(_, let problem, _, _): problem
        case .duplicatedKeysInMapping(let duplicates, _): "duplicate keys \(duplicates.joined(separator: ", "))"
        default: "\(error)"
        }
    }

    mutating func error(_ line: Int, _ message: String) {
        diagnostics.append(Diagnostic(.error, line: line, message, file: file))
    }

    mutating func warning(_ line: Int, _ message: String) {
        diagnostics.append(Diagnostic(.warning, line: line, message, file: file))
    }

    /// `true` or `false` written plainly (a quoted "true" is text, as YAML's core schema has it).
    static func plainBool(_ node: Node) -> Bool? {
        guard case .scalar(let scalar) = node, scalar.style == .plain || scalar.style == .any else { return nil }
        switch scalar.string.lowercased() {
        case "true": return true
        case "false": return false
        default: return nil
        }
    }

    static let topKeys = ["name", "description", "extends", "scopes", "tools", "reads", "writes", "unattendedWrites", "rules", "redact", "hashInAudit", "limits", "search"]

    mutating func read(_ mapping: Node.Mapping, into layer: inout PolicyLayer) {
        var seen: Set<String> = []
        for (keyNode, value) in mapping {
            let line = keyNode.mark?.line ?? 1
            guard let key = keyNode.string else { error(line, "keys must be plain words"); continue }
            if !seen.insert(key).inserted { error(line, "'\(key)' is set twice") }
            layer.lines[key] = line
            switch key {
            case "name":
                if let name = string(value, key), name != layer.name {
                    warning(line, "name '\(name)' differs from the file's name '\(layer.name)'; the file name is used")
                }
            case "description": layer.description = string(value, key)
            case "extends": layer.extends = string(value, key)
            case "scopes":
                let (allow, deny) = allowDeny(value, key, known: Set(catalog.scopes.map(\.name)), kind: "scope", layer: &layer)
                if let allow { layer.allowedScopes = allow }
                if let deny { layer.deniedScopes = deny }
            case "tools":
                let (allow, deny) = allowDeny(value, key, known: Set(catalog.tools.map(\.toolName)), kind: "tool", layer: &layer)
                if let allow { layer.allowedTools = allow }
                if let deny { layer.deniedTools = deny }
            case "reads": layer.reads = verdict(value, key)
            case "writes": layer.writes = verdict(value, key)
            case "unattendedWrites":
                if let b = Self.plainBool(value) { layer.unattendedWrites = b } else {
                    error(value.mark?.line ?? line, "'unattendedWrites' is true or false")
                }
            case "rules": layer.rules = rules(value)
            case "redact": layer.redact = fields(value, key)
            case "hashInAudit": layer.hashInAudit = fields(value, key)
            case "limits": readLimits(value, into: &layer)
            case "search": readSearch(value, line: line, into: &layer)
            default:
                error(line, "unknown key '\(key)'; a policy knows \(Self.topKeys.joined(separator: ", "))")
            }
        }
    }

    /// `search: {allow: [code, name]}` — the shapes a free-text search may take; `allow: []` forbids search, `any` allows all.
    mutating func readSearch(_ node: Node, line: Int, into layer: inout PolicyLayer) {
        guard case .mapping(let mapping) = node else {
            error(node.mark?.line ?? line, "'search' is a mapping: search: {allow: [code, name]}")
            return
        }
        for (keyNode, value) in mapping {
            let keyLine = keyNode.mark?.line ?? line
            guard keyNode.string == "allow" else {
                error(keyLine, "unknown key 'search.\(keyNode.string ?? "?")'; search knows allow")
                continue
            }
            layer.lines["search.allow"] = keyLine
            var shapes: Set<SearchShape> = []
            if case .sequence(let sequence) = value, sequence.count == 0 {
                layer.searchShapes = .some(shapes)
                continue
            }
            guard let items = list(value, "search.allow") else { continue }
            for (item, itemLine) in items {
                guard let shape = SearchShape(rawValue: item) else {
                    error(itemLine, "unknown search shape '\(item)'; use \(SearchShape.allCases.map(\.rawValue).joined(separator: ", "))")
                    continue
                }
                shapes.insert(shape)
            }
            layer.searchShapes = shapes.contains(.any) ? .some(nil) : .some(shapes)
        }
    }

    mutating func string(_ node: Node, _ key: String) -> String? {
        guard case .scalar(let scalar) = node else {
            error(node.mark?.line ?? 1, "'\(key)' must be text")
            return nil
        }
        return scalar.string
    }

    mutating func list(_ node: Node, _ key: String) -> [(String, Int)]? {
        switch node {
        case .scalar(let scalar) where !scalar.string.isEmpty: return [(scalar.string, node.mark?.line ?? 1)]
        case .sequence(let sequence):
            var items: [(String, Int)] = []
            for item in sequence {
                guard case .scalar(let scalar) = item else {
                    error(item.mark?.line ?? 1, "'\(key)' lists plain names")
                    continue
                }
                items.append((scalar.string, item.mark?.line ?? 1))
            }
            return items
        default:
            error(node.mark?.line ?? 1, "'\(key)' must be a list of names")
            return nil
        }
    }

    /// `{allow: [...] | "*", deny: [...]}`; allow is nil when absent and `.some(nil)` for "*".
    mutating func allowDeny(_ node: Node, _ key: String, known: Set<String>, kind: String, layer: inout PolicyLayer) -> (Set<String>??, Set<String>?) {
        guard case .mapping(let mapping) = node else {
            error(node.mark?.line ?? 1, "'\(key)' is a mapping with 'allow' and/or 'deny'")
            return (nil, nil)
        }
        var allow: Set<String>??
        var deny: Set<String>?
        for (k, v) in mapping {
            let line = k.mark?.line ?? 1
            guard let sub = k.string, sub == "allow" || sub == "deny" else {
                error(line, "unknown key '\(k.string ?? "?")' in '\(key)'; use 'allow' or 'deny'")
                continue
            }
            layer.lines["\(key).\(sub)"] = line
            guard let items = list(v, "\(key).\(sub)") else { continue }
            var names: Set<String> = []
            for (item, itemLine) in items {
                if item == "*" { if sub == "allow" { layer.lines["\(key).allow*"] = itemLine }; continue }
                if !known.contains(item) {
                    error(itemLine, "unknown \(kind) '\(item)'; the catalog has \(known.sorted().joined(separator: ", "))")
                    continue
                }
                names.insert(item)
            }
            if sub == "allow" {
                allow = layer.lines["\(key).allow*"] == nil ? .some(names) : .some(nil)
            } else {
                deny = names
            }
        }
        return (allow, deny)
    }

    mutating func verdict(_ node: Node, _ key: String) -> Decision.Verdict? {
        guard let text = string(node, key) else { return nil }
        guard let verdict = Decision.Verdict(rawValue: text) else {
            error(node.mark?.line ?? 1, "'\(key)' is one of allow, confirm, approve, deny (got '\(text)')")
            return nil
        }
        return verdict
    }

    /// Every parameter name of the catalog and every field its examples return.
    var knownFields: Set<String> {
        var names = Set(catalog.endpoints.flatMap { $0.parameters.map(\.name) })
        func collect(_ value: JSONValue?) {
            switch value {
            case .object(let o)?: for (k, v) in o { names.insert(k); collect(v) }
            case .array(let a)?: for v in a { collect(v) }
            default: break
            }
        }
        for endpoint in catalog.endpoints { for example in endpoint.examples { collect(example.response?["data"]) } }
        return names
    }

    mutating func fields(_ node: Node, _ key: String) -> Set<String>? {
        guard let items = list(node, key) else { return nil }
        let known = knownFields
        var result: Set<String> = []
        for (item, line) in items {
            if known.contains(item) { result.insert(item) } else { error(line, "unknown field '\(item)' in '\(key)'") }
        }
        return result
    }

    mutating func readLimits(_ node: Node, into layer: inout PolicyLayer) {
        guard case .mapping(let mapping) = node else {
            error(node.mark?.line ?? 1, "'limits' is a mapping of callsPerTurn, writesPerSession, maxPageSize, pendingPerSession")
            return
        }
        for (k, v) in mapping {
            let line = k.mark?.line ?? 1
            let key = k.string ?? "?"
            guard ["callsPerTurn", "writesPerSession", "maxPageSize", "pendingPerSession"].contains(key) else {
                error(line, "unknown limit '\(key)'; use callsPerTurn, writesPerSession, maxPageSize or pendingPerSession")
                continue
            }
            guard case .scalar(let scalar) = v, let n = Int(scalar.string), n >= 0 else {
                error(v.mark?.line ?? line, "'limits.\(key)' is a whole number, 0 or more")
                continue
            }
            layer.lines["limits.\(key)"] = line
            switch key {
            case "callsPerTurn": layer.limits.callsPerTurn = n
            case "writesPerSession": layer.limits.writesPerSession = n
            case "pendingPerSession": layer.limits.pendingPerSession = n
            default:
                let maxLimit = catalog.tool(named: "listLeads")?.parameter(named: "limit")?.maximum.map(Int.init)
                if let maxLimit, n > maxLimit { warning(v.mark?.line ?? line, "maxPageSize \(n) is above the API's own maximum of \(maxLimit)") }
                layer.limits.maxPageSize = n
            }
        }
    }

    mutating func rules(_ node: Node) -> [PolicyRule] {
        guard case .sequence(let sequence) = node else {
            error(node.mark?.line ?? 1, "'rules' is a list of rules")
            return []
        }
        var result: [PolicyRule] = []
        for item in sequence {
            let line = item.mark?.line ?? 1
            guard case .mapping(let mapping) = item else {
                error(line, "a rule is a mapping with name, tools, decision, reason and optionally when/has")
                continue
            }
            var name: String?
            var tools: [String] = []
            var when: [String: [String]] = [:]
            var has: [String] = []
            var access = "any"
            var decision: Decision.Verdict?
            var reason: String?
            var valid = true
            for (k, v) in mapping {
                let keyLine = k.mark?.line ?? line
                switch k.string ?? "" {
                case "name": name = string(v, "name")
                case "tool", "tools":
                    for (tool, toolLine) in list(v, "tools") ?? [] {
                        if tool != "*", catalog.tool(named: tool) == nil {
                            error(toolLine, "unknown tool '\(tool)' in rule")
                            valid = false
                        }
                        tools.append(tool)
                    }
                case "when":
                    guard case .mapping(let conditions) = v else { error(keyLine, "'when' maps argument names to values"); valid = false; continue }
                    for (field, values) in conditions {
                        let fieldName = field.string ?? "?"
                        let values = (list(values, "when.\(fieldName)") ?? [])
                        when[fieldName] = values.map(\.0)
                        checkCondition(field: fieldName, values: values, tools: tools, line: field.mark?.line ?? keyLine, valid: &valid)
                    }
                case "has":
                    for (field, fieldLine) in list(v, "has") ?? [] {
                        if !knownFields.contains(field) { error(fieldLine, "unknown field '\(field)' in 'has'"); valid = false }
                        has.append(field)
                    }
                case "access":
                    access = string(v, "access") ?? "any"
                    if !["read", "write", "any"].contains(access) { error(keyLine, "'access' is read, write or any (got '\(access)')"); valid = false }
                case "decision": decision = verdict(v, "decision")
                case "reason": reason = string(v, "reason")
                default:
                    error(keyLine, "unknown key '\(k.string ?? "?")' in rule; use name, tools, access, when, has, decision, reason")
                    valid = false
                }
            }
            if tools.isEmpty { error(line, "rule needs 'tools' (a tool name, a list, or \"*\")"); valid = false }
            if decision == nil { error(line, "rule needs a 'decision' (allow, confirm, approve or deny)"); valid = false }
            guard valid, let decision else { continue }
            result.append(PolicyRule(
                name: name ?? "rule at line \(line)", tools: tools, access: access, when: when, has: has, decision: decision,
                reason: reason ?? "rule \(name ?? "at line \(line)")", origin: Policy.Origin(file: file, line: line)))
        }
        return result
    }

    mutating func checkCondition(field: String, values: [(String, Int)], tools: [String], line: Int, valid: inout Bool) {
        let endpoints = tools.contains("*") ? catalog.tools : tools.compactMap { catalog.tool(named: $0) }
        // `when` is read after `tools` in the mapping order; a rule listing `when` first is checked against every tool.
        let parameters = endpoints.compactMap { $0.parameter(named: field) }
        if parameters.isEmpty, !endpoints.isEmpty {
            error(line, "no tool of this rule takes '\(field)'")
            valid = false
            return
        }
        let allowed = Set(parameters.compactMap(\.enumValues).flatMap { $0 })
        guard !allowed.isEmpty else { return }
        for (value, valueLine) in values where value != "*" && !allowed.contains(value) {
            error(valueLine, "'\(value)' is not a value of '\(field)'; expected one of \(allowed.sorted().joined(separator: ", "))")
            valid = false
        }
    }
}
