import AgentCore

extension ParserState {
    /// The fix-ups that need the whole document, then the cross-checks.
    mutating func finish() {
        recoverUnnamedParameters()
        inferEnumsFromValueLists()
        resolveReferences()
        dropPartialUpdateDefaults()
        catalog.endpoints = drafts.map(\.endpoint)
        checkEnumsAgainstValueLists()
        checkScopes()
        checkPathParameters()
        if catalog.endpoints.isEmpty {
            diagnose(.error, max(lines.count, 1), "no endpoints found: expected tables with 'Method' and 'Path' rows")
        }
    }

    /// A PATCH body field left out means "unchanged", so it has no default, whatever its description says.
    ///
    /// "Same fields as Create Lead, all optional" borrows `status (default: new)`;
    /// a planner that filled in defaults would reset every updated lead to new.
    mutating func dropPartialUpdateDefaults() {
        for d in drafts.indices where drafts[d].endpoint.method == "PATCH" {
            for p in drafts[d].endpoint.parameters.indices where drafts[d].endpoint.parameters[p].location == .body {
                drafts[d].endpoint.parameters[p].defaultValue = nil
            }
        }
    }

    /// Names a row whose name cell a renderer dropped, from its description and the endpoint's examples.
    ///
    /// Each endpoint's candidate names are gathered once and indexed by their
    /// lower-case spelling, so a row costs the words of its description, not a
    /// scan of every example key.
    mutating func recoverUnnamedParameters() {
        for d in drafts.indices where !drafts[d].unnamed.isEmpty {
            var known = Set(drafts[d].endpoint.parameters.map(\.name))
            // Candidates in example order, first spelling of each kept; by lower-case key, in that order.
            var order: [String: Int] = [:]
            var byKey: [String: [String]] = [:]
            var cursor: [String: Int] = [:]
            for example in drafts[d].endpoint.examples {
                var keys: [String] = []
                if case .object(let body)? = example.requestBody { keys += body.keys }
                if case .object(let data)? = example.response?["data"] { keys += data.keys }
                for key in keys where order[key] == nil {
                    order[key] = order.count
                    byKey[key.lowercased(), default: []].append(key)
                }
            }
            var dropped: Set<Int> = []
            for row in drafts[d].unnamed {
                var best: String?
                var seen: Set<String> = []
                for word in row.parameter.description.lowercased().split(whereSeparator: { !$0.isLetter }) {
                    let key = String(word)
                    guard seen.insert(key).inserted, let names = byKey[key] else { continue }
                    // Names only become known, so a cursor past the known ones never moves back.
                    var i = cursor[key] ?? 0
                    while i < names.count, known.contains(names[i]) { i += 1 }
                    cursor[key] = i
                    if i < names.count, best.map({ order[names[i]]! < order[$0]! }) ?? true { best = names[i] }
                }
                if let name = best {
                    known.insert(name)
                    drafts[d].names.insert(name)
                    drafts[d].endpoint.parameters[row.index].name = name
                    if name.lowercased() == "email" { drafts[d].endpoint.parameters[row.index].format = "email" }
                    diagnose(.warning, row.line, "parameter row has no name; recovered '\(name)' from its description and the example")
                } else {
                    dropped.insert(row.index)
                    diagnose(.error, row.line, "parameter row has no name and none could be recovered; skipped")
                }
            }
            if !dropped.isEmpty {
                // One pass, not a removal per row.
                drafts[d].endpoint.parameters = drafts[d].endpoint.parameters.enumerated().filter { !dropped.contains($0.offset) }.map(\.element)
            }
            drafts[d].unnamed = []
        }
    }

