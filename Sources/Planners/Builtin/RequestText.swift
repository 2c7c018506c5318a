import Foundation

/// A person's request, normalised for matching: lower-cased, with its original kept for values.
struct RequestText {
    let original: String
    let lower: String
    /// Lower-cased words (letters, digits, `_`, `-`).
    let words: [String]

    init(_ text: String) {
        original = text
        lower = text.lowercased()
        words = lower.split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }).map(String.init)
    }

    func has(_ any: String...) -> Bool { any.contains { lower.contains($0) } }
    func hasWord(_ any: String...) -> Bool { any.contains { words.contains($0) } }

    /// A lead code such as `CRM-1024` or `KNK-002`, or an id such as `lead_abc123`, as written.
    var leadReference: String? {
        for token in original.split(whereSeparator: { $0.isWhitespace || ",.;:!?\"'()".contains($0) }) {
            let t = String(token)
            if t.hasPrefix("lead_"), t.count > 5 { return t }
            let parts = t.split(separator: "-")
            if parts.count == 2, parts[0].count >= 2, parts[0].count <= 6, parts[0].allSatisfy({ $0.isLetter && $0.isUppercase }), !parts[1].isEmpty, parts[1].allSatisfy(\.isNumber) {
                return t
            }
        }
        return nil
    }

    /// The first of `values` that appears as a whole word, for enum arguments read from the catalog.
    func firstValue(of values: [String]) -> String? {
        // Prefer the value that appears last in the text: "from new to qualified" means qualified.
        var best: (String, Int)?
        for value in values {
            if let index = words.lastIndex(of: value.lowercased()), best == nil || index > best!.1 { best = (value, index) }
        }
        return best?.0
    }
}
