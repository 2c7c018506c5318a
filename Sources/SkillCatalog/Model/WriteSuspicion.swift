/// Why an endpoint documented as `GET` may in fact change state on the server.
///
/// The method a SKILL.md declares cannot be checked, so a write could be
/// declared as a read (`GET /api/v2/agent/leads/:id/mark-won`). When a GET
/// endpoint's title starts with a state-changing verb, or its last literal
/// path segment contains one as a word, the reader records a suspicion, warns
/// with the endpoint's line, and ``Endpoint/mayChangeState`` is true, so the
/// policy gate can treat the endpoint as a write until a person reviews it.
/// The verbs are `Lexicons/state-changing-verbs.txt`.
public struct WriteSuspicion: Sendable, Hashable {
    /// Where the verb was found.
    public enum Evidence: String, Sendable, Hashable {
        case path, title
    }

    /// The state-changing verb, lower-case (`mark`, `delete`).
    public var verb: String
    public var evidence: Evidence

    public init(verb: String, evidence: Evidence) {
        self.verb = verb
        self.evidence = evidence
    }

    /// The verbs, from the shipped lexicon.
    public static let verbs: Set<String> = Set(
        ShippedLexicons.text("state-changing-verbs.txt").split(separator: "\n").compactMap { line in
            let word = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first?.trimmingWhitespace() ?? ""
            return word.isEmpty ? nil : String(word).lowercased()
        })

    /// The suspicion for an endpoint, or nil when its method already says it writes or nothing suggests it does.
    public static func detect(method: String, pathTemplate: String, title: String) -> WriteSuspicion? {
        guard method.uppercased() == "GET" else { return nil }
        if let segment = pathTemplate.split(separator: "/").last(where: { !$0.hasPrefix(":") }),
            let verb = words(segment).first(where: verbs.contains)
        {
            return WriteSuspicion(verb: verb, evidence: .path)
        }
        if let first = words(title[...]).first, verbs.contains(first) {
            return WriteSuspicion(verb: first, evidence: .title)
        }
        return nil
    }

    /// Lower-case words of a path segment or title: split at non-letters and at camel-case humps (`markWon` → mark, won).
    static func words(_ text: Substring) -> [String] {
        var words: [String] = []
        var word = ""
        var previousLower = false
        for c in text {
            if c.isLetter {
                if c.isUppercase, previousLower, !word.isEmpty {
                    words.append(word)
                    word = ""
                }
                word.append(contentsOf: c.lowercased())
                previousLower = c.isLowercase
            } else {
                if !word.isEmpty { words.append(word) }
                word = ""
                previousLower = false
            }
        }
        if !word.isEmpty { words.append(word) }
        return words
    }
}
