/// A request read into phrases: each with what it means, the words it consumed, and the entities found in the raw text.
struct Reading: Sendable {
    /// One phrase of the request: a known phrase, an entity placeholder, a number, or a word nobody claimed.
    struct Item: Sendable, Hashable {
        var meanings: [Meaning]
        /// The normalised words this item consumed.
        var words: [String]
        /// The words as written, for names and messages.
        var originals: [String]
        var entity: Int?
        var number: Int?
        /// Whether it is a stop word (no meaning of its own, never reported as not understood).
        var filler = false
        /// A word of a person's name after "named"/"atas nama"/"cari": kept as written, never corrected.
        var name = false

        func has(_ concept: String) -> Bool { meanings.contains(.concept(concept)) }
        func hasPrefix(_ prefix: String) -> Bool { meanings.contains { $0.concept?.hasPrefix(prefix) ?? false } }
        var isUnknown: Bool { meanings.isEmpty && entity == nil && number == nil && !filler && !name }
    }

    let original: String
    let entities: [RawEntity]
    var items: [Item]
    /// Bahasa Indonesia (or mostly): answers, questions and confirmations follow it.
    let indonesian: Bool

    init(_ text: String, vocabulary v: Vocabulary, monthFirst: Bool) {
        original = text
        let (placeheld, found) = RawEntity.extract(from: text, monthFirst: monthFirst)
        entities = found
        // Normalise word by word.
        var words: [(text: String, original: String, name: Bool)] = []
        var nameRoom = 0
        for raw in placeheld.split(whereSeparator: { $0.isWhitespace }) {
            let rawString = String(raw)
            for piece in Vocabulary.words(rawString, lowercased: false) {
                let lower = piece.lowercased()
                // After a naming word, unknown (or capitalised, unknown-as-written) words are a name: no typo correction.
                if nameRoom > 0, !lower.hasPrefix("§"), !v.known.contains(lower) || (piece.first?.isUppercase ?? false) && v.phrases[lower] == nil && !v.stopwords.contains(lower),
                   !Self.normalise(piece, v, correcting: false).allSatisfy({ v.phrases[$0] != nil || v.stopwords.contains($0) }) || (piece.first?.isUppercase ?? false) && v.phrases[lower] == nil {
                    words.append((lower, piece, true))
                    nameRoom -= 1
                    continue
                }
                if nameRoom > 0, !words.isEmpty, words.last!.name { nameRoom = 0 }
                let normal = Self.normalise(piece, v)
                for word in normal { words.append((word, piece, false)) }
                if let last = normal.last, Self.namingWords.contains(last) || Self.namingWords.contains(lower) { nameRoom = 3 }
                else if !(v.stopwords.contains(lower) || lower == "lead" || lower == "leads" || lower == "yang" || lower == "yg" || lower == "with" || lower == "the" || lower == "a") { nameRoom = 0 }
            }
        }
        // Phrases, longest first.
        var items: [Item] = []
        var i = 0
        var idScore = 0, enScore = 0
        for w in words {
            if v.indonesianMarkers.contains(w.original.lowercased()) || v.indonesianMarkers.contains(w.text) { idScore += 1 }
            if v.englishMarkers.contains(w.original.lowercased()) { enScore += 1 }
        }
        while i < words.count {
            let word = words[i].text
            if words[i].name {
                var item = Item(meanings: [], words: [word], originals: [words[i].original])
                item.name = true
                items.append(item)
                i += 1
                continue
            }
            if word.hasPrefix("§"), let n = Int(word.dropFirst()), n < found.count {
                items.append(Item(meanings: [], words: [word], originals: [words[i].original], entity: n))
                i += 1
                continue
            }
            // "ad" in chat Indonesian is "ada" (there is), not an ad: such forms are read only in an Indonesian request.
            if idScore > enScore, let formal = v.lexicon.indonesianInformal[words[i].original.lowercased()], v.phrases[formal] == nil {
                var item = Item(meanings: [], words: [formal], originals: [words[i].original])
                item.filler = v.stopwords.contains(formal) || v.particles.contains(formal)
                items.append(item)
                i += 1
                continue
            }
            var matched = false
            for phrase in v.phrases[word] ?? [] where i + phrase.words.count <= words.count {
                if (0..<phrase.words.count).allSatisfy({ words[i + $0].text == phrase.words[$0] }) {
                    let slice = words[i..<(i + phrase.words.count)]
                    var item = Item(meanings: phrase.meanings, words: slice.map(\.text), originals: slice.map(\.original))
                    if case .number(let n)? = phrase.meanings.first { item.number = n }
                    items.append(item)
                    i += phrase.words.count
                    matched = true
                    break
                }
            }
            if matched { continue }
            if let n = Self.ordinal(word) {
                items.append(Item(meanings: [.concept("fu.ordinal.\(n)")], words: [word], originals: [words[i].original]))
                i += 1
                continue
            }
            if let n = Int(word) ?? Self.ordinalDay(word) {
                items.append(Item(meanings: [], words: [word], originals: [words[i].original], number: n))
            } else {
                items.append(Item(meanings: [], words: [word], originals: [words[i].original], filler: v.stopwords.contains(word) || v.particles.contains(word)))
            }
            i += 1
        }
        self.items = items
        indonesian = idScore > 0 && idScore >= enScore
    }

