import AgentCore
import Foundation

/// Shows instants and dates the way the workspace writes them: its date format (`DD/MM/YYYY`) in its time zone.
///
/// Formatting is done by hand from calendar components: a `DateFormatter` costs more to make than a whole plan.
struct WorkspaceDates {
    let zone: TimeZone
    let calendar: Calendar
    /// The format as tokens: `DD`, `MM`, `YYYY`, `YY`, `D`, `M`, or literal text.
    let tokens: [String]

    init(_ workspace: WorkspaceFacts) {
        zone = TimeZone(identifier: workspace.timezone) ?? TimeZone(secondsFromGMT: 7 * 3600)!
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        self.calendar = calendar
        tokens = Self.tokens(workspace.dateFormat)
    }

    /// `DD/MM/YYYY` → DD, /, MM, /, YYYY; an empty format is `DD/MM/YYYY`.
    static func tokens(_ format: String) -> [String] {
        var out: [String] = []
        var rest = Substring(format.isEmpty ? "DD/MM/YYYY" : format)
        outer: while !rest.isEmpty {
            for token in ["YYYY", "YY", "DD", "MM", "D", "M"] where rest.hasPrefix(token) {
                out.append(token)
                rest = rest.dropFirst(token.count)
                continue outer
            }
            out.append(String(rest.removeFirst()))
        }
        return out
    }

    func format(year: Int, month: Int, day: Int) -> String {
        tokens.map { token in
            switch token {
            case "YYYY": Padded.number(year, width: 4)
            case "YY": Padded.number(year % 100, width: 2)
            case "DD": Padded.number(day, width: 2)
            case "MM": Padded.number(month, width: 2)
            case "D": String(day)
            case "M": String(month)
            default: token
            }
        }.joined()
    }

    /// An API instant (`2026-11-23T03:00:00.000Z`) as a workspace date; the text unchanged when it is not one.
    func instant(_ text: String) -> String {
        // Read by hand: an ISO 8601 formatter per row would cost more than the whole plan.
        guard let date = BuiltinPlanner.now(text) ?? WorkspaceFacts.instant(text) else { return text }
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        return format(year: c.year!, month: c.month!, day: c.day!)
    }

    /// A calendar date as written in a request (`2026-11-01`) in the workspace's format.
    func day(_ text: String) -> String {
        let parts = text.prefix(10).split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3, text.count == 10 else { return instant(text) }
        return format(year: parts[0], month: parts[1], day: parts[2])
    }
}

extension WorkspaceDates {
    static let englishMonths = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    static let indonesianMonths = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"]

    /// A span of days as people say it: "1–24 Nov", "27 Okt–2 Nov", "1 Nov 2025–3 Jan 2026".
    func range(_ from: String, _ to: String, indonesian: Bool) -> String {
        let a = from.split(separator: "-").compactMap { Int($0) }, b = to.split(separator: "-").compactMap { Int($0) }
        guard a.count == 3, b.count == 3 else { return "\(day(from))–\(day(to))" }
        let names = indonesian ? Self.indonesianMonths : Self.englishMonths
        if from == to { return "\(a[2]) \(names[a[1] - 1]) \(a[0])" }
        if a[0] != b[0] { return "\(a[2]) \(names[a[1] - 1]) \(a[0])–\(b[2]) \(names[b[1] - 1]) \(b[0])" }
        if a[1] == b[1] { return "\(a[2])–\(b[2]) \(names[a[1] - 1]) \(a[0])" }
        return "\(a[2]) \(names[a[1] - 1])–\(b[2]) \(names[b[1] - 1]) \(a[0])"
    }
}
