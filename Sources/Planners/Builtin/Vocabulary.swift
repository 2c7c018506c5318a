import Foundation
import SkillCatalog

/// The lexicon joined with the catalog: every phrase the planner knows, and which parameters take which enum value.
///
/// Enum values come from the catalog, so a value SKILL.md adds is matched by
/// its own name with no code change; the lexicon only adds synonyms.
struct Vocabulary: Sendable {
    let lexicon: Lexicon
    /// First word → the phrases starting with it, longest first.
    let phrases: [String: [(words: [String], meanings: [Meaning])]]
    /// Every word of every phrase, stop word and informal form: what a typo is corrected towards.
    let known: Set<String>
    let stopwords: Set<String>
    let particles: Set<String>
    let indonesianMarkers: Set<String>
    let questionWords: Set<String>
    /// The words that may join two questions ("and", "trus", "dan" …): only a request with one is read for a second question.
    let joinWords: Set<String>
    let englishMarkers: Set<String>
    /// Enum value → the (tool, parameter) pairs that accept it.
    let enumOwners: [String: [(tool: String, parameter: String)]]
    /// Known words bucketed by first letter and length, and by last letter and length, for the typo search.
    /// Known words by first and by last letter and length, for ``correct(_:)``: built at the first misspelling, since
    /// most requests have none and grouping every known word is a millisecond of a one-shot `ask`.
    let endIndex: EndIndex

    /// A word's first (or last) letter and its length: where a misspelling's candidates are looked up.
    struct EndKey: Hashable, Sendable {
        let letter: Character
        let length: Int
    }

    final class EndIndex: @unchecked Sendable {
        private let candidates: [String]
        private let lock = NSLock()
        private var built: (byFirst: [EndKey: [String]], byLast: [EndKey: [String]])?

        init(_ candidates: [String]) { self.candidates = candidates }

        var groups: (byFirst: [EndKey: [String]], byLast: [EndKey: [String]]) {
            lock.lock()
            defer { lock.unlock() }
            if let built { return built }
            let groups = (Dictionary(grouping: candidates, by: { EndKey(letter: $0.first!, length: Vocabulary.length($0)) }),
                          Dictionary(grouping: candidates, by: { EndKey(letter: $0.last!, length: Vocabulary.length($0)) }))
            built = groups
            return groups
        }
    }

    /// A word's length in characters, by bytes when it is ASCII (most of the lexicon is).
    static func length(_ word: String) -> Int {
        word.utf8.allSatisfy { $0 < 0x80 } ? word.utf8.count : word.count
    }

    init(lexicon: Lexicon, catalog: Catalog) {
        self.lexicon = lexicon
        var table: [[String]: [Meaning]] = [:]
        table.reserveCapacity(4096)
        func add(_ phrase: String, _ meaning: Meaning) {
            let words = Self.words(phrase)
            guard !words.isEmpty else { return }
            if !(table[words]?.contains(meaning) ?? false) { table[words, default: []].append(meaning) }
        }
        for (concept, list) in lexicon.concepts { for phrase in list { add(phrase, .concept(concept)) } }
        var owners: [String: [(tool: String, parameter: String)]] = [:]
        for tool in catalog.tools {
            // Periods and sort orders are read from time and sort words, not from their enum spellings.
            for parameter in tool.parameters where !Self.readElsewhere.contains(parameter.name) {
                for value in parameter.enumValues ?? [] {
                    owners[value, default: []].append((tool.toolName, parameter.name))
                    // words() splits at "_": "closed_won" is also found as "closed won".
                    add(value, .value(value))
                }
            }
        }
        // Sorted, so a phrase's meanings come in the same order in every process; second readings after every first one.
        for (value, synonyms) in lexicon.values.sorted(by: { $0.key < $1.key }) where owners[value] != nil { for phrase in synonyms { add(phrase, .value(value)) } }
        for (value, synonyms) in lexicon.alsoValues.sorted(by: { $0.key < $1.key }) where owners[value] != nil { for phrase in synonyms { add(phrase, .value(value)) } }
        for (month, names) in lexicon.months { for name in names { add(name, .month(Int(month) ?? 0)) } }
        for (word, number) in lexicon.numberWords { add(word, .number(number)) }
        var index: [String: [(words: [String], meanings: [Meaning])]] = [:]
        for (words, meanings) in table { index[words[0], default: []].append((words, meanings)) }
        for key in index.keys { index[key]!.sort { $0.words.count > $1.words.count } }
        phrases = index
        enumOwners = owners
        stopwords = Set(lexicon.stopwords.values.flatMap { $0 })
        particles = Set(lexicon.particles)
        indonesianMarkers = Set(lexicon.indonesianMarkers)
        questionWords = Set(lexicon.questionWords)
        joinWords = Set((lexicon.concepts["fu.and"] ?? []).compactMap { Self.words($0).first })
        englishMarkers = Set(lexicon.stopwords["en"] ?? []).union(["how", "many", "show", "leads", "week", "month", "today", "last", "this", "what", "which", "from", "find", "update", "set", "mark", "and"])
        var known = Set(table.keys.flatMap { $0 })
        known.formUnion(stopwords)
        known.formUnion(lexicon.informal.values)
        known.formUnion(lexicon.informal.keys)
        known.formUnion(particles)
        self.known = known
        let candidates = known.filter { Self.length($0) >= 3 }
        endIndex = EndIndex(Array(candidates))
    }

