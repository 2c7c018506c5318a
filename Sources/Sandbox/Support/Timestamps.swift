import AgentCore
import Foundation
import SkillCatalog

/// Milliseconds since 1970 in UTC: how the sandbox stores and compares instants.
typealias Millis = Int64

enum Timestamps {
    static func millis(_ date: Date) -> Millis { Millis((date.timeIntervalSince1970 * 1000).rounded(.down)) }

    static func date(_ millis: Millis) -> Date { Date(timeIntervalSince1970: Double(millis) / 1000) }

    /// `2025-01-15T10:30:00.000Z`, the API's format.
    static func iso(_ millis: Millis) -> String { UTCTimestamp.format(millis: millis) }

    /// Reads an ISO 8601 query value; a value without a zone is local time in `zone`.
    /// A date alone means the start of that day, or with `endOfDay` the start of the next.
    static func parse(_ text: String, in zone: TimeZone, endOfDay: Bool = false) -> Millis? {
        guard let f = Formats.parseISO8601(text) else { return nil }
        var local = Int64(UTCTimestamp.days(fromCivil: f.year, f.month, f.day)) * 86_400_000
        local += Int64(f.hour * 3600 + f.minute * 60 + f.second) * 1000 + Int64(f.nanosecond / 1_000_000)
        if !f.hasTime, endOfDay { local += 86_400_000 }
        if let offset = f.utcOffset { return local - Int64(offset) * 1000 }
        // Local wall time: the zone's offset near that instant (Asia/Jakarta has no DST).
        let guess = Date(timeIntervalSince1970: Double(local) / 1000)
        return local - Int64(zone.secondsFromGMT(for: guess)) * 1000
    }
}
