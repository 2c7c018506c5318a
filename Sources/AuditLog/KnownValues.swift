/// PII values a process has seen (from the API or typed by the person), masked wherever they reappear in free text.
///
/// Matching is by whole words and ignores case: a value is indexed by its
/// first word, so masking a text costs one dictionary look-up per word, not
/// one search per known value. A match must end at a word boundary, so a
/// value never masks part of a longer word, id or hash.
public struct KnownValues: Sendable {
    struct Entry: Sendable {
        var folded: [Unicode.Scalar]
        var hash: String
    }

    /// First word (folded) → values that start with it, longest first.
    var byFirstWord: [String: [Entry]] = [:]
    var seen: Set<String> = []

    public init() {}

    public var isEmpty: Bool { byFirstWord.isEmpty }
    public var count: Int { seen.count }

    /// Values shorter than this are too likely to be ordinary words or numbers.
    static let minimumLength = 3
    /// Longer values are free text (notes), hashed as fields but not hunted for in other text.
    static let maximumLength = 120
    /// Words the log itself uses as values (answers, verdicts, statuses): a lead called "Yes" must not mask every confirmation.
    static let ordinaryWords: Set<String> = ["yes", "no", "always", "allow", "deny", "confirm", "approve", "prompt", "new", "lead", "leads", "test", "none", "null", "true", "false", "unknown", "won", "lost", "qualified", "contacted"]

    /// Letters, digits and `_`: `lead_adi` is one word, so a known "Adi" never masks part of an id.
    static func isWordScalar(_ c: Unicode.Scalar) -> Bool { c == "_" || c.properties.isAlphabetic || c.properties.numericType != nil }

    static func fold(_ c: Unicode.Scalar) -> Unicode.Scalar {
        let lower = c.properties.lowercaseMapping.unicodeScalars
        return lower.count == 1 ? lower.first! : c
    }

    /// Adds a value; its leading and trailing punctuation (`+` of a phone) is not part of the match.
    public mutating func add(_ value: String, hash: String) {
        let scalars = Array(value.unicodeScalars)
        guard let start = scalars.firstIndex(where: Self.isWordScalar), let end = scalars.lastIndex(where: Self.isWordScalar) else { return }
        let core = scalars[start...end].map(Self.fold)
        guard core.count >= Self.minimumLength, core.count <= Self.maximumLength else { return }
        let key = String(String.UnicodeScalarView(core))
        guard !Self.ordinaryWords.contains(key), seen.insert(key).inserted else { return }
        let firstWord = String(String.UnicodeScalarView(core.prefix(while: Self.isWordScalar)))
        var entries = byFirstWord[firstWord, default: []]
        entries.append(Entry(folded: core, hash: hash))
        entries.sort { $0.folded.count > $1.folded.count }
        byFirstWord[firstWord] = entries
    }

    /// Replaces every whole-word occurrence of a known value by `[hmac:…]`.
    public func mask(_ text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        let folded = scalars.map(Self.fold)
        var out = String.UnicodeScalarView()
        var copiedUpTo = 0
        var i = 0
        var changed = false
        while i < scalars.count {
            guard Self.isWordScalar(scalars[i]), i == 0 || !Self.isWordScalar(scalars[i - 1]) else { i += 1; continue }
            var end = i
            while end < scalars.count, Self.isWordScalar(scalars[end]) { end += 1 }
            let word = String(String.UnicodeScalarView(folded[i..<end]))
            if let entries = byFirstWord[word],
                let entry = entries.first(where: { e in
                    i + e.folded.count <= folded.count && folded[i..<(i + e.folded.count)].elementsEqual(e.folded)
                        && (i + e.folded.count == folded.count || !Self.isWordScalar(folded[i + e.folded.count]))
                }) {
                var start = i
                // A phone's `+` goes with it.
                if start > 0, scalars[start - 1] == "+" { start -= 1 }
                out.append(contentsOf: scalars[copiedUpTo..<start])
                out.append(contentsOf: "[\(entry.hash)]".unicodeScalars)
                i += entry.folded.count
                copiedUpTo = i
                changed = true
                continue
            }
            i = end
        }
        guard changed else { return text }
        out.append(contentsOf: scalars[copiedUpTo...])
        return String(out)
    }
}