    /// "ke-4" → 4.
    static func ordinal(_ word: String) -> Int? {
        guard word.hasPrefix("ke-"), let n = Int(word.dropFirst(3)), (1...100).contains(n) else { return nil }
        return n
    }

    /// "1st", "2nd", "23rd", "15th": a day of the month written as an English ordinal.
    static func ordinalDay(_ word: String) -> Int? {
        guard word.count >= 3, word.count <= 4 else { return nil }
        let suffix = word.suffix(2)
        guard ["st", "nd", "rd", "th"].contains(suffix), let n = Int(word.dropLast(2)), (1...31).contains(n) else { return nil }
        return n
    }

    /// Words after which a person's name may follow.
    static let namingWords: Set<String> = ["named", "called", "nama", "bernama", "namanya", "an", "find", "search", "cari", "carikan", "cariin", "temukan", "lookup", "n", "campaign", "kampanye", "create", "add", "tambah", "tambahkan", "buat", "bikin", "register", "daftarkan"]

    /// The normal forms of one written word: informal forms expanded, particles dropped, `-nya` removed, typos corrected.
    static func normalise(_ raw: String, _ v: Vocabulary, correcting: Bool = true) -> [String] {
        var word = raw.lowercased()
        if word.hasPrefix("§") { return [word] }
        if let formal = v.lexicon.informal[word] { word = formal }
        if Int(word) != nil { return [word] }
        // A word known only inside a longer phrase ("nilainya" in "terbesar nilainya") still has its suffix taken off when alone.
        if v.known.contains(word), v.phrases[word] != nil || v.stopwords.contains(word) || v.particles.contains(word) || v.lexicon.informal.values.contains(word) { return [word] }
        if word.hasPrefix("ke-"), v.known.contains(String(word.dropFirst(3))) { return [String(word.dropFirst(3))] }
        // "ke-4": the 4th, kept whole for the ordinal reading.
        if word.hasPrefix("ke-"), Self.ordinal(word) != nil { return [word] }
        // "lead2", "kampanye2": chat Indonesian writes a plural (a doubled word) with a 2.
        if word.count > 3, word.hasSuffix("2"), word.dropLast().allSatisfy(\.isLetter) { return normalise(String(word.dropLast()), v, correcting: correcting) }
        if word.contains("-") {
            let parts = word.split(separator: "-").map(String.init)
            if parts.count == 2, parts[0] == parts[1] { return normalise(parts[0], v, correcting: correcting) }
            return parts.flatMap { normalise($0, v, correcting: correcting) }
        }
        for suffix in v.lexicon.suffixes where word.hasSuffix(suffix) && word.count > suffix.count + 2 {
            let stem = String(word.dropLast(suffix.count))
            if v.known.contains(stem) { return [stem] }
            if let formal = v.lexicon.informal[stem] { return [formal] }
        }
        if v.known.contains(word) { return [word] }
        // A derived form whose stem carries a meaning ("berstatus", "bersumber", "dikirim"): the stem, before any typo guess.
        for prefix in v.lexicon.prefixes where word.hasPrefix(prefix) && word.count >= prefix.count + 4 {
            let stem = String(word.dropFirst(prefix.count))
            if v.phrases[stem] != nil { return [stem] }
            if let formal = v.lexicon.informal[stem], v.phrases[formal] != nil { return [formal] }
        }
        if correcting, let corrected = v.correct(word) { return [v.lexicon.informal[corrected] ?? corrected] }
        return [word]
    }

    func has(_ concept: String) -> Bool { items.contains { $0.has(concept) } }
    func hasPrefix(_ prefix: String) -> Bool { items.contains { $0.hasPrefix(prefix) } }
    /// Each phrase's value, in its first reading ("fb" is the social source here; the Meta platform only where a tool asks).
    var values: [String] { items.compactMap { $0.meanings.compactMap(\.value).first } }
    func entity(_ item: Item) -> RawEntity? { item.entity.map { entities[$0] } }
}
