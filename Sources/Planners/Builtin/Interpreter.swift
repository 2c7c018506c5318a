/// Reads a ``Reading`` into a ``Frame``: each slot filled from the phrases that mean it, and every other word kept as not understood.
struct Interpreter {
    let reading: Reading
    let calendar: WorkspaceCalendar
    /// Which parameters take which enum value, for telling a conjunction of filters from a list of alternatives.
    let enumOwners: [String: [(tool: String, parameter: String)]]
    /// The lexicon's question openers ("what", "apa"), for telling a question from an order.
    let questionWords: Set<String>
    var used: Set<Int> = []

    init(_ reading: Reading, calendar: WorkspaceCalendar, enumOwners: [String: [(tool: String, parameter: String)]] = [:], questionWords: Set<String> = []) {
        self.questionWords = questionWords
        self.reading = reading
        self.calendar = calendar
        self.enumOwners = enumOwners
    }

    var items: [Reading.Item] { reading.items }

    mutating func frame() -> Frame {
        var f = Frame()
        f.indonesian = reading.indonesian
        f.hasForm = reading.original.contains(":") && reading.original.contains("\n")
        let periods = timePeriods()
        f.period = periods.first
        if periods.count > 1 { f.comparedPeriod = periods[1] }
        // Entities.
        for (index, item) in items.enumerated() {
            guard let entity = reading.entity(item) else { continue }
            switch entity {
            case .leadCode(let c): if f.lead == nil { f.lead = .code(c) }; used.insert(index)
            case .leadId(let i): if f.lead == nil { f.lead = .id(i) }; used.insert(index)
            case .email(let e): f.email = e; used.insert(index)
            case .phone(let p): f.phone = p; used.insert(index)
            case .amount(let a): f.amounts.append(a); used.insert(index)
            case .uuid(let u): f.uuid = u; used.insert(index)
            case .day: break
            }
        }
        // Numbers by role.
        for (index, item) in items.enumerated() where !used.contains(index) {
            guard let n = item.number else { continue }
            let before = index > 0 ? items[index - 1] : nil, after = index + 1 < items.count ? items[index + 1] : nil
            if before?.has("num.page") ?? false { f.page = n; used.insert(index); used.insert(index - 1); continue }
            let limitContext = (before.map { $0.has("num.top") || $0.has("rank.most") || $0.hasPrefix("sort.") || $0.hasPrefix("act.list") || $0.has("time.last") } ?? false)
                || (after.map { $0.has("obj.lead") || $0.hasPrefix("sort.") || $0.hasPrefix("obj.campaign") || $0.has("rank.most") } ?? false)
            if limitContext, n > 0, n <= 100 { f.limit = n; used.insert(index); continue }
        }
        // Phrases.
        var negate = false
        var joinSinceValue = false
        var afterFrom = false
        var lastValue: String?
        // "gagal" is lost (a lead) or failed (a sync): the rest of the request decides.
        var ambiguousWithFailed: [String] = []
        for (index, item) in items.enumerated() where !used.contains(index) {
            if item.has("neg.not") { negate = true; used.insert(index); continue }
            var consumed = false
            let joins = item.has("fu.and") || item.has("act.compare") || item.words == ["or"] || item.words == ["atau"]
            let itemValues = item.meanings.compactMap(\.value)
            for meaning in item.meanings {
                switch meaning {
                case .value(let v):
                    // "fb": the first reading is the value; the others wait for a tool that cannot take it.
                    if itemValues.count > 1, v != itemValues[0] {
                        if !f.alternatives[itemValues[0], default: []].contains(v) { f.alternatives[itemValues[0], default: []].append(v) }
                        consumed = true
                        continue
                    }
                    // "new phone number": an adjective before a field word, not a status.
                    if v == "new", index + 1 < items.count, items[index + 1].hasPrefix("field.") && !items[index + 1].has("field.status") { consumed = true; continue }
                    if negate { f.excluded.append(v) } else if !f.values.contains(v) {
                        if joinSinceValue, let last = lastValue {
                            if !f.splits.contains(last) { f.splits.append(last) }
                            f.splits.append(v)
                        }
                        f.values.append(v)
                        if afterFrom { f.fromValues.insert(v) }
                        lastValue = v
                        joinSinceValue = false
                    }
                    consumed = true
                case .concept(let c):
                    // "lapor ke cs", "open a ticket": a report is a ticket to be opened.
                    if c == "act.report" { for act in ["act.ticket", "act.create"] where !f.acts.contains(act) { f.acts.append(act) }; consumed = true }
                    else if c.hasPrefix("act.") { if !f.acts.contains(c) { f.acts.append(c) }; consumed = true }
                    else if c.hasPrefix("obj.") { if !f.objects.contains(c) { f.objects.append(c) }; consumed = true }
                    else if c.hasPrefix("metric.") { if !f.metrics.contains(c) { f.metrics.append(c) }; consumed = true }
                    else if c.hasPrefix("ask.") { if !f.asks.contains(c) { f.asks.append(c) }; consumed = true }
                    else if c == "sort.asc" { f.sortOrder = "asc"; consumed = true }
                    else if c == "sort.updated" { f.byUpdate = true; consumed = true }
                    else if c == "sort.desc" { f.sortOrder = f.sortOrder ?? "desc"; consumed = true }
                    else if c == "rank.most" { f.rankMost = true; consumed = true }
                    else if c == "rank.least" { f.rankLeast = true; consumed = true }
                    else if c.hasPrefix("field.") { if !f.fields.contains(c) { f.fields.append(c) }; consumed = true }
                    else if c == "fu.and" {
                        // "and last week?" continues the previous request only when it opens the request.
                        if items[..<index].allSatisfy({ $0.filler || $0.has("fu.and") }) { f.followUp = true }
                        consumed = true
                    }
                    else if c == "fu.only" { f.only = true; consumed = true }
                    // "the last period": a time said without which one.
                    else if c == "time.vague" { if !f.asks.contains("ask.period") { f.asks.append("ask.period") }; consumed = true }
                    else if c == "fu.nextPage" { f.nextPage = true; consumed = true }
                    else if c == "fu.those" { f.those = true; consumed = true }
                    else if c.hasPrefix("fu.ordinal.") {
                        let tail = c.dropFirst("fu.ordinal.".count)
                        f.ordinal = tail == "last" ? -1 : Int(tail)
                        consumed = true
                    } else if c.hasPrefix("num.") || c.hasPrefix("time.") || c.hasPrefix("money.") || c.hasPrefix("sort.") || c == "status.still" || c == "ref.named" || c == "ref.code" { consumed = true }
                case .month, .number: consumed = true
                }
            }
            if joins, lastValue != nil { joinSinceValue = true }
            if item.has("obj.failed") { ambiguousWithFailed.append(contentsOf: item.meanings.compactMap(\.value)) }
            if item.has("time.from") { afterFrom = true } else if !item.filler && !item.meanings.contains(where: { $0.value != nil }) && !item.has("obj.lead") { afterFrom = false }
            if item.meanings.contains(where: { $0.value != nil }) { afterFrom = false }
            if consumed { used.insert(index) }
            if !item.has("neg.not"), !item.meanings.isEmpty { negate = false }
        }
        // "with email x@y" / "his number is 0812…": the words name the field, not a source.
        let from = f.fromValues
        if f.email != nil, !from.contains("email") { f.values.removeAll { $0 == "email" }; f.splits.removeAll { $0 == "email" } }
        if f.phone != nil, !from.contains("phone") { f.values.removeAll { $0 == "phone" }; f.splits.removeAll { $0 == "phone" } }
        // "from WhatsApp and won" narrows one query; values of one parameter ("event and phone"), or each said to be
        // where leads came from ("from WhatsApp and from TikTok"), are separate queries.
        if f.splits.count >= 2, !f.splits.allSatisfy(f.fromValues.contains) {
            let parameters = f.splits.map { Set((enumOwners[$0] ?? []).map(\.parameter)) }
            if parameters.dropFirst().reduce(parameters[0], { $0.intersection($1) }).isEmpty { f.splits = [] }
        }
        if f.splits.count < 2 { f.splits = [] }
        if f.objects.contains("obj.sync") || f.objects.contains("obj.pending") {
            f.values.removeAll { ambiguousWithFailed.contains($0) }
        } else if !ambiguousWithFailed.isEmpty {
            f.objects.removeAll { $0 == "obj.failed" }
        }
        // "berapa persen … closing": a share of wins is the conversion rate.
        if f.asks.contains("ask.percent"), f.values.contains("won") || f.metrics.contains("metric.conversions") {
            if !f.metrics.contains("metric.rate") { f.metrics.append("metric.rate") }
            f.asks.removeAll { $0 == "ask.percent" }
        }
        // "iklan meta", "Google ads": the ad platform says it; "ads" is not also a source filter. "performa iklan": the campaigns.
        // Conversions go to an ad platform by definition: "not sent to the ads platform" names no source either.
        if f.values.contains("ads"), f.values.contains(where: { ["meta", "google", "tiktok", "linkedin", "posthog"].contains($0) }) || f.objects.contains("obj.campaign")
            || f.objects.contains("obj.pending") || f.objects.contains("obj.sync") {
            f.values.removeAll { $0 == "ads" }
        }
        // "first 3 leads we ever got": the first ever are the oldest.
        if f.limit != nil, f.sortOrder == nil, f.period?.preset == "all_time", items.contains(where: { $0.has("num.first") }) {
            f.sortOrder = "asc"
        }
        // "how much did we close in September": an amount of closed deals is their value, not how many leads are won.
        if f.metrics.isEmpty, f.values == ["won"], !f.objects.contains("obj.lead"), items.contains(where: { $0.has("money.howMuch") }) {
            f.metrics = ["metric.value"]
        }
        // "what is the workspace's timezone set to?": a question about a setting, not a change.
        if f.acts.contains("act.update"), f.objects.contains("obj.workspace"), f.lead == nil, Self.isQuestion(reading.original, questionWords: questionWords) {
            f.acts.removeAll { $0 == "act.update" }
        }
        // A name after "named"/"atas nama"/"cari", as written.
        f.search = name()
        if f.search == nil { f.search = f.email ?? (f.isWrite ? nil : f.phone) }
        // "which campaign converted best": for campaigns, won deals are the conversions measure, not a status filter
        // (unless the word is part of a campaign's name, "Flash Sale Ramadan").
        if f.objects.contains("obj.campaign"), f.search == nil, f.values.contains("won"), f.metrics.isEmpty, !f.isWrite {
            f.values.removeAll { $0 == "won" }
            f.metrics = ["metric.conversions"]
        }
        for (index, item) in items.enumerated() where !used.contains(index) && item.isUnknown {
            f.unknown.append(item.originals.joined(separator: " "))
        }
        return f
    }

