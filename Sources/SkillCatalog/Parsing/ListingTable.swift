/// A table in a rendering that dropped the `|` separators: its columns, and how to split a row back into cells.
///
/// Registry listings print a Markdown table either with its cells glued
/// together (`limitintegerNoItems per page`) or separated by single spaces
/// (`limit integer No Items per page`). The header row names the columns, and
/// each column's vocabulary says where its cell ends: a parameter name is an
/// identifier, a type is one of the type words, Required is Yes or No, an
/// error code is upper case followed by a three-digit status, a key, scope
/// or header name is a term the document uses elsewhere. The last column
/// takes the rest of the row.
struct ListingTable {
    /// What a column holds, which decides where its cell can end.
    enum Column: Equatable {
        case name, type, required, key([String]), scope, plan, code, status, header, rest
    }

    /// How sure a split is: by the columns' grammar, by a term of the document, or by letter case alone.
    enum Confidence: Int, Comparable {
        case grammar, vocabulary, shape
        static func < (a: Confidence, b: Confidence) -> Bool { a.rawValue < b.rawValue }
    }

    /// The header as the parser's Markdown tables spell it; nil for an endpoint's key/value table.
    var header: [String]?
    var columns: [Column]
    /// True when the cells are separated by one space rather than glued.
    var spaced: Bool

    /// A row split into cells, with the least certain step taken.
    struct Split {
        var cells: [String]
        var confidence: Confidence
        /// The cell that was a guess, for the diagnostic.
        var guessedCell: Int?
        /// More than one split fits the columns.
        var ambiguous: Bool
    }

    static let columnNames = ["HTTP Status", "Parameter", "Field", "Name", "Type", "Required", "Description", "Key", "Value", "Scope", "Plan", "Limit", "Code", "Header"]

    /// The header shapes the reader understands, as in the Markdown SKILL.md.
    static let shapes: [[String]] = [
        ["Key", "Value"], ["Scope", "Description"], ["Plan", "Limit"], ["Code", "HTTP Status", "Description"], ["Header", "Description"],
        ["Parameter", "Type", "Required", "Description"], ["Field", "Type", "Required", "Description"], ["Name", "Type", "Required", "Description"],
        ["Parameter", "Type", "Description"], ["Field", "Type", "Description"], ["Name", "Type", "Description"],
    ]

    static let endpointKeys = ["Method", "Path", "Auth", "Scope"]
    static let requirementKeys = ["Authentication", "Environment Variable", "Transport", "Content-Type"]
    static let methods = ["GET", "POST", "PUT", "PATCH", "DELETE"]
    static let typeWords = ["string (UUID)", "string (ISO 8601)", "string (date-time)", "string", "integer", "number", "boolean", "array", "object", "int", "float", "decimal", "uuid", "date-time", "datetime"]
    static let requiredWords = ["Yes", "No", "yes", "no", "true", "false", "Required", "Optional"]

    /// The table a header line such as `ParameterTypeRequiredDescription` or `Code HTTP Status Description` starts, if it is one.
    init?(headerLine text: Substring) {
        var names: [String] = []
        var rest = text
        // Glued when any two column names touch; then the rows are glued too.
        var glued = false
        while !rest.isEmpty {
            guard let name = Self.columnNames.first(where: { rest.hasPrefix($0) }) else { return nil }
            names.append(name)
            rest = rest.dropFirst(name.count)
            if rest.first == " " {
                rest = rest.dropFirst()
            } else if !rest.isEmpty {
                glued = true
            }
        }
        guard Self.shapes.contains(names) else { return nil }
        header = names
        spaced = !glued
        columns = names.enumerated().map { index, name in
            if index == names.count - 1 { return .rest }
            switch name {
            case "Parameter", "Field", "Name": return .name
            case "Type": return .type
            case "Required": return .required
            case "Key": return .key(Self.requirementKeys)
            case "Scope": return .scope
            case "Plan": return .plan
            case "Code": return .code
            case "HTTP Status": return .status
            case "Header": return .header
            default: return .rest
            }
        }
    }

    /// The key/value table an endpoint's first row (`MethodGET`, `Method GET`) starts, if the line is one.
    init?(endpointLine text: Substring) {
        guard text.hasPrefix("Method") else { return nil }
        var rest = text.dropFirst("Method".count)
        let spaced = rest.first == " "
        if spaced { rest = rest.dropFirst() }
        guard Self.methods.contains(String(rest)) else { return nil }
        header = nil
        columns = [.key(Self.endpointKeys), .rest]
        self.spaced = spaced
    }

