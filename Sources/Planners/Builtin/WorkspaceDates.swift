import AgentCore
import Foundation

/// Shows instants and dates the way the workspace writes them: its date format (`DD/MM/YYYY`) in its time zone.
struct WorkspaceDates {
    let formatter: DateFormatter
    let zone: TimeZone

    init(_ workspace: WorkspaceFacts) {
        zone = TimeZone(identifier: workspace.timezone) ?? TimeZone(secondsFromGMT: 7 * 3600)!
        formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = zone
        formatter.dateFormat = Self.pattern(workspace.dateFormat)
    }

    /// Turns the workspace's tokens (`DD/MM/YYYY`, `MM-DD-YYYY`, `YYYY-MM-DD`) into a formatter pattern.
    static func pattern(_ format: String) -> String {
        let tokens = ["YYYY": "yyyy", "YY": "yy", "DD": "dd", "MM": "MM", "D": "d", "M": "M"]
        var out = ""
        var rest = Substring(format)
        outer: while !rest.isEmpty {
            for token in ["YYYY", "YY", "DD", "MM", "D", "M"] where rest.hasPrefix(token) {
                out += tokens[token]!
                rest = rest.dropFirst(token.count)
                continue outer
            }
            let c = rest.removeFirst()
            out += c.isLetter ? "'\(c)'" : String(c)
        }
        return out.isEmpty ? "dd/MM/yyyy" : out
    }

    /// An API instant (`2026-11-23T03:00:00.000Z`) as a workspace date; the text unchanged when it is not one.
    func instant(_ text: String) -> String {
        WorkspaceFacts.instant(text).map(formatter.string(from:)) ?? text
    }

    /// A calendar date as written in a request (`2026-11-01`) in the workspace's format.
    func day(_ text: String) -> String {
        let parts = text.prefix(10).split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3, text.count == 10 else { return instant(text) }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        guard let date = calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2], hour: 12)) else { return text }
        return formatter.string(from: date)
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
