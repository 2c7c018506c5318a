import AgentCore

extension ParserState {
    /// The fix-ups that need the whole document, then the cross-checks.
    mutating func finish() {
        recoverUnnamedParameters()
        inferEnumsFromValueLists()
        resolveReferences()
        catalog.endpoints = drafts.map(\.endpoint)
        checkEnumsAgainstValueLists()
        checkScopes()
        checkPathParameters()
        if catalog.endpoints.isEmpty {
            diagnose(.error, max(lines.count, 1), "no endpoints found: expected tables with 'Method' and 'Path' rows")
        }
    }

    /// Names a row whose name cell a renderer dropped, from its description and the endpoint's examples.
    mutating func recoverUnnamedParameters() {
        for d in drafts.indices {
            var removed = 0
            for row in drafts[d].unnamed {
                let endpoint = drafts[d].endpoint
                let known = Set(endpoint.parameters.map(\.name))
                var candidates: [String] = []
                for example in endpoint.examples {
                    if case .object(let body)? = example.requestBody { candidates += body.keys }
                    if case .object(let data)? = example.response?["data"] { candidates += data.keys }
                }
                let words = Set(row.parameter.description.lowercased().split(whereSeparator: { !$0.isLetter }).map(String.init))
                let index = row.index - removed
                if let name = candidates.first(where: { !known.contains($0) && words.contains($0.lowercased()) }) {
                    drafts[d].endpoint.parameters[index].name = name
                    if name.lowercased() == "email" { drafts[d].endpoint.parameters[index].format = "email" }
                    diagnose(.warning, row.line, "parameter row has no name; recovered '\(name)' from its description and the example")
                } else {
                    drafts[d].endpoint.parameters.remove(at: index)
                    removed += 1
                    diagnose(.error, row.line, "parameter row has no name and none could be recovered; skipped")
                }
            }
            drafts[d].unnamed = []
        }
    }

    /// "Lead status (default: new)" takes its values from "Lead Statuses" in the Values Reference.
    mutating func inferEnumsFromValueLists() {
        let singulars = catalog.valueLists.filter { !$0.values.isEmpty }.map { (Self.singular($0.name.lowercased()), $0) }
        for d in drafts.indices {
            for p in drafts[d].endpoint.parameters.indices {
                let parameter = drafts[d].endpoint.parameters[p]
                guard parameter.enumValues == nil, parameter.type == .string else { continue }
                let description = parameter.description.lowercased()
                guard let (_, list) = singulars.first(where: { description.hasPrefix($0.0) }) else { continue }
                drafts[d].endpoint.parameters[p].enumValues = list.values
                diagnose(.note, valueListLines[list.name] ?? drafts[d].line,
                    "'\(parameter.name)' of \(drafts[d].endpoint.toolName) takes its values from '\(list.name)'")
            }
        }
    }

    static func singular(_ word: String) -> String {
        if word.hasSuffix("ies") { return word.dropLast(3) + "y" }
        if word.hasSuffix("uses") || word.hasSuffix("sses") || word.hasSuffix("xes") { return String(word.dropLast(2)) }
        if word.hasSuffix("s") { return String(word.dropLast()) }
        return word
    }

