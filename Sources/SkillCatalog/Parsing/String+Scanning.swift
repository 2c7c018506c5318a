extension StringProtocol {
    /// The trimmed text after the first occurrence of `marker`, or nil when absent or empty.
    func value(after marker: String) -> String? {
        guard let range = self.range(of: marker) else { return nil }
        let rest = self[range.upperBound...].trimmingWhitespaceString()
        return rest.isEmpty ? nil : rest
    }

    /// The first run of non-space characters.
    var firstWord: String { String(self.prefix { !$0.isWhitespace }) }

    /// The integer at the start of the text ("60 req/min" → 60).
    var leadingInteger: Int? { Int(self.prefix { $0.isASCII && $0.isNumber }) }

    /// Letters, digits and underscores, not starting with a digit.
    var isIdentifierLike: Bool {
        guard let first = self.first, first.isLetter || first == "_" else { return false }
        return self.allSatisfy { ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "_" }
    }

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
    func range(of needle: String) -> Range<Index>? {
        guard let firstNeedle = needle.first else { return nil }
        var index = startIndex
        while index < endIndex {
            if self[index] == firstNeedle, self[index...].hasPrefix(needle) {
                return index..<self.index(index, offsetBy: needle.count)
            }
            index = self.index(after: index)
        }
        return nil
    }

    func contains(_ needle: String) -> Bool { range(of: needle) != nil }
}

extension Substring {
    var string: String { String(self) }
}

extension ParameterType {
    /// Reads `integer`, `string (UUID)`, `string (ISO 8601)` and the like.
    init?(documentSpelling text: String) {
        let t = text.lowercased().filter { !$0.isWhitespace }
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