    /// Parameters whose values come from time and sort expressions rather than from their enum names.
    static let readElsewhere: Set<String> = ["timeframe", "sortBy", "sortOrder"]

    /// Lower-cased words of a phrase, split the way requests are split.
    static func words(_ text: String, lowercased: Bool = true) -> [String] {
        if let ascii = asciiWords(text, lowercased: lowercased) { return ascii }
        return (lowercased ? text.lowercased() : text).split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "-" || $0 == "#" || $0 == "§") }).map(String.init)
    }

    /// ``words(_:lowercased:)`` for ASCII text, by bytes: the lexicon and the catalog are read word by word at every
    /// start-up, and `Character`'s Unicode properties cost a table lookup per letter. Nil when the text is not ASCII.
    static func asciiWords(_ text: String, lowercased: Bool) -> [String]? {
        var words: [String] = []
        var current: [UInt8] = []
        for byte in text.utf8 {
            guard byte < 0x80 else { return nil }
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): current.append(lowercased ? byte + 32 : byte)
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "#"): current.append(byte)
            default:
                if !current.isEmpty { words.append(String(decoding: current, as: UTF8.self)); current.removeAll(keepingCapacity: true) }
            }
        }
        if !current.isEmpty { words.append(String(decoding: current, as: UTF8.self)) }
        return words
    }

    /// The known word a misspelt word most likely is: one edit away (two for long words), unique, same first letter or last letter.
    func correct(_ word: String) -> String? {
        let n = word.count
        guard n >= 4, !word.contains(where: \.isNumber) else { return nil }
        let limit = n >= 7 ? 2 : 1
        // Ranked by distance, then same length (a swap or a wrong letter), then the longer word (a dropped letter), then a formal word.
        var best: (word: String, rank: (Int, Int, Int, Int))?
        var tie = false
        let chars = Array(word)
        let groups = endIndex.groups
        for length in (n - limit)...(n + limit) {
            let byFirst = groups.byFirst[EndKey(letter: chars.first!, length: length)] ?? []
            let byLast = (groups.byLast[EndKey(letter: chars.last!, length: length)] ?? []).filter { $0.first != chars.first }
            for candidate in byFirst + byLast {
                let c = Array(candidate)
                let d = Self.distance(chars, c, limit: limit)
                guard d <= limit else { continue }
                let rank = (d, c.count == n ? 0 : 1, -c.count, lexicon.informal[candidate] == nil ? 0 : 1)
                if best == nil || rank < best!.rank { best = (candidate, rank); tie = false } else if rank == best!.rank, candidate != best!.word { tie = true }
            }
        }
        guard let best, !tie else { return nil }
        return best.word
    }

    /// Damerau–Levenshtein distance (adjacent transpositions count one), stopping early past `limit`.
    static func distance(_ a: [Character], _ b: [Character], limit: Int) -> Int {
        if abs(a.count - b.count) > limit { return limit + 1 }
        var previous2 = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            var rowMin = current[0]
            for j in 1...max(b.count, 1) where j <= b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { value = min(value, previous2[j - 2] + 1) }
                current[j] = value
                rowMin = min(rowMin, value)
            }
            if rowMin > limit { return limit + 1 }
            (previous2, previous, current) = (previous, current, previous2)
        }
        return previous[b.count]
    }
}
