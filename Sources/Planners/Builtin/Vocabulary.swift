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
    let knownByFirst: [String: [String]]
    let knownByLast: [String: [String]]

    init(lexicon: Lexicon, catalog: Catalog) {
        self.lexicon = lexicon
        var table: [[String]: [Meaning]] = [:]
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
                    add(value, .value(value))
                    add(value.replacingOccurrences(of: "_", with: " "), .value(value))
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
        let candidates = known.filter { $0.count >= 3 }
        knownByFirst = Dictionary(grouping: candidates, by: { "\($0.first!)\($0.count)" })
        knownByLast = Dictionary(grouping: candidates, by: { "\($0.last!)\($0.count)" })
    }

    /// Parameters whose values come from time and sort expressions rather than from their enum names.
    static let readElsewhere: Set<String> = ["timeframe", "sortBy", "sortOrder"]

    /// Lower-cased words of a phrase, split the way requests are split.
    static func words(_ text: String, lowercased: Bool = true) -> [String] {
        (lowercased ? text.lowercased() : text).split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "-" || $0 == "#" || $0 == "§") }).map(String.init)
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
        for length in (n - limit)...(n + limit) {
            let byFirst = knownByFirst["\(chars.first!)\(length)"] ?? []
            let byLast = (knownByLast["\(chars.last!)\(length)"] ?? []).filter { $0.first != chars.first }
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