    /// Splits a row into one cell per column, or nil when it does not fit them.
    func split(_ row: Substring, vocabulary: DocumentVocabulary) -> Split? {
        let bytes = Array(row.utf8)
        var best: Split?
        // Complete splits made by grammar alone; two of them make the row ambiguous.
        var certain = 0
        var cells: [String] = []
        var worst: (Confidence, Int?) = (.grammar, nil)
        func done() -> Bool { certain >= 2 || (best != nil && best!.confidence != .grammar) }
        // Depth-first over the columns; each column offers a few candidate ends, most likely first.
        func walk(_ column: Int, _ start: Int) {
            if column == columns.count - 1 {
                cells.append(String(decoding: bytes[start...], as: UTF8.self))
                if worst.0 == .grammar { certain += 1 }
                if best == nil { best = Split(cells: cells, confidence: worst.0, guessedCell: worst.1, ambiguous: false) }
                cells.removeLast()
                return
            }
            for (end, confidence) in candidates(columns[column], bytes, from: start, vocabulary: vocabulary) {
                var next = end
                let lastButOne = column == columns.count - 2
                if end == bytes.count {
                    // Only the cell before the last may run to the end of the row (an empty last cell: `Scope`).
                    guard lastButOne else { continue }
                } else if spaced {
                    guard bytes[end] == 0x20 else { continue }
                    next += 1
                }
                let saved = worst
                if confidence > worst.0 { worst = (confidence, column) }
                cells.append(String(decoding: bytes[start..<end], as: UTF8.self))
                walk(column + 1, next)
                cells.removeLast()
                worst = saved
                if done() { return }
            }
        }
        walk(0, 0)
        best?.ambiguous = certain > 1
        return best
    }

    /// Where a cell of this column may end, starting at `start`, most likely first.
    func candidates(_ column: Column, _ bytes: [UInt8], from start: Int, vocabulary: DocumentVocabulary) -> [(Int, Confidence)] {
        func matches(_ word: String, at i: Int) -> Bool {
            let w = Array(word.utf8)
            return i + w.count <= bytes.count && Array(bytes[i..<(i + w.count)]) == w
        }
        func run(_ allowed: (UInt8) -> Bool) -> Int {
            var i = start
            while i < bytes.count, allowed(bytes[i]) { i += 1 }
            return i
        }
        let isIdentifier: (UInt8) -> Bool = { String.isASCIILetter($0) || ($0 >= 48 && $0 <= 57) || $0 == UInt8(ascii: "_") }
        switch column {
        case .rest:
            return [(bytes.count, .grammar)]
        case .type:
            return Self.typeWords.filter { matches($0, at: start) }.map { (start + $0.utf8.count, .grammar) }
        case .required:
            return Self.requiredWords.filter { matches($0, at: start) }.map { (start + $0.utf8.count, .grammar) }
        case .name:
            guard start < bytes.count, String.isASCIILetter(bytes[start]) || bytes[start] == UInt8(ascii: "_") else { return [] }
            // Every end inside the identifier is possible when glued; the next column (a type word) decides.
            let end = run(isIdentifier)
            return spaced ? [(end, .grammar)] : Array((start + 1)...end).map { ($0, .grammar) }
        case .status:
            let end = run { $0 >= 48 && $0 <= 57 }
            return end - start == 3 ? [(end, .grammar)] : []
        case .code:
            let end = run { ($0 >= 65 && $0 <= 90) || $0 == UInt8(ascii: "_") }
            return end > start ? [(end, .grammar)] : []
        case .plan:
            let end = run { String.isASCIILetter($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") }
            return end > start ? [(end, .grammar)] : []
        case .key(let known):
            var result: [(Int, Confidence)] = []
            for key in known.sorted(by: { $0.count > $1.count }) where matches(key, at: start) {
                result.append((start + key.utf8.count, .grammar))
            }
            // An endpoint's keys are the reader's own grammar: nothing else is guessed there.
            if header == nil { return result }
            result += vocabularyEnds(bytes, from: start, vocabulary: vocabulary).map { ($0, .vocabulary) }
            if let end = caseBoundary(bytes, from: start, allowSpaces: true) { result.append((end, .shape)) }
            return result
        case .scope, .header:
            var result = vocabularyEnds(bytes, from: start, vocabulary: vocabulary).map { ($0, Confidence.vocabulary) }
            if let end = caseBoundary(bytes, from: start, allowSpaces: false) { result.append((end, .shape)) }
            return result
        }
    }

    /// Ends of the prefixes that are terms of the document, longest first.
    func vocabularyEnds(_ bytes: [UInt8], from start: Int, vocabulary: DocumentVocabulary) -> [Int] {
        var ends: [Int] = []
        let limit = min(bytes.count, start + DocumentVocabulary.maximumTermLength)
        var i = start + 1
        while i <= limit {
            // In a spaced table a cell ends at a space; glued, anywhere.
            if !spaced || i == bytes.count || bytes[i] == 0x20 {
                if vocabulary.contains(String(decoding: bytes[start..<i], as: UTF8.self)) { ends.append(i) }
            }
            i += 1
        }
        return ends.reversed()
    }

    /// A guess from letter case: the cell ends where a lower-case letter meets an upper-case one (`ScopesDepends`), or at a space.
    func caseBoundary(_ bytes: [UInt8], from start: Int, allowSpaces: Bool) -> Int? {
        var i = start + 1
        while i < bytes.count {
            if spaced, bytes[i] == 0x20 { return i }
            if !spaced, bytes[i] == 0x20, !allowSpaces { return nil }
            if !spaced, bytes[i - 1] >= 97, bytes[i - 1] <= 122, bytes[i] >= 65, bytes[i] <= 90 {
                // Inside a hyphenated name (`X-RateLimit-Limit`) only the last part can end the cell.
                if !bytes[i...].prefix(while: { $0 != 0x20 }).contains(UInt8(ascii: "-")) { return i }
            }
            i += 1
        }
        return nil
    }
}