    /// "Same as Analytics Summary" and "Same fields as Create Lead, all optional".
    mutating func resolveReferences() {
        // References may chain; resolve in passes, bounded by the number of endpoints.
        var remaining = drafts.indices.flatMap { d in drafts[d].references.map { (d, $0) } }
        var pass = 0
        while !remaining.isEmpty, pass <= drafts.count {
            pass += 1
            var next: [(Int, Reference)] = []
            for (d, reference) in remaining {
                guard let source = drafts.firstIndex(where: { $0.endpoint.title.lowercased() == reference.title.lowercased() }), source != d else {
                    diagnose(.error, reference.line, "'Same as \(reference.title)' names no other endpoint; no \(reference.location.rawValue) parameters taken")
                    continue
                }
                if drafts[source].references.contains(where: { $0.location == reference.location }), pass <= drafts.count,
                    remaining.contains(where: { $0.0 == source && $0.1.location == reference.location })
                {
                    next.append((d, reference))
                    continue
                }
                let borrowed = drafts[source].endpoint.parameters(in: reference.location)
                if borrowed.isEmpty {
                    diagnose(.warning, reference.line, "'\(reference.title)' has no \(reference.location.rawValue) parameters to share")
                }
                for var parameter in borrowed where drafts[d].endpoint.parameter(named: parameter.name) == nil {
                    if reference.allOptional {
                        parameter.required = false
                        // An omitted field of a partial update means "unchanged": a create's default would reset it.
                        if drafts[d].endpoint.method == "PATCH" { parameter.defaultValue = nil }
                    }
                    drafts[d].endpoint.parameters.append(parameter)
                }
            }
            if next.count == remaining.count {
                for (d, reference) in next {
                    diagnose(.error, reference.line, "'Same as \(reference.title)' is circular; \(drafts[d].endpoint.title) gets no \(reference.location.rawValue) parameters from it")
                }
                break
            }
            remaining = next
        }
    }

    mutating func checkEnumsAgainstValueLists() {
        let lists = catalog.valueLists.filter { !$0.values.isEmpty }.map { ($0, Set($0.values)) }
        var checked: Set<[String]> = []
        var outcome: [[String]: (ValueList, Set<String>)?] = [:]
        for endpoint in catalog.endpoints {
            for parameter in endpoint.parameters {
                guard let values = parameter.enumValues else { continue }
                // The usual case, an enum that is exactly a list, needs no set arithmetic.
                if lists.contains(where: { $0.0.values == values }) { continue }
                let set = Set(values)
                if !checked.contains(values) {
                    checked.insert(values)
                    let best = lists.max { $0.1.intersection(set).count < $1.1.intersection(set).count }
                    outcome[values] = best.flatMap { $0.1.intersection(set).count * 2 >= set.count ? $0 : nil }
                }
                guard let (best, listSet) = outcome[values] ?? nil else { continue }
                guard listSet != set else { continue }
                let missing = best.values.filter { !set.contains($0) }
                let extra = values.filter { !listSet.contains($0) }
                var parts: [String] = []
                if !missing.isEmpty { parts.append("lacks \(missing.joined(separator: ", "))") }
                if !extra.isEmpty { parts.append("adds \(extra.joined(separator: ", "))") }
                diagnose(.warning, valueListLines[best.name] ?? 1,
                    "\(endpoint.toolName).\(parameter.name) disagrees with '\(best.name)': it \(parts.joined(separator: " and "))")
            }
        }
    }

    mutating func checkScopes() {
        let documented = Set(catalog.scopes.map(\.name))
        if let availableScopes {
            for name in availableScopes.names where !documented.contains(name) {
                diagnose(.warning, availableScopes.line, "scope '\(name)' is listed as available but missing from the Scopes Reference")
            }
        }
        guard !documented.isEmpty else {
            diagnose(.warning, 1, "no Scopes Reference table")
            return
        }
        for draft in drafts {
            if let scope = draft.endpoint.auth.scope, !documented.contains(scope) {
                diagnose(.warning, draft.line, "\(draft.endpoint.toolName) needs scope '\(scope)', which the Scopes Reference does not list")
            }
        }
    }

    mutating func checkPathParameters() {
        for (index, draft) in drafts.enumerated() {
            let endpoint = catalog.endpoints[index]
            let declared = Set(endpoint.parameters(in: .path).map(\.name))
            for name in endpoint.pathParameterNames where !declared.contains(name) {
                catalog.endpoints[index].parameters.insert(
                    Parameter(name: name, location: .path, type: .string, required: true, description: name), at: 0)
                diagnose(.warning, draft.line, "path parameter '\(name)' of \(endpoint.toolName) is not documented; taken as a required string")
            }
            for name in declared where !endpoint.pathParameterNames.contains(name) {
                diagnose(.warning, draft.line, "'\(name)' is documented as a path parameter but the path has no ':\(name)'")
            }
        }
    }
}
