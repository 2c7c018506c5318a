import AgentCore

extension StringProtocol {
    /// The trimmed text after the first occurrence of `marker`, or nil when absent or empty.
    func value(after marker: String) -> String? {
        guard let range = utf8Range(of: marker) else { return nil }
        let rest = String(self[range.upperBound...])[...].trimmingWhitespace()
        return rest.isEmpty ? nil : String(rest)
    }

    /// Byte-wise search over UTF-8: markers are ASCII, so this finds what a character search would, much faster.
    func utf8Range(of needle: String) -> Range<Index>? {
        let pattern = Array(needle.utf8)
        guard !pattern.isEmpty else { return nil }
        let found: Int? = utf8.withContiguousStorageIfAvailable { ByteSearch.firstIndex(of: pattern, in: $0) }
            ?? Array(utf8).withUnsafeBufferPointer { ByteSearch.firstIndex(of: pattern, in: $0) }
        guard let found else { return nil }
        let lower = utf8.index(utf8.startIndex, offsetBy: found)
        return lower..<utf8.index(lower, offsetBy: pattern.count)
    }

    /// The first run of non-space characters.
    var firstWord: String { String(self.prefix { !$0.isWhitespace }) }

    /// The integer at the start of the text ("60 req/min" → 60).
    var leadingInteger: Int? { Int(self.prefix { $0.isASCII && $0.isNumber }) }

    /// Letters, digits and underscores, not starting with a digit.
    var isIdentifierLike: Bool { identifierCheck(String(self)) }

    static func isASCIILetter(_ b: UInt8) -> Bool { (b >= 65 && b <= 90) || (b >= 97 && b <= 122) }

    func trimmingWhitespaceString() -> String {
        String(String(self)[...].trimmingWhitespace())
    }

    func trimmingCharacters(in set: String) -> String {
        var s = Substring(self)
        while let f = s.first, set.contains(f) || f.isWhitespace { s = s.dropFirst() }
        while let l = s.last, set.contains(l) || l.isWhitespace { s = s.dropLast() }
        return String(s)
    }

    /// `range(of:)` without Foundation: the first occurrence of `needle`.
    func range(of needle: String) -> Range<Index>? { utf8Range(of: needle) }

    func contains(_ needle: String) -> Bool { range(of: needle) != nil }
}

extension Substring {
    var string: String { String(self) }
}

extension ParameterType {
    /// Reads `integer`, `string (UUID)`, `string (ISO 8601)` and the like.
    init?(documentSpelling text: String) {
        guard text.utf8.count < 40 else { return nil }
        let t = String(decoding: text.utf8.filter { $0 != 0x20 && $0 != 0x09 }.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }, as: UTF8.self)
        switch t {
        case "integer", "int": self = .integer
        case "number", "float", "decimal": self = .number
        case "string": self = .string
        case "string(uuid)", "uuid": self = .uuid
        case "string(iso8601)", "string(iso-8601)", "string(date-time)", "date-time", "datetime": self = .dateTime
        default: return nil
        }
    }
}

extension Substring {
    /// `hasPrefix` for an ASCII prefix, on UTF-8 bytes.
    func startsWithASCII(_ prefix: StaticString) -> Bool {
        let count = prefix.utf8CodeUnitCount
        var iterator = utf8.makeIterator()
        let start = prefix.utf8Start
        for offset in 0..<count {
            guard let b = iterator.next(), b == start[offset] else { return false }
        }
        return true
    }

    /// `hasSuffix` for one ASCII character.
    func endsWithASCII(_ byte: UInt8) -> Bool { utf8.last == byte }
}

/// Splits `a, b, c` on commas and trims each item, on UTF-8 bytes.
func commaList<S: StringProtocol>(_ text: S) -> [Substring] {
    var items: [Substring] = []
    let string = String(text)
    var start = string.utf8.startIndex
    var index = start
    let utf8 = string.utf8
    func add(_ end: String.Index) {
        var a = start
        var b = end
        while a < b, utf8[a] == 0x20 || utf8[a] == 0x09 { a = utf8.index(after: a) }
        while b > a, utf8[utf8.index(before: b)] == 0x20 || utf8[utf8.index(before: b)] == 0x09 { b = utf8.index(before: b) }
        items.append(string[a..<b])
    }
    while index < utf8.endIndex {
        if utf8[index] == UInt8(ascii: ",") {
            add(index)
            start = utf8.index(after: index)
        }
        index = utf8.index(after: index)
    }
    add(utf8.endIndex)
    return items
}

/// The byte check behind `isIdentifierLike`, on contiguous UTF-8.
func identifierCheck(_ text: String) -> Bool {
    var text = text
    text.makeContiguousUTF8()
    return text.utf8.withContiguousStorageIfAvailable { bytes -> Bool in
        guard let first = bytes.first, String.isASCIILetter(first) || first == UInt8(ascii: "_") else { return false }
        for b in bytes.dropFirst() where !(String.isASCIILetter(b) || (b >= 48 && b <= 57) || b == UInt8(ascii: "_")) { return false }
        return true
    } ?? false
}

extension Substring {
    var isIdentifierLike: Bool { identifierCheck(String(self)) }
}
