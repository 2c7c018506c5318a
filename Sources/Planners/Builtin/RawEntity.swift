import Foundation

/// A value found in the raw request text before it is split into words: codes, ids, emails, phones, dates, amounts.
enum RawEntity: Sendable, Hashable {
    case leadCode(String)
    case leadId(String)
    case email(String)
    case phone(String)
    /// A calendar day, `yyyy-MM-dd`.
    case day(String)
    /// Money, in the workspace's currency.
    case amount(Double)
    /// A UUID, such as a team member's id.
    case uuid(String)

    /// Pulls every entity out of `text`, replacing each with a placeholder word `§N` so word order survives.
    static func extract(from text: String, monthFirst: Bool) -> (text: String, entities: [RawEntity]) {
        var entities: [RawEntity] = []
        var working = text
        let hasDigit = text.contains(where: \.isNumber)
        for rule in rules {
            if let needed = rule.needs, !working.contains(needed) { continue }
            if !hasDigit, rule.needs == nil || rule.needs == "-" || rule.needs == "/" { continue }
            let ns = working as NSString
            var pieces: [(NSRange, String)] = []
            for match in rule.regex.matches(in: working, range: NSRange(location: 0, length: ns.length)) {
                let matched = ns.substring(with: match.range)
                guard let entity = rule.make(matched, monthFirst) else { continue }
                pieces.append((match.range, " §\(entities.count) "))
                entities.append(entity)
            }
            guard !pieces.isEmpty else { continue }
            let mutable = NSMutableString(string: working)
            for (range, replacement) in pieces.reversed() { mutable.replaceCharacters(in: range, with: replacement) }
            working = mutable as String
        }
        return (working, entities)
    }

    struct Rule: Sendable {
        let pattern: LazyPattern
        /// A character the text must contain for the rule to be worth running (a cheap test before the regex).
        let needs: Character?
        let make: @Sendable (String, Bool) -> RawEntity?

        var regex: NSRegularExpression { pattern.regex }
    }

    /// A regular expression compiled when a text first needs it: most requests have no digit, `@` or `_`, and compiling
    /// all nine up front cost a one-shot `ask` about 2 ms (ICU builds a character set per class).
    final class LazyPattern: @unchecked Sendable {
        let source: String
        private let lock = NSLock()
        private var compiled: NSRegularExpression?

        init(_ source: String) { self.source = source }

        var regex: NSRegularExpression {
            lock.lock()
            defer { lock.unlock() }
            if let compiled { return compiled }
            let regex = try! NSRegularExpression(pattern: source, options: [.caseInsensitive])
            compiled = regex
            return regex
        }
    }

    static func rule(_ pattern: String, needs: Character? = nil, _ make: @escaping @Sendable (String, Bool) -> RawEntity?) -> Rule {
        Rule(pattern: LazyPattern(pattern), needs: needs, make: make)
    }

    static let rules: [Rule] = [
        rule(#"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"#, needs: "@") { m, _ in .email(m.trimmingCharacters(in: CharacterSet(charactersIn: "."))) },
        rule(#"\blead_[A-Za-z0-9]+\b"#, needs: "_") { m, _ in .leadId(m) },
        rule(#"\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b"#, needs: "-") { m, _ in .uuid(m.lowercased()) },
        // "ke-4" is Indonesian for "the 4th", never a lead code.
        rule(#"(?<![\p{L}\p{N}])[A-Za-z]{2,6}-\d{1,6}(?![\p{L}\p{N}-])"#, needs: "-") { m, _ in m.lowercased().hasPrefix("ke-") ? nil : .leadCode(m.uppercased()) },
        rule(#"(?<![\d-])\d{4}-\d{2}-\d{2}(?![\d])"#, needs: "-") { m, _ in isValidDay(m) ? .day(m) : nil },
        rule(#"(?<![\d/])\d{1,2}/\d{1,2}/\d{4}(?![\d/])"#, needs: "/") { m, monthFirst in slashDay(m, monthFirst: monthFirst).map(RawEntity.day) },
        // "dari 1/11": a day and month with no year; the year (`0000` here) is the workspace's latest such day, filled in later.
        rule(#"(?<![\d/.,])\d{1,2}/\d{1,2}(?![\d/.,])"#, needs: "/") { m, monthFirst in slashDay(m + "/0", monthFirst: monthFirst).map(RawEntity.day) },
        rule(#"(?<![\p{L}\p{N}])(?:\+62|62|0)\s?8\d{1,3}(?:[\s-]?\d{3,4}){2,3}(?![\p{N}])"#) { m, _ in .phone(LeadForm.normalisePhone(m)) },
        rule(#"(?<![\p{L}\p{N}\-_§])(?:rp\.?\s*|idr\s*)?\d+(?:[.,]\d+)*(?:\s*(?:billion|million|thousand|miliar|milyar|juta|jt|ribu|rb|m|k)\b)?"#) { m, _ in
            let lower = m.lowercased()
            let hasCurrency = lower.hasPrefix("rp") || lower.hasPrefix("idr")
            let hasUnit = lower.range(of: #"(billion|million|thousand|miliar|milyar|juta|jt|ribu|rb|m|k)$"#, options: .regularExpression) != nil
            let digits = lower.filter(\.isNumber).count
            guard hasCurrency || hasUnit || (digits >= 4 && (lower.contains(".") || lower.contains(",") || digits >= 5)) else { return nil }
            return Rupiah.parse(lower.replacingOccurrences(of: "idr", with: "")).map(RawEntity.amount)
        },
    ]

    static func isValidDay(_ text: String) -> Bool {
        let parts = text.split(separator: "-").compactMap { Int($0) }
        return parts.count == 3 && (1...12).contains(parts[1]) && (1...31).contains(parts[2])
    }

    static func slashDay(_ text: String, monthFirst: Bool) -> String? {
        let parts = text.split(separator: "/").compactMap { Int($0) }
        guard parts.count == 3 else { return nil }
        let (day, month) = monthFirst ? (parts[1], parts[0]) : (parts[0], parts[1])
        guard (1...12).contains(month), (1...31).contains(day) else { return nil }
        return Padded.day(parts[2], month, day)
    }
}
