/// ISO 8601 timestamps in UTC with milliseconds (`2025-01-15T10:30:00.000Z`), without a formatter object.
///
/// Formatting is pure arithmetic (Howard Hinnant's civil-from-days), so it is
/// cheap enough for every record of a log and every row of an API answer.
public enum UTCTimestamp {
    /// Formats milliseconds since 1970.
    public static func format(millis: Int64) -> String {
        var seconds = millis >= 0 ? millis / 1000 : (millis - 999) / 1000
        let ms = Int(millis - seconds * 1000)
        let days = Int(seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400)
        seconds -= Int64(days) * 86400
        let (y, m, d) = civil(fromDays: days)
        let h = Int(seconds / 3600), mi = Int(seconds % 3600 / 60), s = Int(seconds % 60)
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(h, 2)):\(pad(mi, 2)):\(pad(s, 2)).\(pad(ms, 3))Z"
    }

    /// Reads back what ``format(millis:)`` writes (`2025-01-15T10:30:00.000Z`; the fraction may be left out); nil otherwise.
    public static func parseMillis(_ text: String) -> Int64? {
        let b = Array(text.utf8)
        func number(_ from: Int, _ count: Int) -> Int? {
            guard from + count <= b.count else { return nil }
            var n = 0
            for c in b[from..<from + count] {
                guard c >= 48 && c <= 57 else { return nil }
                n = n * 10 + Int(c - 48)
            }
            return n
        }
        guard b.count == 20 || b.count == 24, b[4] == 45, b[7] == 45, b[10] == 84, b[13] == 58, b[16] == 58, b.last == 90,
            let y = number(0, 4), let m = number(5, 2), let d = number(8, 2), let h = number(11, 2), let mi = number(14, 2), let s = number(17, 2),
            (1...12).contains(m), (1...31).contains(d), h < 24, mi < 60, s < 61
        else { return nil }
        var ms = 0
        if b.count == 24 {
            guard b[19] == 46, let fraction = number(20, 3) else { return nil }
            ms = fraction
        }
        let days = Int64(Self.days(fromCivil: y, m, d))
        return ((days * 86400 + Int64(h * 3600 + mi * 60 + s)) * 1000) + Int64(ms)
    }

    /// `20261123`, the day of an instant in UTC.
    public static func day(millis: Int64) -> String {
        let days = Int(millis >= 0 ? millis / 86_400_000 : (millis - 86_399_999) / 86_400_000)
        let (y, m, d) = civil(fromDays: days)
        return pad(y, 4) + pad(m, 2) + pad(d, 2)
    }

    public static func pad(_ value: Int, _ width: Int) -> String {
        let s = String(value)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    public static func days(fromCivil y: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y - 1 : y
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    public static func civil(fromDays z: Int) -> (Int, Int, Int) {
        let z = z + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp + (mp < 10 ? 3 : -9)
        return (m <= 2 ? y + 1 : y, m, d)
    }
}
