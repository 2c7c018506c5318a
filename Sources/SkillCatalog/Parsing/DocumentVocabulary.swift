/// The words and short phrases a document uses outside its tables, for telling where glued table cells end.
///
/// A registry listing glues a row's cells together (`Base URLhttps://…`,
/// `agent.leads.readRead leads`). The first cell is most likely a term the
/// document also uses in its prose (`Base URL: https://…`, `Available
/// scopes: agent.leads.read, …`), so the longest prefix of a row that is such
/// a term is a good guess for the cell.
struct DocumentVocabulary {
    /// Lower-case terms: single tokens (`agent.leads.read`, `x-ratelimit-limit`) and runs of two or three words (`base url`).
    private var terms: Set<String> = []

    /// The longest term a key may be; longer prefixes are not looked up, so each row costs a bounded number of lookups.
    static let maximumTermLength = 64

    init(lines: some Sequence<Substring>) {
        for line in lines { add(line) }
    }

    /// Adds a line's tokens and its two- and three-word phrases; punctuation other than `.`, `_` and `-` ends a phrase.
    mutating func add(_ line: Substring) {
        var phrase: [String] = []
        var token: [UInt8] = []
        func endToken() {
            while let last = token.last, last == UInt8(ascii: ".") || last == UInt8(ascii: "-") { token.removeLast() }
            if !token.isEmpty, token.count <= Self.maximumTermLength {
                let word = String(decoding: token, as: UTF8.self).lowercased()
                terms.insert(word)
                phrase.append(word)
                if phrase.count >= 2 { terms.insert(phrase.suffix(2).joined(separator: " ")) }
                if phrase.count >= 3 { terms.insert(phrase.suffix(3).joined(separator: " ")) }
            }
            token = []
        }
        for b in line.utf8 {
            if String.isASCIILetter(b) || (b >= 48 && b <= 57) || b == UInt8(ascii: ".") || b == UInt8(ascii: "_") || b == UInt8(ascii: "-") {
                token.append(b)
            } else if b == 0x20 {
                endToken()
            } else {
                endToken()
                phrase = []
            }
        }
        endToken()
    }

    func contains(_ term: some StringProtocol) -> Bool { terms.contains(term.lowercased()) }
}
