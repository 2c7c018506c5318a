/// The kinds of value a free-text `search` argument may take under a policy.
///
/// The API's `search` matches names, emails, phones and codes by substring,
/// so a session that may not see emails could still learn one a character at
/// a time (`wulan.santoso45@o` → 1 lead, `…@x` → 0). A policy that redacts a
/// field says which shapes of search it allows; the gate classifies each value.
public enum SearchShape: String, Sendable, Hashable, CaseIterable, Comparable {
    /// A whole lead code (`CRM-1024`, `KNK-002`) or a lead id (`lead_…`).
    case code
    /// Whole words of letters (a person's name): no digits, `@`, dots or other symbols.
    case name
    /// Anything with an email's characters (`@`, dots).
    case email
    /// Anything with digits (a phone number or part of one).
    case phone
    /// Any value at all.
    case any

    public static func < (a: SearchShape, b: SearchShape) -> Bool { a.rawValue < b.rawValue }

    /// The narrowest shape a search value has.
    public static func classify(_ value: String) -> SearchShape {
        let text = value.trimmingCharacters(in: .whitespaces)
        if isCode(text) { return .code }
        if text.contains("@") || text.contains(".") { return .email }
        if text.contains(where: \.isNumber) { return .phone }
        let words = text.split(separator: " ", omittingEmptySubsequences: true)
        if !words.isEmpty, words.count <= 4,
            words.allSatisfy({ word in word.count >= 2 && word.allSatisfy { $0.isLetter || $0 == "'" || $0 == "-" } && word.first!.isLetter })
        {
            return .name
        }
        return .any
    }

    /// `CRM-1024`, `KNK-002` or `lead_abc123`: letters, a dash and digits, or the id prefix and an id.
    static func isCode(_ text: String) -> Bool {
        if text.hasPrefix("lead_") {
            let rest = text.dropFirst(5)
            return !rest.isEmpty && rest.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
        }
        guard let dash = text.firstIndex(of: "-") else { return false }
        let prefix = text[..<dash]
        let digits = text[text.index(after: dash)...]
        return (2...10).contains(prefix.count) && prefix.allSatisfy { $0.isASCII && $0.isLetter }
            && (1...12).contains(digits.count) && digits.allSatisfy { $0.isASCII && $0.isNumber }
    }
}
