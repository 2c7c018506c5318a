import Foundation

/// A span of calendar days in the workspace's zone, and the API preset it equals, if any.
struct Period: Sendable, Hashable {
    /// First day, `yyyy-MM-dd`; nil means from the beginning.
    var from: String?
    /// Last day, inclusive; nil means up to now.
    var to: String?
    /// The timeframe preset this span is (`current_week`), when it is exactly one.
    var preset: String?
    /// How a person would say it, in English and Indonesian.
    var english: String
    var indonesian: String

    func label(_ indonesian: Bool) -> String { indonesian ? self.indonesian : english }
}

/// Calendar arithmetic in the workspace's zone: today, weeks from Monday, calendar months.
struct WorkspaceCalendar: Sendable {
    let calendar: Calendar
    let today: DateComponents
    let now: Date
    let dates: WorkspaceDates

    init(timezone: String, now: Date, dates: WorkspaceDates) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: timezone) ?? TimeZone(secondsFromGMT: 7 * 3600)!
        calendar.firstWeekday = 2
        self.calendar = calendar
        self.now = now
        self.dates = dates
        today = calendar.dateComponents([.year, .month, .day, .weekday], from: now)
    }

    func day(_ date: Date) -> String {
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        return Padded.day(c.year!, c.month!, c.day!)
    }

    func date(_ day: String) -> Date? {
        let p = day.split(separator: "-").compactMap { Int($0) }
        guard p.count == 3 else { return nil }
        return calendar.date(from: DateComponents(year: p[0], month: p[1], day: p[2], hour: 12))
    }

    var todayDate: Date { calendar.date(from: DateComponents(year: today.year, month: today.month, day: today.day, hour: 12))! }
    func adding(_ days: Int, to date: Date) -> Date { calendar.date(byAdding: .day, value: days, to: date)! }

    /// "1–24 Nov" style, both languages.
    func span(_ from: String, _ to: String) -> (String, String) {
        (dates.range(from, to, indonesian: false), dates.range(from, to, indonesian: true))
    }

    var todayPeriod: Period { let d = day(todayDate); return Period(from: d, to: d, preset: "today", english: "today", indonesian: "hari ini") }
    var yesterday: Period {
        let d = day(adding(-1, to: todayDate))
        return Period(from: d, to: d, preset: nil, english: "yesterday (\(dates.day(d)))", indonesian: "kemarin (\(dates.day(d)))")
    }
    var mondayThisWeek: Date { calendar.dateInterval(of: .weekOfYear, for: todayDate)!.start }
    var thisWeek: Period {
        let from = day(mondayThisWeek), to = day(todayDate)
        let (en, id) = span(from, to)
        return Period(from: from, to: to, preset: "current_week", english: "this week (\(en))", indonesian: "minggu ini (\(id))")
    }
    var lastWeek: Period {
        let from = day(adding(-7, to: mondayThisWeek)), to = day(adding(-1, to: mondayThisWeek))
        let (en, id) = span(from, to)
        return Period(from: from, to: to, preset: nil, english: "last week (\(en))", indonesian: "minggu lalu (\(id))")
    }
    var thisMonth: Period {
        let from = Padded.day(today.year!, today.month!, 1), to = day(todayDate)
        let (en, id) = span(from, to)
        return Period(from: from, to: to, preset: "current_month", english: "this month (\(en))", indonesian: "bulan ini (\(id))")
    }
    var lastMonth: Period {
        var p = month(today.month! == 1 ? 12 : today.month! - 1, year: today.month! == 1 ? today.year! - 1 : today.year!)
        p.english = "last month (\(p.english))"
        p.indonesian = "bulan lalu (\(p.indonesian))"
        return p
    }
    func lastDays(_ n: Int) -> Period {
        // The API's last_N_days presets end now and start N days back; as calendar days, today and the N−1 before it.
        let from = day(adding(-(n - 1), to: todayDate)), to = day(todayDate)
        let preset = n == 7 ? "last_7_days" : n == 30 ? "last_30_days" : nil
        let (en, id) = span(from, to)
        return Period(from: from, to: to, preset: preset, english: "the last \(n) days (\(en))", indonesian: "\(n) hari terakhir (\(id))")
    }
    var allTime: Period { Period(from: nil, to: nil, preset: "all_time", english: "of all time", indonesian: "sepanjang waktu") }
    func month(_ m: Int, year: Int) -> Period {
        let from = Padded.day(year, m, 1)
        let start = date(from)!
        let days = calendar.range(of: .day, in: .month, for: start)!.count
        var to = Padded.day(year, m, days)
        if let last = date(to), last > todayDate { to = day(todayDate) }
        let (en, id) = span(from, to)
        return Period(from: from, to: to, preset: nil, english: en, indonesian: id)
    }
    func year(_ y: Int) -> Period {
        let from = Padded.day(y, 1, 1)
        var to = Padded.day(y, 12, 31)
        if let last = date(to), last > todayDate { to = day(todayDate) }
        let (en, id) = span(from, to)
        return Period(from: from, to: to, preset: nil, english: en, indonesian: id)
    }
    func custom(from: String?, to: String?) -> Period {
        let f = from, t = to
        switch (f, t) {
        case let (f?, t?):
            let (en, id) = span(f, t)
            return Period(from: f, to: t, preset: nil, english: en, indonesian: id)
        case let (f?, nil):
            return Period(from: f, to: nil, preset: nil, english: "since \(dates.day(f))", indonesian: "sejak \(dates.day(f))")
        case let (nil, t?):
            return Period(from: nil, to: t, preset: nil, english: "up to \(dates.day(t))", indonesian: "sampai \(dates.day(t))")
        default: return allTime
        }
    }
}
