import Foundation

/// Finds money amounts in a request as people write them: "7,5 juta", "Rp 7.500.000", "7.5m", "500 ribu".
enum Amounts {
    /// The first amount in the text, in rupiah.
    ///
    /// A bare number counts only with `Rp` before it, a unit after it, or at
    /// least four digits, so "CRM-1024" or "top 5" are not taken for money.
    static func first(in text: String) -> Double? {
        let pattern = #"(?<![\p{L}\p{N}\-_])(rp\.?\s*)?(\d+(?:[.,]\d+)*)(\s*(miliar|milyar|juta|jt|ribu|rb|m|k)\b)?"#
        guard let regex = try? NSRegularExpression(pattern: pattern, options: [.caseInsensitive]) else { return nil }
        let ns = text as NSString
        for match in regex.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
            let hasCurrency = match.range(at: 1).location != NSNotFound
            let hasUnit = match.range(at: 3).location != NSNotFound
            let digits = ns.substring(with: match.range(at: 2))
            guard hasCurrency || hasUnit || digits.filter(\.isNumber).count >= 4 else { continue }
            // "2026-11-01" is a date, not money.
            let end = match.range.location + match.range.length
            if !hasUnit, end < ns.length, ns.substring(with: NSRange(location: end, length: 1)) == "-" { continue }
            if let value = Rupiah.parse(ns.substring(with: match.range)) { return value }
        }
        return nil
    }
}
