import AgentCore
import Foundation

/// A reporting period resolved in the workspace's time zone: `[from, to]` in UTC milliseconds.
struct Period {
    /// The preset's name, or `custom` when `from`/`to` were given.
    var name: String
    /// Nil for an open start (all time, or only `to` given).
    var from: Millis?
    var to: Millis

    static func minute(_ millis: Millis) -> Millis { millis - ((millis % 60_000) + 60_000) % 60_000 }

    /// Presets run to now, and no lead is created after now: their SQL needs no upper bound.
    var isOpenEnded: Bool { name != "custom" }

    /// A key for caching answers over this period.
    var cacheKey: String { "\(name)|\(from.map(String.init) ?? "-")|\(isOpenEnded ? "now" : String(to))" }

    static let presets = ["today", "last_7_days", "last_30_days", "current_week", "current_month", "all_time"]

    /// Resolves `timeframe`, `from` and `to` as the docs page says: `from`/`to` override the preset;
    /// only `from` runs to now; only `to` runs from the earliest data; `from` after `to` is an error.
    static func resolve(timeframe: String?, from: String?, to: String?, now: Date, zone: TimeZone) throws(APIFailure) -> Period {
        let nowMillis = Timestamps.millis(now)
        if from != nil || to != nil {
            var details = JSONObject()
            let start = from.flatMap { Timestamps.parse($0, in: zone) }
            let end = to.flatMap { Timestamps.parse($0, in: zone, endOfDay: true) }
            if from != nil, start == nil { details["from"] = "Invalid datetime; expected ISO 8601" }
            if to != nil, end == nil { details["to"] = "Invalid datetime; expected ISO 8601" }
            if let start, let end, start > end { details["from"] = "Must not be after 'to'" }
            guard details.isEmpty else { throw .validation(details) }
            return Period(name: "custom", from: start, to: end ?? nowMillis)
        }
        let name = timeframe ?? "last_30_days"
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        calendar.firstWeekday = 2
        let day: Millis = 86_400_000
        switch name {
        case "today":
            return Period(name: name, from: Timestamps.millis(calendar.startOfDay(for: now)), to: nowMillis)
        // Rolling windows start on a whole minute, so repeated questions within a minute share one answer.
        case "last_7_days":
            return Period(name: name, from: Self.minute(nowMillis - 7 * day), to: nowMillis)
        case "last_30_days":
            return Period(name: name, from: Self.minute(nowMillis - 30 * day), to: nowMillis)
        case "current_week":
            let start = calendar.dateInterval(of: .weekOfYear, for: now)!.start
            return Period(name: name, from: Timestamps.millis(start), to: nowMillis)
        case "current_month":
            let start = calendar.dateInterval(of: .month, for: now)!.start
            return Period(name: name, from: Timestamps.millis(start), to: nowMillis)
        case "all_time":
            return Period(name: name, from: nil, to: nowMillis)
        default:
            throw .validation(["timeframe": .string("Invalid enum value. Expected \(presets.map { "'\($0)'" }.joined(separator: " | ")), received '\(name)'")])
        }
    }
}
