import AgentCore
import Foundation
import SkillCatalog

/// The catalog's tools as the planner scores them: the words of each tool's name, title, parameters and response fields.
///
/// A request's concepts point at catalog words (lexicon `catalogTerms`), and
/// a tool scores the inverse document frequency of every word it shares with
/// the request, plus one for each named enum value it accepts. Nothing here
/// names a tool: a tool SKILL.md adds is scored the same way.
struct ToolIndex: Sendable {
    struct Profile: Sendable {
        let endpoint: Endpoint
        let terms: Set<String>
        /// The words of the tool's own name: the most specific evidence.
        let nameTerms: Set<String>
        /// The example response's `data` is an object of figures (a summary), not a list.
        let aggregate: Bool
        /// The example response's `data` is a list.
        let list: Bool
        /// The list is paged: the response has `pagination` (its total counts what matches).
        let pageable: Bool
        /// The string values of an unpaged list's rows (the funnel's `new`, `contacted` …): a count per value, reported.
        var rowValues: Set<String> = []
        var name: String { endpoint.toolName }
    }

    let profiles: [Profile]
    let idf: [String: Double]

    init(catalog: Catalog) {
        var profiles: [Profile] = []
        for tool in catalog.tools {
            var terms = Set<String>()
            for word in Self.split(tool.toolName) + tool.title.split(separator: " ").flatMap({ Self.split(String($0)) }) { terms.insert(word) }
            for parameter in tool.parameters { for word in Self.split(parameter.name) { terms.insert(word) } }
            // A served SKILL.md without examples (the sandbox's) says nothing of what an endpoint returns; the bundled spec's example
            // of the same method and path stands in, so the figures a tool reports are still known.
            let response = tool.examples.compactMap(\.response).first
                ?? Self.spec.endpoint(method: tool.method, pathTemplate: tool.pathTemplate)?.examples.compactMap(\.response).first
            if let data = response?["data"] { Self.collectKeys(data, into: &terms) }
            let data = response?["data"]
            var rowValues = Set<String>()
            if response?["pagination"] == nil, let rows = data?.arrayValue {
                for row in rows { for (_, value) in row.objectValue ?? [:] { if let text = value.stringValue { rowValues.insert(text) } } }
            }
            profiles.append(Profile(endpoint: tool, terms: terms, nameTerms: Set(Self.split(tool.toolName)), aggregate: data?.objectValue != nil && tool.pathParameterNames.isEmpty,
                                    list: data?.arrayValue != nil, pageable: response?["pagination"] != nil, rowValues: rowValues))
        }
        self.profiles = profiles
        var df: [String: Int] = [:]
        for p in profiles { for t in p.terms { df[t, default: 0] += 1 } }
        let n = Double(max(profiles.count, 1))
        idf = df.mapValues { log((n + 1) / Double($0)) }
    }

    /// The bundled SKILL.md, for its example responses.
    static let spec = SkillParser.parse(BundledSkill.markdown).catalog

    func profile(_ name: String) -> Profile? { profiles.first { $0.name == name } }

    static func collectKeys(_ value: JSONValue, into terms: inout Set<String>) {
        if let object = value.objectValue {
            for (key, inner) in object {
                for word in split(key) { terms.insert(word) }
                collectKeys(inner, into: &terms)
            }
        } else if let array = value.arrayValue, let first = array.first {
            collectKeys(first, into: &terms)
        }
    }

    /// `getAnalyticsSummary` → get, analytics, summary; `leadsPerDay` → lead, per, day; plurals folded.
    static func split(_ identifier: String) -> [String] {
        var words: [String] = []
        var current = ""
        for c in identifier {
            if c.isUppercase, !current.isEmpty { words.append(current); current = "" }
            if c.isLetter || c.isNumber { current.append(c) } else if !current.isEmpty { words.append(current); current = "" }
        }
        if !current.isEmpty { words.append(current) }
        return words.map { singular($0.lowercased()) }
    }

    static func singular(_ word: String) -> String {
        if word.count > 3, word.hasSuffix("s"), !word.hasSuffix("ss"), !word.hasSuffix("us") { return String(word.dropLast()) }
        return word
    }
}