    /// The words after a naming phrase (or after "find"/"cari" and an optional "lead"), as written, until a known phrase.
    mutating func name() -> String? {
        for (index, item) in items.enumerated() where item.has("ref.named") || item.has("act.find") || item.name && (index == 0 || !items[index - 1].name) {
            if item.name {
                var j = index
                var words: [String] = []
                while j < items.count, items[j].name, words.count < 4 { words.append(contentsOf: items[j].originals); used.insert(j); j += 1 }
                return words.joined(separator: " ")
            }
            var j = index + 1
            if j < items.count, items[j].has("obj.lead") { j += 1 }
            if j < items.count, items[j].has("ref.named") { j += 1 }
            var words: [String] = []
            var taken: [Int] = []
            while j < items.count, items[j].isUnknown || items[j].name, words.count < 4 {
                words.append(contentsOf: items[j].originals)
                taken.append(j)
                j += 1
            }
            if !words.isEmpty {
                used.formUnion(taken)
                return words.joined(separator: " ")
            }
        }
        return nil
    }

    /// Every period the request names, in order; their words are marked used.
    mutating func timePeriods() -> [Period] {
        var periods: [Period] = []
        var i = 0
        let presets: [(String, (WorkspaceCalendar) -> Period)] = [
            ("time.today", { $0.todayPeriod }), ("time.yesterday", { $0.yesterday }), ("time.thisWeek", { $0.thisWeek }),
            ("time.lastWeek", { $0.lastWeek }), ("time.thisMonth", { $0.thisMonth }), ("time.lastMonth", { $0.lastMonth }),
            ("time.allTime", { $0.allTime }), ("time.untilNow", { $0.allTime }), ("time.thisYear", { $0.year($0.today.year!) }), ("time.lastYear", { $0.year($0.today.year! - 1) }),
        ]
        func dayEntity(_ k: Int) -> String? {
            guard k >= 0, k < items.count, let e = reading.entity(items[k]), case .day(let d) = e else { return nil }
            // A day written without its year is this year's, or last year's when this year's is still to come.
            guard d.hasPrefix("0000-") else { return d }
            let today = calendar.day(calendar.todayDate)
            let thisYear = Padded.number(calendar.today.year!, width: 4) + d.dropFirst(4)
            return thisYear <= today ? thisYear : Padded.number(calendar.today.year! - 1, width: 4) + d.dropFirst(4)
        }
        while i < items.count {
            let item = items[i]
            if let preset = presets.first(where: { item.has($0.0) }) {
                var p = preset.1(calendar)
                var end = i
                // "dari awal bulan sampai sekarang", "last week until now": the period runs on to today.
                if p.preset != "all_time", i + 1 < items.count, items[i + 1].has("time.untilNow") || (i + 2 < items.count && items[i + 1].has("time.until") && items[i + 2].has("time.now")) {
                    let today = calendar.day(calendar.todayDate)
                    if p.to != today { p = calendar.custom(from: p.from, to: today) }
                    end = items[i + 1].has("time.untilNow") ? i + 1 : i + 2
                }
                for k in i...end { used.insert(k) }
                periods.append(p)
                i = end + 1
                continue
            }
            // "sejak senin", "on friday", "senin kemarin": a day of the week, the latest one (before today after "last").
            if let weekday = Self.weekday(item) {
                let today = calendar.day(calendar.todayDate)
                let isoToday = (calendar.calendar.component(.weekday, from: calendar.todayDate) + 5) % 7 + 1
                let before = i > 0 && items[i - 1].has("time.last")
                let after = i + 1 < items.count && (items[i + 1].has("time.last") || items[i + 1].has("time.yesterday"))
                var back = (isoToday - weekday + 7) % 7
                if back == 0, before || after { back = 7 }
                let day = calendar.day(calendar.adding(-back, to: calendar.todayDate))
                var first = before ? i - 1 : i, last = after ? i + 1 : i
                var to = day
                if let k = previousMeaningful(first), items[k].has("time.since") || items[k].has("time.from") { to = today; first = k }
                if last + 1 < items.count, items[last + 1].has("time.untilNow") { to = today; last += 1 }
                for k in first...last { used.insert(k) }
                periods.append(calendar.custom(from: day, to: to))
                i = last + 1
                continue
            }
            // last N days / N hari terakhir / past N weeks.
            if item.has("time.last"), i + 2 < items.count, let n = items[i + 1].number, let unit = unitDays(items[i + 2]) {
                periods.append(calendar.lastDays(n * unit)); used.formUnion([i, i + 1, i + 2]); i += 3; continue
            }
            if let n = item.number, i + 1 < items.count, let unit = unitDays(items[i + 1]), i + 2 < items.count, items[i + 2].has("time.last") {
                periods.append(calendar.lastDays(n * unit)); used.formUnion([i, i + 1, i + 2]); i += 3; continue
            }
            if item.has("time.last"), i + 1 < items.count, let unit = unitDays(items[i + 1]), unit > 1 {
                // "past week" / "last month" written loosely: seven or thirty days.
                periods.append(calendar.lastDays(unit)); used.formUnion([i, i + 1]); i += 2; continue
            }
            // Dates: "between A and B", "from A to B", "since A", "A – B", "A".
            if let a = dayEntity(i) {
                var from: String? = a, to: String? = a
                var end = i
                if i + 2 < items.count, items[i + 1].has("time.until"), let b = dayEntity(i + 2) { to = b; end = i + 2 }
                // "dari 1/11 sampai sekarang" / "since 1 Nov to date": after a date, "until now" ends the range today.
                else if i + 1 < items.count, items[i + 1].has("time.allTime") || items[i + 1].has("time.now") || items[i + 1].has("time.untilNow") {
                    to = calendar.day(calendar.todayDate); end = i + 1
                }
                // "dari 1/11 sampai sekarang": up to today; "… sampe kemarin", "… to last week": up to that period's end.
                else if i + 2 < items.count, items[i + 1].has("time.until"), items[i + 2].has("time.now") || items[i + 2].has("time.today") {
                    to = calendar.day(calendar.todayDate); end = i + 2
                }
                else if i + 2 < items.count, items[i + 1].has("time.until"), let preset = presets.first(where: { items[i + 2].has($0.0) }) {
                    to = preset.1(calendar).to ?? calendar.day(calendar.todayDate); end = i + 2
                }
                else if let b = dayEntity(i + 1) { to = b; end = i + 1 }
                else if i > 0, items[i - 1].has("time.since"), !items[i - 1].has("time.from") { to = calendar.day(calendar.todayDate) }
                else if i > 0, items[i - 1].has("time.until") { from = nil }
                for k in i...end { used.insert(k) }
                if i > 0, items[i - 1].hasPrefix("time.") { used.insert(i - 1) }
                periods.append(from == to ? calendar.custom(from: from, to: to) : calendar.custom(from: from, to: to))
                i = end + 1
                continue
            }
            // "sejak tgl 5", "since the 5th", "tanggal 9": a day with no month is this month's (last month's when still to come).
            if let n = item.number, (1...31).contains(n), let k = previousMeaningful(i), items[k].has("time.date") || items[k].has("time.since"),
               !(i + 1 < items.count && (items[i + 1].number != nil || items[i + 1].has("time.until")
                   || items[i + 1].meanings.contains(where: { if case .month = $0 { true } else { false } }))) {
                var year = calendar.today.year!, month = calendar.today.month!
                if n > calendar.today.day! { month -= 1; if month == 0 { month = 12; year -= 1 } }
                let day = Padded.day(year, month, n)
                var since = items[k].has("time.since")
                used.formUnion([k, i])
                if !since, let j = previousMeaningful(k), items[j].has("time.since") { since = true; used.insert(j) }
                periods.append(calendar.custom(from: day, to: since ? calendar.day(calendar.todayDate) : day))
                i += 1
                continue
            }
            // "Q4", "kuartal 3", "quarter 2 2025": a calendar quarter (up to today when it is this one).
            if let q = Self.quarter(item, next: i + 1 < items.count ? items[i + 1] : nil) {
                var year = calendar.today.year!
                var last = q.next ? i + 1 : i
                if last + 1 < items.count, let y = items[last + 1].number, y >= 2000, y <= 2100 { year = y; last += 1 }
                else if (q.quarter - 1) * 3 + 1 > calendar.today.month! { year -= 1 }
                let from = Padded.day(year, (q.quarter - 1) * 3 + 1, 1)
                // Quarters end on 31 Mar, 30 Jun, 30 Sep and 31 Dec.
                var to = Padded.day(year, q.quarter * 3, [31, 30, 30, 31][q.quarter - 1])
                let today = calendar.day(calendar.todayDate)
                if to > today { to = today }
                for k in i...last { used.insert(k) }
                periods.append(calendar.custom(from: from, to: to))
                i = last + 1
                continue
            }
            // Month names, with days before and a year after: "1-15 November", "November 2025", "sejak Oktober".
            if case .month(let m)? = item.meanings.first {
                var year = calendar.today.year!
                var last = i
                if i + 1 < items.count, let y = items[i + 1].number, y >= 2000, y <= 2100 { year = y; last = i + 1 }
                else if m > calendar.today.month! { year -= 1 }
                var p = calendar.month(m, year: year)
                var first = i
                // Day numbers before the month.
                if i >= 1, let d2 = items[i - 1].number, (1...31).contains(d2) {
                    first = i - 1
                    var d1 = d2
                    if i >= 3, items[i - 2].has("time.until"), let d = items[i - 3].number, (1...31).contains(d) { d1 = d; first = i - 3 }
                    else if i >= 2, let d = items[i - 2].number, (1...31).contains(d) { d1 = d; first = i - 2 }
                    let from = Padded.day(year, m, d1), to = Padded.day(year, m, d2)
                    p = calendar.custom(from: from, to: to)
                } else if i + 1 < items.count, last == i, let d = items[i + 1].number, (1...31).contains(d) {
                    let day = Padded.day(year, m, d)
                    p = calendar.custom(from: day, to: day)
                    last = i + 1
                }
                // "sejak (tgl) 16 November": "since", with an optional "date" word between, runs to today.
                var sinceAt = first - 1
                if sinceAt > 0, items[sinceAt].has("time.date") { sinceAt -= 1 }
                if sinceAt >= 0, items[sinceAt].has("time.since") {
                    p = calendar.custom(from: p.from, to: calendar.day(calendar.todayDate)); used.insert(sinceAt)
                    if sinceAt < first - 1 { used.insert(first - 1) }
                }
                // "Agustus kemarin" / "oktober lalu": the month that has passed.
                if last + 1 < items.count, items[last + 1].has("time.last") || items[last + 1].has("time.yesterday") { last += 1 }
                // "dari oktober sampai sekarang": from the month's first day to today.
                if last + 1 < items.count, items[last + 1].has("time.untilNow") { p = calendar.custom(from: p.from, to: calendar.day(calendar.todayDate)); last += 1 }
                for k in first...last { used.insert(k) }
                if periods.last.map({ $0.to != nil }) ?? false, first > 0, items[first - 1].has("time.until"), let previous = periods.popLast() {
                    p = calendar.custom(from: previous.from, to: p.to); used.insert(first - 1)
                }
                periods.append(p)
                i = last + 1
                continue
            }
            i += 1
        }
        return periods
    }

