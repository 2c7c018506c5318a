import AgentCore
import Foundation
import SkillCatalog

/// Turns "this week", "bulan ini", "last week" or "between 2026-11-01 and 2026-11-15" into analytics arguments.
struct Timeframes {
    let presets: [String]
    let zone: TimeZone
    let now: Date
    /// Whether the workspace writes the month first (`MM/DD/YYYY`).
    let monthFirst: Bool

    init(catalog: Catalog, workspace: WorkspaceFacts) {
        presets = catalog.tool(named: "getAnalyticsSummary")?.parameter(named: "timeframe")?.enumValues ?? []
        zone = TimeZone(identifier: workspace.timezone) ?? TimeZone(secondsFromGMT: 7 * 3600)!
        now = workspace.nowDate ?? Date()
        monthFirst = workspace.dateFormat.uppercased().hasPrefix("M")
    }

    struct Choice {
        var arguments: JSONObject
        /// `nil` preset means a custom range.
        var preset: String?
        var from: String?
        var to: String?

        func description(indonesian: Bool, dates: WorkspaceDates) -> String {
            let from = from.map(dates.day), to = to.map(dates.day)
            return switch preset {
            case "today": indonesian ? "hari ini" : "today"
            case "current_week": indonesian ? "minggu ini (sejak Senin)" : "this week (since Monday)"
            case "current_month": indonesian ? "bulan ini" : "this month"
            case "last_7_days": indonesian ? "7 hari terakhir" : "in the last 7 days"
            case "last_30_days": indonesian ? "30 hari terakhir" : "in the last 30 days"
            case "all_time": indonesian ? "sepanjang waktu" : "of all time"
            default: indonesian ? "dari \(from ?? "awal") sampai \(to ?? "sekarang")" : "from \(from ?? "the start") to \(to ?? "now")"
            }
        }
    }

    func extract(_ r: RequestText) -> Choice {
        let dates = r.original.split(whereSeparator: { $0.isWhitespace || $0 == "," }).map(String.init).compactMap(isoDay)
        if dates.count >= 2 { return Choice(arguments: ["from": .string(dates[0]), "to": .string(dates[1])], preset: nil, from: dates[0], to: dates[1]) }
        if r.has("last week", "minggu lalu", "pekan lalu") { return lastWeek() }
        let phrases: [(String, [String])] = [
            ("today", ["today", "hari ini"]),
            ("current_week", ["this week", "minggu ini", "pekan ini"]),
            ("current_month", ["this month", "bulan ini"]),
            ("last_7_days", ["last 7 days", "past 7 days", "7 hari"]),
            ("last_30_days", ["last 30 days", "past 30 days", "30 hari", "last month", "bulan lalu"]),
            ("all_time", ["all time", "ever", "semua", "sepanjang"]),
        ]
        for (preset, words) in phrases where presets.contains(preset) && words.contains(where: { r.lower.contains($0) }) {
            return Choice(arguments: ["timeframe": .string(preset)], preset: preset)
        }
        let fallback = presets.contains("last_30_days") ? "last_30_days" : presets.first ?? "last_30_days"
        return Choice(arguments: ["timeframe": .string(fallback)], preset: fallback)
    }

    /// A date as the API takes it, from `2026-11-01` or the workspace's own `01/11/2026` (or `11/01/2026` where months come first).
    func isoDay(_ token: String) -> String? {
        let token = token.trimmingCharacters(in: CharacterSet(charactersIn: ".;:!?()"))
        if Formats.isISO8601(token) { return token }
        let parts = token.split(separator: "/", omittingEmptySubsequences: false).map { Int($0) }
        guard parts.count == 3, let a = parts[0], let b = parts[1], let year = parts[2], year >= 1900, year <= 9999 else { return nil }
        let (day, month) = monthFirst ? (b, a) : (a, b)
        guard (1...12).contains(month), (1...31).contains(day) else { return nil }
        return "\(year)-\(month < 10 ? "0" : "")\(month)-\(day < 10 ? "0" : "")\(day)"
    }

    /// Monday to Sunday of the week before this one, in the workspace's time zone.
    func lastWeek() -> Choice {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        calendar.firstWeekday = 2
        let thisWeek = calendar.dateInterval(of: .weekOfYear, for: now)!.start
        let start = calendar.date(byAdding: .day, value: -7, to: thisWeek)!
        let end = calendar.date(byAdding: .day, value: -1, to: thisWeek)!
        let f = DateFormatter()
        f.calendar = calendar
        f.timeZone = zone
        f.locale = Locale(identifier: "en_US_POSIX")
        f.dateFormat = "yyyy-MM-dd"
        let from = f.string(from: start), to = f.string(from: end)
        return Choice(arguments: ["from": .string(from), "to": .string(to)], preset: nil, from: from, to: to)
    }
}
