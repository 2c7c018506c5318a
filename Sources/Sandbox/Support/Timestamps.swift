import Foundation
import SkillCatalog

/// Milliseconds since 1970 in UTC: how the sandbox stores and compares instants.
typealias Millis = Int64

enum Timestamps {
    static func millis(_ date: Date) -> Millis { Millis((date.timeIntervalSince1970 * 1000).rounded(.down)) }

    static func date(_ millis: Millis) -> Date { Date(timeIntervalSince1970: Double(millis) / 1000) }

    /// `2025-01-15T10:30:00.000Z`, the API's format.
    static func iso(_ millis: Millis) -> String {
        var seconds = millis >= 0 ? millis / 1000 : (millis - 999) / 1000
        let ms = Int(millis - seconds * 1000)
        let days = Int(seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400)
        seconds -= Int64(days) * 86400
        let (y, m, d) = civil(fromDays: days)
        let h = Int(seconds / 3600), mi = Int(seconds % 3600 / 60), s = Int(seconds % 60)
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(h, 2)):\(pad(mi, 2)):\(pad(s, 2)).\(pad(ms, 3))Z"
    }

    static func pad(_ value: Int, _ width: Int) -> String {
        let s = String(value)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    /// Howard Hinnant's days-from-civil and its inverse.
    static func days(fromCivil y: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y - 1 : y
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    static func civil(fromDays z: Int) -> (Int, Int, Int) {
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

    /// Reads an ISO 8601 query value; a value without a zone is local time in `zone`.
    /// A date alone means the start of that day, or with `endOfDay` the start of the next.
    static func parse(_ text: String, in zone: TimeZone, endOfDay: Bool = false) -> Millis? {
        guard let f = Formats.parseISO8601(text) else { return nil }
        var local = Int64(days(fromCivil: f.year, f.month, f.day)) * 86_400_000
        local += Int64(f.hour * 3600 + f.minute * 60 + f.second) * 1000 + Int64(f.nanosecond / 1_000_000)
        if !f.hasTime, endOfDay { local += 86_400_000 }
        if let offset = f.utcOffset { return local - Int64(offset) * 1000 }
        // Local wall time: the zone's offset near that instant (Asia/Jakarta has no DST).
        let guess = Date(timeIntervalSince1970: Double(local) / 1000)
        return local - Int64(zone.secondsFromGMT(for: guess)) * 1000
    }
}