    /// "Lead status (default: new)" takes its values from "Lead Statuses" in the Values Reference.
    ///
    /// The first list (in document order) whose singular name starts the
    /// description wins; the names sit in a prefix tree, so each parameter costs
    /// the length of the longest name, however many lists there are.
    mutating func inferEnumsFromValueLists() {
        var tree = PrefixTree()
        for (index, list) in catalog.valueLists.enumerated() where !list.values.isEmpty {
            tree.insert(Array(Self.singular(list.name.lowercased()).utf8), value: index)
        }
        guard !tree.isEmpty else { return }
        for d in drafts.indices {
            for p in drafts[d].endpoint.parameters.indices {
                let parameter = drafts[d].endpoint.parameters[p]
                guard parameter.enumValues == nil, parameter.type == .string else { continue }
                guard let index = tree.smallestValue(onPathOf: parameter.description.lowercased().utf8) else { continue }
                let list = catalog.valueLists[index]
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
    ///
    /// References may chain (C borrows from B, which borrows from A): a
    /// depth-first walk, with an explicit stack so that a long chain cannot
    /// exhaust the call stack, resolves each endpoint's references for one
    /// location once, after those of the endpoint it borrows from. A reference
    /// that closes a cycle is an error and borrows nothing.
    mutating func resolveReferences() {
        var byTitle: [String: Int] = [:]
        for d in drafts.indices { byTitle[drafts[d].endpoint.title.lowercased()] = byTitle[drafts[d].endpoint.title.lowercased()] ?? d }
        struct Key: Hashable {
            var draft: Int
            var location: Parameter.Location
        }
        var pending: [Key: [Reference]] = [:]
        var roots: [Key] = []
        for d in drafts.indices {
            for reference in drafts[d].references {
                let key = Key(draft: d, location: reference.location)
                if pending[key] == nil { roots.append(key) }
                pending[key, default: []].append(reference)
            }
        }
        enum Mark { case inProgress, done }
        var marks: [Key: Mark] = [:]
        for root in roots where marks[root] == nil {
            var stack: [(key: Key, next: Int)] = [(root, 0)]
            marks[root] = .inProgress
            while let top = stack.last {
                let references = pending[top.key] ?? []
                guard top.next < references.count else {
                    marks[top.key] = .done
                    stack.removeLast()
                    continue
                }
                let reference = references[top.next]
                let d = top.key.draft
                guard let source = byTitle[reference.title.lowercased()], source != d else {
                    diagnose(.error, reference.line, "'Same as \(reference.title)' names no other endpoint; no \(reference.location.rawValue) parameters taken")
                    stack[stack.count - 1].next += 1
                    continue
                }
                let sourceKey = Key(draft: source, location: reference.location)
                if pending[sourceKey] != nil {
                    switch marks[sourceKey] {
                    case nil:
                        // Resolve the source first; this reference is looked at again when it is done.
                        marks[sourceKey] = .inProgress
                        stack.append((sourceKey, 0))
                        continue
                    case .inProgress:
                        diagnose(.error, reference.line, "'Same as \(reference.title)' is circular; \(drafts[d].endpoint.title) gets no \(reference.location.rawValue) parameters from it")
                        stack[stack.count - 1].next += 1
                        continue
                    case .done:
                        break
                    }
                }
                stack[stack.count - 1].next += 1
                let borrowed = drafts[source].endpoint.parameters(in: reference.location)
                if borrowed.isEmpty {
                    diagnose(.warning, reference.line, "'\(reference.title)' has no \(reference.location.rawValue) parameters to share")
                }
                for var parameter in borrowed where !drafts[d].names.contains(parameter.name) {
                    if reference.allOptional { parameter.required = false }
                    drafts[d].names.insert(parameter.name)
                    drafts[d].endpoint.parameters.append(parameter)
                }
            }
        }
    }

    /// Warns where a parameter's enum is close to a value list but not equal to it.
    ///
    /// Exact matches are one hash; for the rest, an index from each value to
    /// the lists holding it counts the overlap with every list at once.
    mutating func checkEnumsAgainstValueLists() {
        let lists = catalog.valueLists.filter { !$0.values.isEmpty }
        guard !lists.isEmpty else { return }
        let sets = lists.map { Set($0.values) }
        let exact = Set(lists.map(\.values))
        var holders: [String: [Int]] = [:]
        for (index, set) in sets.enumerated() {
            for value in set { holders[value, default: []].append(index) }
        }
        var outcome: [[String]: Int?] = [:]
        for endpoint in catalog.endpoints {
            for parameter in endpoint.parameters {
                guard let values = parameter.enumValues, !exact.contains(values) else { continue }
                let set = Set(values)
                if outcome[values] == nil {
                    var overlap: [Int: Int] = [:]
                    for value in set { for list in holders[value] ?? [] { overlap[list, default: 0] += 1 } }
                    // The list with the most values in common, the first such on a tie; at least half the enum.
                    let best = overlap.max { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }
                    outcome[values] = best.flatMap { $0.value * 2 >= set.count ? $0.key : nil }
                }
                guard let index = outcome[values] ?? nil else { continue }
                let best = lists[index]
                let listSet = sets[index]
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
            let inPath = endpoint.pathParameterNames
            let inPathSet = Set(inPath)
            let declared = Set(endpoint.parameters(in: .path).map(\.name))
            var added: [Parameter] = []
            for name in inPath where !declared.contains(name) {
                added.append(Parameter(name: name, location: .path, type: .string, required: true, description: name))
                diagnose(.warning, draft.line, "path parameter '\(name)' of \(endpoint.toolName) is not documented; taken as a required string")
            }
            // Inserted at the front in one step, in the order the path names them.
            if !added.isEmpty { catalog.endpoints[index].parameters.insert(contentsOf: added, at: 0) }
            for name in endpoint.parameters(in: .path).map(\.name) where !inPathSet.contains(name) {
                diagnose(.warning, draft.line, "'\(name)' is documented as a path parameter but the path has no ':\(name)'")
            }
        }
    }
}

/// Byte strings mapped to values, for finding every stored key that starts a text in one walk over it.
struct PrefixTree {
    private var children: [[UInt8: Int]] = [[:]]
    private var values: [Int?] = [nil]

    var isEmpty: Bool { children.count == 1 }

    /// Stores `value` under `key`; an earlier value for the same key is kept.
    mutating func insert(_ key: [UInt8], value: Int) {
        var node = 0
        for byte in key {
            if let next = children[node][byte] {
                node = next
            } else {
                children.append([:])
                values.append(nil)
                children[node][byte] = children.count - 1
                node = children.count - 1
            }
        }
        if values[node] == nil { values[node] = value }
    }

    /// The smallest value stored under a key that is a prefix of `text`.
    func smallestValue(onPathOf text: some Sequence<UInt8>) -> Int? {
        var node = 0
        var best = values[0]
        for byte in text {
            guard let next = children[node][byte] else { break }
            node = next
            if let v = values[node] { best = min(best ?? v, v) }
        }
        return best
    }
}
