import Foundation

/// A `--since`/`--until` value: an instant with any offset, a date or a local time in the workspace's zone, or a relative form.
///
/// An instant is one moment; a day (`2026-11-24`, `24/11/2026`, `today`,
/// `yesterday`) is the whole day in the zone, so `--since` takes its start and
/// `--until` its end. Ages (`30m`, `1h`, `2d`, `1w`) count back from now.
public struct AuditTimeBound: Sendable, Equatable {
    /// First millisecond of the span (UTC epoch millis).
    public var start: Int64
    /// First millisecond after the span.
    public var end: Int64

    public init(start: Int64, end: Int64) {
        self.start = start
        self.end = end
    }

    /// Why a value is not a time, with the forms that are.
    public struct ParseError: Error, CustomStringConvertible, Sendable {
        public var option: String
        public var value: String
        public init(option: String, value: String) {
            self.option = option
            self.value = value
        }
        public var description: String {
            "\(option): '\(value)' is not a time; use an instant (2026-11-24T18:18:00+07:00 or …Z), a date in the workspace's zone (2026-11-24 or 24/11/2026), a local time (2026-11-24 18:18), today, yesterday, now, or an age (30m, 1h, 2d, 1w)"
        }
    }

    /// Parses `text` relative to `now` in `zone`.
    public static func parse(_ text: String, now: Date, zone: TimeZone, option: String = "--since") throws -> AuditTimeBound {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        let nowMillis = Int64((now.timeIntervalSince1970 * 1000).rounded(.down))
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        func day(_ date: Date) -> AuditTimeBound {
            let start = calendar.startOfDay(for: date)
            let next = calendar.date(byAdding: .day, value: 1, to: start)!
            return AuditTimeBound(start: millis(start), end: millis(next))
        }
        switch t {
        case "now": return AuditTimeBound(start: nowMillis, end: nowMillis + 1)
        case "today", "hari ini": return day(now)
        case "yesterday", "kemarin": return day(calendar.date(byAdding: .day, value: -1, to: now)!)
        default: break
        }
        if let age = Self.age(t) {
            let at = nowMillis - age
            return AuditTimeBound(start: at, end: at + 1)
        }
        if let (y, m, d) = Self.date(t) {
            var c = DateComponents()
            (c.year, c.month, c.day) = (y, m, d)
            guard let date = calendar.date(from: c), calendar.component(.day, from: date) == d else { throw ParseError(option: option, value: text) }
            return day(date)
        }
        if let instant = Self.dateTime(t, zone: zone) {
            let at = millis(instant)
            return AuditTimeBound(start: at, end: at + 1)
        }
        throw ParseError(option: option, value: text)
    }

    static func millis(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded(.down)) }

    /// `30m`, `1h`, `2d`, `1w`, `90s`, `1h ago` → milliseconds.
    static func age(_ t: String) -> Int64? {
        var s = t
        if s.hasSuffix(" ago") { s.removeLast(4) }
        let digits = s.prefix(while: \.isNumber)
        guard let n = Int64(digits), !digits.isEmpty else { return nil }
        let unit = s.dropFirst(digits.count).trimmingCharacters(in: .whitespaces)
        let seconds: Int64? = switch unit {
        case "s", "sec", "secs", "second", "seconds": 1
        case "m", "min", "mins", "minute", "minutes": 60
        case "h", "hr", "hrs", "hour", "hours": 3600
        case "d", "day", "days": 86_400
        case "w", "week", "weeks": 604_800
        default: nil
        }
        return seconds.map { n * $0 * 1000 }
    }

    /// `2026-11-24` or `24/11/2026`.
    static func date(_ t: String) -> (Int, Int, Int)? {
        let iso = t.split(separator: "-", omittingEmptySubsequences: false)
        if iso.count == 3, iso[0].count == 4, let y = Int(iso[0]), let m = Int(iso[1]), let d = Int(iso[2]), (1...12).contains(m), (1...31).contains(d) { return (y, m, d) }
        let dmy = t.split(separator: "/", omittingEmptySubsequences: false)
        if dmy.count == 3, dmy[2].count == 4, let d = Int(dmy[0]), let m = Int(dmy[1]), let y = Int(dmy[2]), (1...12).contains(m), (1...31).contains(d) { return (y, m, d) }
        return nil
    }

    /// `2026-11-24T18:18[:00[.000]]` with `Z`, `±07:00`, `±0700` or no offset (the zone's local time); a space may stand for `T`.
    static func dateTime(_ t: String, zone: TimeZone) -> Date? {
        let s = t.replacingOccurrences(of: " ", with: "t")
        guard let tIndex = s.firstIndex(of: "t"), let (y, mo, d) = date(String(s[..<tIndex])) else { return nil }
        var rest = String(s[s.index(after: tIndex)...])
        var offset: Int?
        if rest.hasSuffix("z") {
            offset = 0
            rest.removeLast()
        } else if let sign = rest.lastIndex(where: { $0 == "+" || $0 == "-" }) {
            let text = rest[rest.index(after: sign)...].replacingOccurrences(of: ":", with: "")
            guard text.count == 4 || text.count == 2, let value = Int(text) else { return nil }
            let minutes = text.count == 4 ? (value / 100) * 60 + value % 100 : value * 60
            offset = (rest[sign] == "-" ? -1 : 1) * minutes * 60
            rest = String(rest[..<sign])
        }
        let parts = rest.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3, let h = Int(parts[0]), let mi = Int(parts[1]), (0...23).contains(h), (0...59).contains(mi) else { return nil }
        var second = 0.0
        if parts.count == 3 {
            guard let sec = Double(parts[2]), sec >= 0, sec < 61 else { return nil }
            second = sec
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = offset.flatMap { TimeZone(secondsFromGMT: $0) } ?? zone
        var c = DateComponents()
        (c.year, c.month, c.day, c.hour, c.minute, c.second) = (y, mo, d, h, mi, Int(second))
        guard let base = calendar.date(from: c) else { return nil }
        return base.addingTimeInterval(second - Double(Int(second)))
    }

    /// Milliseconds of a record's `time` (`2026-11-24T11:18:00.000Z`).
    public static func recordMillis(_ time: String) -> Int64? {
        let u = Array(time.utf8)
        guard u.count == 24, u[23] == UInt8(ascii: "Z") else {
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            return formatter.date(from: time).map(millis)
        }
        func n(_ from: Int, _ count: Int) -> Int { u[from..<(from + count)].reduce(0) { $0 * 10 + Int($1) - 48 } }
        let days = Int64(civilDays(n(0, 4), n(5, 2), n(8, 2)))
        return ((days * 24 + Int64(n(11, 2))) * 60 + Int64(n(14, 2))) * 60_000 + Int64(n(17, 2)) * 1000 + Int64(n(20, 3))
    }

    /// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
    static func civilDays(_ year: Int, _ month: Int, _ day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}