    /// Whether a request is worded as a question: a question mark, or an opening question word.
    static func isQuestion(_ text: String, questionWords: Set<String>) -> Bool {
        let lower = text.lowercased().trimmingCharacters(in: .whitespaces)
        if lower.hasSuffix("?") { return true }
        return questionWords.contains(lower.split(separator: " ").first.map(String.init) ?? "")
    }

    /// The index of the nearest item before `i` that is not a filler word.
    func previousMeaningful(_ i: Int) -> Int? {
        var k = i - 1
        while k >= 0, items[k].filler { k -= 1 }
        return k >= 0 ? k : nil
    }

    /// "q4" (one word), or "quarter"/"kuartal" and a number 1–4; `next` says whether the number was the next item.
    static func quarter(_ item: Reading.Item, next: Reading.Item?) -> (quarter: Int, next: Bool)? {
        if item.words.count == 1, let w = item.words.first, w.count == 2, w.first == "q", let n = Int(w.dropFirst()), (1...4).contains(n) { return (n, false) }
        if item.has("time.quarter"), let n = next?.number, (1...4).contains(n) { return (n, true) }
        return nil
    }

    /// The ISO day of the week (Monday 1 … Sunday 7) an item names, from its `time.weekday.N` concept.
    static func weekday(_ item: Reading.Item) -> Int? {
        for meaning in item.meanings {
            if let c = meaning.concept, c.hasPrefix("time.weekday."), let n = Int(c.dropFirst("time.weekday.".count)), (1...7).contains(n) { return n }
        }
        return nil
    }

    /// Days in one unit word: day 1, week 7, month 30.
    func unitDays(_ item: Reading.Item) -> Int? {
        if item.has("time.days") { return 1 }
        if item.has("time.weeks") { return 7 }
        if item.has("time.months") { return 30 }
        if item.has("time.fortnights") { return 14 }
        return nil
    }
}
