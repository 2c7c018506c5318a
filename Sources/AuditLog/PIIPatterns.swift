import Foundation

/// The strict shapes of an email address and a phone number in free text.
///
/// Strict means a false positive is worse than a miss here: a miss of an
/// unknown value is caught by known-value masking when the value was ever a
/// field, while a false positive destroys a request id, an amount or a date
/// that a reviewer needs byte for byte.
enum PIIPatterns {
    static let email = try! NSRegularExpression(
        pattern: #"(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}][\p{L}\p{N}._%+-]*@[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?(?:\.[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?)*\.\p{L}{2,}(?![\p{L}\p{N}])"#)
    static let spelledDot = #"(?:\s*[\[\(\{]\s*dot\s*[\]\)\}]\s*|\s+dot\s+)"#
    static let local = #"(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}][\p{L}\p{N}._%+-]*"#
    /// `budi [at] example.com`, `budi(at)example[dot]com`: a bracketed "at" is never prose.
    static let bracketedEmail = try! NSRegularExpression(
        pattern: "(?i)" + local + #"\s*[\[\(\{]\s*at\s*[\]\)\}]\s*[\p{L}][\p{L}\p{N}-]*(?:(?:"# + spelledDot + #"|\.)[\p{L}][\p{L}\p{N}-]*)*(?:"# + spelledDot + #"|\.)\p{L}{2,}(?![\p{L}\p{N}])"#)
    /// `budi at example dot com`: a plain "at" counts only when every dot is spelled too, so "look at konektor.id" stays prose.
    static let spelledEmail = try! NSRegularExpression(
        pattern: "(?i)" + local + #"\s+at\s+[\p{L}][\p{L}\p{N}-]*(?:"# + spelledDot + #"[\p{L}][\p{L}\p{N}-]*)*"# + spelledDot + #"\p{L}{2,}(?![\p{L}\p{N}])"#)

    /// Replaces email shapes by `[email hmac:…]`, hashing the address in its plain form.
    static func maskEmails(_ text: String, hash: (String) -> String) -> String {
        var result = text
        if result.utf8.contains(UInt8(ascii: "@")) { result = replace(email, in: result) { "[email \(hash($0.lowercased()))]" } }
        // Cheap byte checks first: most text has no bracketed "at" and no spelled "dot".
        if containsFolded(result, "at]") || containsFolded(result, "at)") || containsFolded(result, "at}") {
            result = replace(bracketedEmail, in: result) { "[email \(hash(normalizeSpelled($0)))]" }
        }
        if containsFolded(result, "dot") {
            result = replace(spelledEmail, in: result) { "[email \(hash(normalizeSpelled($0)))]" }
        }
        return result
    }

    /// Whether `text` contains the lowercase ASCII `needle` in any case, without lowercasing the text.
    static func containsFolded(_ text: String, _ needle: StaticString) -> Bool {
        let n = UnsafeBufferPointer(start: needle.utf8Start, count: needle.utf8CodeUnitCount)
        var text = text
        return text.withUTF8 { t in
            guard t.count >= n.count else { return false }
            var i = 0
            while i <= t.count - n.count {
                var j = 0
                while j < n.count, t[i + j] | 0x20 == n[j] | 0x20 { j += 1 }
                if j == n.count { return true }
                i += 1
            }
            return false
        }
    }

    /// Whether the text holds a run that could be a phone number: one starting at a word boundary with at least 9 digits.
    static func mayHoldPhone(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { t in
            var i = 0
            while i < t.count {
                let c = t[i]
                let starts = c == UInt8(ascii: "+") || c == UInt8(ascii: "(") || (c >= 48 && c <= 57)
                if starts, i == 0 || " \t\n\r\"'([{,;=<>".utf8.contains(t[i - 1]) {
                    var digits = 0
                    var j = i
                    while j < t.count, (t[j] >= 48 && t[j] <= 57) || " -.()+".utf8.contains(t[j]) {
                        if t[j] >= 48 && t[j] <= 57 { digits += 1 }
                        j += 1
                    }
                    if digits >= 9 { return true }
                    i = max(j, i + 1)
                    continue
                }
                i += 1
            }
            return false
        }
    }

    /// `budi at example dot com` → `budi@example.com`, so it hashes like the address it spells.
    static func normalizeSpelled(_ text: String) -> String {
        var s = text.lowercased()
        for (pattern, replacement) in [(#"\s*[\[\(\{]\s*at\s*[\]\)\}]\s*|\s+at\s+"#, "@"), (#"\s*[\[\(\{]\s*dot\s*[\]\)\}]\s*|\s+dot\s+"#, ".")] {
            s = s.replacingOccurrences(of: pattern, with: replacement, options: .regularExpression)
        }
        return s
    }

    static func replace(_ regex: NSRegularExpression, in text: String, with make: (String) -> String) -> String {
        let ns = text as NSString
        let matches = regex.matches(in: text, range: NSRange(location: 0, length: ns.length))
        guard !matches.isEmpty else { return text }
        var out = ""
        var last = 0
        for m in matches {
            out += ns.substring(with: NSRange(location: last, length: m.range.location - last))
            out += make(ns.substring(with: m.range))
            last = m.range.location + m.range.length
        }
        out += ns.substring(from: last)
        return out
    }

    static func isDigit(_ c: Unicode.Scalar) -> Bool { c.value >= 48 && c.value <= 57 }

    /// Characters that may stand right before a phone number: a phone is a word of its own.
    static func allowedBefore(_ c: Unicode.Scalar) -> Bool {
        c.properties.isWhitespace || "\"'([{,;=<>".unicodeScalars.contains(c)
    }

    /// Replaces phone shapes by `[phone hmac:…]`, hashing the digits (with `+` when written).
    ///
    /// A phone starts with `+`, `62` or `0` (Indonesian numbers; `+` for any
    /// country), has 9–15 digits in groups joined by one kind of separator
    /// (space, `-` or `.`; `(021)` allowed), and stands alone: not inside a
    /// word, an id, a code or a longer number. Numbers after `Rp`/`IDR`, and
    /// dot-grouped thousands (`0.000.000`), are amounts.
    static func maskPhones(_ text: String, hash: (String) -> String) -> String {
        let s = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        var copied = 0
        var i = 0
        var changed = false
        while i < s.count {
            let c = s[i]
            let opensParen = c == "(" && i + 1 < s.count && s[i + 1] == "0"
            guard c == "+" || isDigit(c) || opensParen else { i += 1; continue }
            guard i == 0 || allowedBefore(s[i - 1]) else {
                // Skip the whole run so a later digit of the same word is not taken for a start.
                i += 1
                while i < s.count, isDigit(s[i]) || s[i].properties.isAlphabetic { i += 1 }
                continue
            }
            if let end = phoneEnd(s, from: i), !precededByCurrency(s, i) {
                let digits = String(String.UnicodeScalarView(s[i..<end].filter { isDigit($0) || $0 == "+" }))
                out.append(contentsOf: s[copied..<i])
                out.append(contentsOf: "[phone \(hash(digits))]".unicodeScalars)
                i = end
                copied = end
                changed = true
                continue
            }
            i += 1
            while i < s.count, isDigit(s[i]) { i += 1 }
        }
        guard changed else { return text }
        out.append(contentsOf: s[copied...])
        return String(out)
    }

    /// Where a phone number starting at `start` ends, or nil when the text there is no phone.
    static func phoneEnd(_ s: [Unicode.Scalar], from start: Int) -> Int? {
        var i = start
        let plus = s[i] == "+"
        if plus { i += 1 }
        var groups: [Int] = []
        var separator: Unicode.Scalar?
        var current = 0
        var paren = false
        if i < s.count, s[i] == "(" { paren = true; i += 1 }
        while i < s.count {
            let c = s[i]
            if isDigit(c) {
                current += 1
                i += 1
                continue
            }
            if paren, c == ")", current > 0 {
                paren = false
                groups.append(current)
                current = 0
                i += 1
                // `(021) 555-1234`: the space after the area code does not fix the separator.
                if i < s.count, s[i] == " ", i + 1 < s.count, isDigit(s[i + 1]) { i += 1 }
                continue
            }
            if current > 0, " -.".unicodeScalars.contains(c), i + 1 < s.count, isDigit(s[i + 1]) {
                if let separator, separator != c { break }
                separator = c
                groups.append(current)
                current = 0
                i += 1
                continue
            }
            break
        }
        if paren { return nil }
        if current > 0 { groups.append(current) }
        // The number must stand alone: no letter, digit, id or path character right after it.
        if i < s.count {
            let next = s[i]
            if next.properties.isAlphabetic || isDigit(next) || "_-/:@+#%".unicodeScalars.contains(next) { return nil }
            if next == ".", i + 1 < s.count, isDigit(s[i + 1]) || s[i + 1].properties.isAlphabetic { return nil }
            if next == ",", i + 1 < s.count, isDigit(s[i + 1]) { return nil }
        }
        let count = groups.reduce(0, +)
        guard count >= 9, count <= 15 else { return nil }
        // Thousands grouped by dots are an amount, whatever digit they start with.
        if separator == ".", groups.count > 1, groups.dropFirst().allSatisfy({ $0 == 3 }) { return nil }
        let digits = s[(plus ? start + 1 : start)..<i].filter(isDigit)
        if plus { return i }
        if digits.starts(with: ["6", "2"]) { return count >= 10 && digits[2] != "0" ? i : nil }
        if digits.first == "0" { return count <= 13 && digits[1] != "0" ? i : nil }
        return nil
    }

    /// `Rp 62000000000`, `IDR 0812…`: a number after a currency is an amount.
    static func precededByCurrency(_ s: [Unicode.Scalar], _ start: Int) -> Bool {
        var j = start
        while j > 0, s[j - 1] == " " || s[j - 1] == "\u{00A0}" { j -= 1 }
        let before = String(String.UnicodeScalarView(s[max(0, j - 3)..<j])).lowercased()
        return before.hasSuffix("rp") || before.hasSuffix("rp.") || before.hasSuffix("idr")
    }
}
