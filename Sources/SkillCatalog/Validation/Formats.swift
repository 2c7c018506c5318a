/// String formats the API checks: UUIDs, ISO 8601 dates and times, email addresses.
public enum Formats {
    /// `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` in hex, any case.
    public static func isUUID(_ s: String) -> Bool {
        let groups = s.split(separator: "-", omittingEmptySubsequences: false)
        guard groups.map(\.count) == [8, 4, 4, 4, 12] else { return false }
        return groups.allSatisfy { $0.allSatisfy(\.isHexDigit) }
    }

    /// `2025-01-15`, `2025-01-15T10:30`, `2025-01-15T10:30:00.000Z`, `…+07:00`.
    public static func isISO8601(_ s: String) -> Bool {
        parseISO8601(s) != nil
    }

    /// The calendar fields of an ISO 8601 date or date-time, checked for range.
    public struct DateTimeFields: Sendable, Hashable {
        public var year, month, day, hour, minute, second: Int
        public var nanosecond: Int
        /// Offset from UTC in seconds; nil when the text names no zone.
        public var utcOffset: Int?
        public var hasTime: Bool
    }

    public static func parseISO8601(_ text: String) -> DateTimeFields? {
        let b = Array(text.utf8)
        var i = 0
        func digits(_ n: Int) -> Int? {
            guard i + n <= b.count else { return nil }
            var v = 0
            for k in 0..<n {
                let c = b[i + k]
                guard c >= 48, c <= 57 else { return nil }
                v = v * 10 + Int(c - 48)
            }
            i += n
            return v
        }
        func expect(_ c: Character) -> Bool {
            guard i < b.count, b[i] == c.asciiValue! else { return false }
            i += 1
            return true
        }
        guard let year = digits(4), expect("-"), let month = digits(2), expect("-"), let day = digits(2) else { return nil }
        guard (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day) else { return nil }
        var fields = DateTimeFields(year: year, month: month, day: day, hour: 0, minute: 0, second: 0, nanosecond: 0, utcOffset: nil, hasTime: false)
        if i == b.count { return fields }
        guard expect("T") || expect("t") || expect(" ") else { return nil }
        guard let hour = digits(2), expect(":"), let minute = digits(2), hour < 24, minute < 60 else { return nil }
        fields.hour = hour
        fields.minute = minute
        fields.hasTime = true
        if expect(":") {
            guard let second = digits(2), second < 60 else { return nil }
            fields.second = second
            if expect(".") {
                var count = 0
                var value = 0
                while i < b.count, b[i] >= 48, b[i] <= 57, count < 9 {
                    value = value * 10 + Int(b[i] - 48)
                    i += 1
                    count += 1
                }
                guard count > 0 else { return nil }
                while i < b.count, b[i] >= 48, b[i] <= 57 { i += 1 }
                for _ in count..<9 { value *= 10 }
                fields.nanosecond = value
            }
        }
        if i == b.count { return fields }
        if expect("Z") || expect("z") {
            fields.utcOffset = 0
        } else if i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") {
            let sign = b[i] == UInt8(ascii: "-") ? -1 : 1
            i += 1
            guard let oh = digits(2), oh <= 23 else { return nil }
            _ = expect(":")
            guard let om = digits(2), om < 60 else { return nil }
            fields.utcOffset = sign * (oh * 3600 + om * 60)
        } else {
            return nil
        }
        return i == b.count ? fields : nil
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// A pragmatic address check: one `@`, a non-empty local part, a dotted domain, no spaces.
    public static func isEmail(_ s: String) -> Bool {
        guard s.count <= 254, !s.contains(where: { $0.isWhitespace || $0 == "<" || $0 == ">" || $0 == "," }) else { return false }
        let parts = s.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[0].count <= 64 else { return false }
        let labels = parts[1].split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, labels.allSatisfy({ !$0.isEmpty && !$0.hasPrefix("-") && !$0.hasSuffix("-") }) else { return false }
        return labels.last!.count >= 2 && labels.last!.allSatisfy(\.isLetter)
    }
}
