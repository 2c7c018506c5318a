import AgentCore
import Foundation
import SkillCatalog

/// The offline planner: a deterministic semantic parser over the catalog, in English and Bahasa Indonesia.
///
/// A request is normalised (informal forms, particles, typos) and read into
/// phrases with the words each consumed (``Reading``), then into slots
/// (``Frame``); a tool is chosen by scoring the catalog's words against the
/// request (``ToolIndex``), and the frame's filters, period and numbers are
/// placed on that tool's parameters by name, type and enum (``Planning``).
/// Follow-ups ("and last week?", "yang dari whatsapp saja") are read against
/// the earlier requests of the transcript. A word nobody understood, a missing
/// lead, or what the API cannot do ends the turn with an ``Unresolved`` step,
/// never with an answer to a different question.
public struct BuiltinPlanner: Planner {
    public let catalog: Catalog
    public var name: String { "builtin" }
    public var isLocal: Bool { true }
    let vocabulary: Vocabulary
    let index: ToolIndex

    public init(catalog: Catalog) {
        self.catalog = catalog
        vocabulary = Vocabulary(lexicon: .shipped, catalog: catalog)
        index = ToolIndex(catalog: catalog)
    }

    public func next(_ context: PlanningContext) async throws -> PlannerStep {
        step(context)
    }

    /// Whether a request is (mostly) Bahasa Indonesia, by the lexicon's marker words; for confirmations in the request's language.
    public static func isIndonesian(_ text: String) -> Bool {
        Reading(text, vocabulary: markerVocabulary, monthFirst: false).indonesian
    }

    /// Reads the lexicon, compiles the entity patterns and parses the bundled spec now, off the caller's path.
    ///
    /// A one-shot `ask` spends most of its start-up waiting for the API; a session starts this on another core while it
    /// fetches SKILL.md, so building the planner later costs only what depends on the catalog.
    public static func prewarm() {
        _ = Lexicon.shipped
        _ = RawEntity.rules
        _ = ToolIndex.spec
    }

    static let markerVocabulary = Vocabulary(lexicon: .shipped, catalog: Catalog(title: ""))

    /// The next step, synchronously: what `konektor bench planner` times.
    public func step(_ context: PlanningContext) -> PlannerStep {
        let dates = WorkspaceDates(context.workspace)
        let calendar = WorkspaceCalendar(timezone: context.workspace.timezone, now: Self.now(context.workspace.now) ?? context.workspace.nowDate ?? Date(), dates: dates)
        let monthFirst = context.workspace.dateFormat.uppercased().hasPrefix("M")
        let (requests, lastAnswer) = Self.turns(context.transcript)
        var f = frame(requests, calendar: calendar, monthFirst: monthFirst)
        // "the second one": a row of the previous answer's table.
        // "mark it as won" after a lead was shown: that lead, by the id the answer showed.
        if f.isWrite, f.lead == nil, f.search == nil, !f.has("act.bulk"), let answer = lastAnswer {
            let ids = Set(answer.matches(of: /lead_[A-Za-z0-9]+/).map { String($0.output) })
            let codes = Set(Self.codes(answer))
            if ids.count == 1 { f.lead = .id(ids.first!) } else if ids.isEmpty, codes.count == 1 { f.lead = .code(codes.first!) }
        }
        if let ordinal = f.ordinal, f.lead == nil, f.unknown.isEmpty, requests.count > 1 {
            let codes = lastAnswer.map(Self.codes) ?? []
            let index = ordinal == -1 ? codes.count - 1 : ordinal - 1
            guard codes.indices.contains(index) else {
                return .unresolved(Unresolved(.clarify, f.indonesian ? "Lead yang mana? Sebutkan kodenya, misalnya CRM-1024." : "Which lead do you mean? Give its code, e.g. CRM-1024."))
            }
            // "yg pertama ubah statusnya ke contacted": the change is about that row's lead.
            if f.isWrite {
                f.lead = .code(codes[index])
                f.ordinal = nil
            } else {
                // Only the row counts now: a fresh reading of "that lead".
                var row = Frame()
                row.indonesian = f.indonesian
                row.acts = ["act.get"]
                row.lead = .code(codes[index])
                f = row
            }
        }
        let planning = Planning(catalog: catalog, index: index, vocabulary: vocabulary, offered: context.tools, request: context.request)
        let plan: Plan
        // A read may hold two questions ("brp … trs brp …", "omzet … trus paket kita apa"); a change is read once.
        if f.ordinal == nil, !f.isWrite, !f.hasForm, f.lead == nil, let both = twoQuestions(requests, calendar: calendar, monthFirst: monthFirst, planning: planning) {
            plan = both
        } else {
            switch planning.decide(f) {
            case .unresolved(let u): return .unresolved(u)
            case .plan(let p): plan = p
            }
        }
        let results = context.results
        if let (call, outcome) = results.last {
            switch outcome {
            case .error(let message): return .answer((f.indonesian ? "Tidak bisa menjalankan \(call.name): " : "I could not run \(call.name): ") + message)
            case .notSent(let message): return .answer((f.indonesian ? "Tidak dikirim (\(call.name)): " : "Not sent (\(call.name)): ") + message)
            case .data: break
            }
        }
        if results.isEmpty { return .calls(plan.calls) }
        // A lead found by its code, then read or changed by its id.
        if let follow = plan.followTool, results.count == plan.calls.count, case .data(let body)? = results.last?.outcome {
            let rows = body["data"]?.arrayValue ?? []
            let reference = plan.reference?.text.lowercased() ?? ""
            var found = rows.first(where: { ($0["uniqueCode"]?.stringValue ?? "").lowercased() == reference })
            if case .name? = plan.reference {
                guard rows.count == 1 else {
                    let codes = rows.prefix(5).compactMap { $0["uniqueCode"]?.stringValue }.joined(separator: ", ")
                    return .unresolved(Unresolved(.clarify, rows.isEmpty
                        ? (f.indonesian ? "Tidak ada lead yang cocok dengan \"\(plan.reference?.text ?? "")\"; lead yang mana?" : "No lead matches \"\(plan.reference?.text ?? "")\"; which lead do you mean?")
                        : (f.indonesian ? "Ada \(rows.count) lead yang cocok (\(codes)); yang mana?" : "\(rows.count) leads match (\(codes)); which one?")))
                }
                found = rows.first
            }
            guard let lead = found, let leadId = lead["id"]?.stringValue else {
                // Looking a code up and finding nothing is the answer; only a change needs to know which lead was meant.
                if plan.kind != .update, case .code? = plan.reference {
                    return .answer(f.indonesian ? "Tidak ada lead dengan kode \(plan.reference?.text ?? "") di workspace ini."
                                                : "No lead has the code \(plan.reference?.text ?? "") in this workspace.")
                }
                return .unresolved(Unresolved(.clarify, f.indonesian ? "Tidak ada lead dengan kode \(plan.reference?.text ?? ""); kode yang mana?"
                                                                    : "No lead has the code \(plan.reference?.text ?? ""); which code did you mean?"))
            }
            let idName = catalog.tool(named: follow)?.pathParameterNames.first ?? "id"
            var arguments = plan.kind == .update ? plan.changes : [:]
            arguments[idName] = .string(leadId)
            return .calls([ToolCall(id: "call_\(results.count + 1)", name: follow, arguments: arguments)])
        }
        return .answer(Answers(plan: plan, dates: dates).answer(results))
    }

    /// "brp lead hari ini, trs brp yg dr wa?": two questions in one request, the second read as a follow-up of the first.
    ///
    /// Each is planned on its own (the second inherits the first's period and topic, as "and from whatsapp?" would), and
    /// both calls are answered together. Two reads of one kind are joined into one plan; two topics ("omzet bulan ini trus
    /// paket kita apa", "leads today and the sync status") keep a plan each. Anything else is left to the one-frame reading.
    func twoQuestions(_ requests: [String], calendar: WorkspaceCalendar, monthFirst: Bool, planning: Planning) -> Plan? {
        guard let last = requests.last else { return nil }
        // Most requests hold one question; reading for a second costs a plan, so it is tried only where a join or a comma is.
        guard last.contains(where: { ",;".contains($0) }) || Vocabulary.words(last).contains(where: vocabulary.joinWords.contains) else { return nil }
        for (first, second) in splitQuestions(last, monthFirst: monthFirst) {
            if let plan = twoQuestions(first, second, earlier: Array(requests.dropLast()), calendar: calendar, monthFirst: monthFirst, planning: planning) { return plan }
        }
        return nil
    }

    func twoQuestions(_ first: String, _ second: String, earlier: [String], calendar: WorkspaceCalendar, monthFirst: Bool, planning: Planning) -> Plan? {
        var f1 = frame(earlier + [first], calendar: calendar, monthFirst: monthFirst)
        let f2 = frame(earlier + [first, second], calendar: calendar, monthFirst: monthFirst)
        // "how many won and how many lost this month": a period said once, at the end, is both questions'.
        if f1.period == nil { f1.period = f2.period }
        let reads: [Plan.Kind] = [.countFromList, .figures, .list]
        guard f1.unknown.isEmpty, f2.unknown.isEmpty, !f1.isWrite, !f2.isWrite, f1.splits.isEmpty, f2.splits.isEmpty,
              f1.comparedPeriod == nil, f2.comparedPeriod == nil, !f1.needsContext, f1.lead == nil, f2.lead == nil,
              case .plan(var p1) = planning.decide(f1), case .plan(let p2) = planning.decide(f2),
              p1.calls.count == 1, p2.calls.count == 1, reads.contains(p1.kind), reads.contains(p2.kind)
        else { return nil }
        // "halo min, mau tanya brp lead …": a greeting before a comma is no question.
        guard f1.has("act.count") || f1.has("act.list") || !f1.metrics.isEmpty || !f1.objects.isEmpty || !f1.values.isEmpty else { return nil }
        let alone = frame([second], calendar: calendar, monthFirst: monthFirst)
        let added = f2.values.filter { !f1.values.contains($0) }
        // "funnel minggu ini, brp yg masih new": a report with a row per value already counts the one asked about.
        if Self.continues(alone), f1.period == f2.period, !added.isEmpty, let profile = index.profile(p1.calls[0].name),
           Set(added).isSubset(of: profile.rowValues), p2.kind == .countFromList || p2.kind == .list {
            return p1
        }
        // Two topics, each its own question: two plans, answered in order.
        // Only a second question of its own: "… and what's the sync status"; "… dan performa kampanyenya" shares the first's
        // verb and period, and "… sama pending" names one more thing to list, which the one-frame reading does.
        let asks = alone.has("act.count") || alone.has("act.list") || alone.has("act.get") || second.hasSuffix("?")
            || Reading(second, vocabulary: vocabulary, monthFirst: monthFirst).items.contains { $0.words.contains(where: vocabulary.questionWords.contains) }
        let topic = alone.has("act.count") || !alone.metrics.isEmpty || alone.objects.contains { $0 != "obj.lead" }
        if p1.calls[0].name != p2.calls[0].name, !Self.continues(alone), alone.unknown.isEmpty, asks, topic, !alone.rankMost, !alone.rankLeast {
            var a = p1.calls[0], b = p2.calls[0]
            a.id = "call_1"
            b.id = "call_2"
            p1.calls = [a]
            var q2 = p2
            q2.calls = [b]
            var plan = p1
            plan.calls = [a, b]
            plan.parts = [p1, q2]
            return plan
        }
        guard [.countFromList, .figures].contains(p1.kind), [.countFromList, .figures].contains(p2.kind) else { return nil }
        // "how many today, and how many from whatsapp?": when only the second question's filter needs the lead list, the first
        // is the same count without that filter, so both figures come from one tool and read alike.
        if p1.calls[0].name != p2.calls[0].name || p1.kind != p2.kind {
            guard let tool = catalog.tool(named: p2.calls[0].name) else { return nil }
            let added = Set(f2.values.filter { !f1.values.contains($0) }.compactMap { planning.parameter(for: $0, in: tool, frame: f2)?.name })
            guard !added.isEmpty, f1.period == f2.period else { return nil }
            var call = p2.calls[0]
            for key in added { call.arguments[key] = nil }
            p1.calls = [call]
            p1.kind = p2.kind
            p1.tool = p2.tool
            p1.note = p2.note
        }
        guard p1.calls[0].arguments != p2.calls[0].arguments else { return nil }
        var plan = p1
        var a = p1.calls[0], b = p2.calls[0]
        a.id = "call_1"
        b.id = "call_2"
        plan.calls = [a, b]
        plan.frame.comparedPeriod = f2.period ?? f1.period
        plan.frame.splits = f2.values.filter { !f1.values.contains($0) }
        return plan
    }

    /// Where a request may hold a second question: before its second question word ("berapa", "how many"), at a joining word
    /// ("and", "trus"), or after a comma; each as (first, second), at most three.
    func splitQuestions(_ text: String, monthFirst: Bool) -> [(String, String)] {
        let items = Reading(text, vocabulary: vocabulary, monthFirst: monthFirst).items
        var starts: [Int] = []
        if let firstAsk = items.firstIndex(where: { $0.has("act.count") }),
           let secondAsk = items.indices.first(where: { $0 > firstAsk + 1 && items[$0].has("act.count") }) {
            starts.append(items[secondAsk - 1].has("fu.and") ? secondAsk - 1 : secondAsk)
        }
        for k in items.indices where k >= 2 && k + 1 < items.count && items[k].has("fu.and") && !starts.contains(k) { starts.append(k) }
        var out: [(String, String)] = []
        for start in starts.prefix(3) {
            if let cut = cut(text, items: items, at: start) { out.append(cut) }
        }
        // "funnel minggu ini, brp yg masih new": a comma between two questions.
        if out.isEmpty, let comma = text.firstIndex(where: { ",;".contains($0) }) {
            let first = String(text[..<comma]).trimmingCharacters(in: .whitespacesAndNewlines)
            let second = String(text[text.index(after: comma)...]).trimmingCharacters(in: .whitespacesAndNewlines)
            if first.count >= 3, second.count >= 3 { out.append((first, second)) }
        }
        return out
    }

    /// The request cut before item `start`, where its words are in the text as written (after a separator).
    func cut(_ text: String, items: [Reading.Item], at start: Int) -> (String, String)? {
        let words = Array(items[start...].flatMap(\.originals).prefix(2))
        guard !words.isEmpty, words[0].first != "§",
              let range = text.lowercased().range(of: "[\\s,;]" + words.map { NSRegularExpression.escapedPattern(for: $0.lowercased()) }.joined(separator: "[\\s,;]+"),
                                                  options: [.regularExpression, .backwards]) else { return nil }
        let cut = text.index(after: range.lowerBound)
        let first = String(text[..<cut]).trimmingCharacters(in: .whitespacesAndNewlines.union(CharacterSet(charactersIn: ",;")))
        let second = String(text[cut...]).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !first.isEmpty, !second.isEmpty else { return nil }
        return (first, second)
    }

    /// How the last request was read: its phrases with their meanings, the frame, and the first step. For `bench planner --explain`.
    public func explain(_ context: PlanningContext) -> String {
        let dates = WorkspaceDates(context.workspace)
        let calendar = WorkspaceCalendar(timezone: context.workspace.timezone, now: context.workspace.nowDate ?? Date(), dates: dates)
        let reading = Reading(context.request, vocabulary: vocabulary, monthFirst: false)
        var lines = ["language: \(reading.indonesian ? "id" : "en")"]
        for item in reading.items {
            let meaning = item.meanings.map { "\($0)" }.joined(separator: ",")
            lines.append("  \(item.words.joined(separator: " ")) ← \(item.originals.joined(separator: " "))  \(meaning)\(item.entity.map { " entity \(reading.entities[$0])" } ?? "")\(item.number.map { " number \($0)" } ?? "")\(item.filler ? " filler" : "")\(item.name ? " name" : "")")
        }
        let (requests, _) = Self.turns(context.transcript)
        lines.append("frame: \(frame(requests, calendar: calendar, monthFirst: false))")
        lines.append("step: \(step(context))")
        return lines.joined(separator: "\n")
    }

    /// `2026-11-24T03:00:00.000Z` read by hand (an ISO 8601 formatter costs more to make than a plan); nil for other shapes.
    static func now(_ text: String) -> Date? {
        let u = Array(text.utf8)
        guard u.count >= 20, u[4] == 45, u[7] == 45, u[10] == 84, u.last == 90 else { return nil }
        func n(_ a: Int, _ b: Int) -> Int? { Int(String(decoding: u[a..<b], as: UTF8.self)) }
        guard let y = n(0, 4), let mo = n(5, 7), let d = n(8, 10), let h = n(11, 13), let mi = n(14, 16), let s = n(17, 19) else { return nil }
        var c = DateComponents(year: y, month: mo, day: d, hour: h, minute: mi, second: s)
        c.timeZone = TimeZone(identifier: "UTC")
        return Self.utc.date(from: c)
    }

    static let utc: Calendar = { var c = Calendar(identifier: .gregorian); c.timeZone = TimeZone(identifier: "UTC")!; return c }()

    /// The person's requests so far (this turn's last) and the previous answer.
    static func turns(_ transcript: [TranscriptEntry]) -> (requests: [String], lastAnswer: String?) {
        var requests: [String] = []
        var lastAnswer: String?
        for entry in transcript {
            switch entry {
            case .user(let text): requests.append(text)
            case .answer(let text): lastAnswer = text
            default: break
            }
        }
        return (requests, lastAnswer)
    }

    /// Lead codes in the order a previous answer's table lists them.
    static func codes(_ answer: String) -> [String] {
        answer.split(separator: "\n").dropFirst().compactMap { line in
            let first = line.split(separator: " ").first.map(String.init) ?? ""
            return Self.isLeadCode(first) ? first : nil
        }
    }

    /// `CRM-1024`: two to six capital letters, a hyphen, digits.
    static func isLeadCode(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, (2...6).contains(parts[0].count), !parts[1].isEmpty else { return false }
        return parts[0].allSatisfy { $0.isASCII && $0.isUppercase } && parts[1].allSatisfy { $0.isASCII && $0.isNumber }
    }

    /// The frame of the last request, continued from the earlier ones when it is a follow-up.
    func frame(_ requests: [String], calendar: WorkspaceCalendar, monthFirst: Bool) -> Frame {
        guard let last = requests.last else { return Frame() }
        // A note's text is free: it is kept as written and not read for filters.
        let (text, note) = Self.splitNote(last)
        var interpreter = Interpreter(Reading(text, vocabulary: vocabulary, monthFirst: monthFirst), calendar: calendar, enumOwners: vocabulary.enumOwners,
                                      questionWords: vocabulary.questionWords)
        var current = interpreter.frame()
        current.note = note
        // "yg udh closing aja": with "only", closed deals are a filter (status won), not the conversions figure.
        if current.only, current.metrics == ["metric.conversions"], current.values.allSatisfy({ $0 == "won" }), current.objects.allSatisfy({ $0 == "obj.lead" }) {
            current.metrics = []
            current.values = ["won"]
        }
        // "new lead pls: nama …": a pasted lead, even without a verb.
        if text.contains(":"), text.range(of: #"(?i)\b(new lead|lead baru)\b[^:\n]{0,40}:"#, options: .regularExpression) != nil, !current.acts.contains("act.create") { current.acts.append("act.create") }
        // A pasted lead form ("Nama lengkap: … No. HP: … Asal: …"), on lines or one line between separators, with a name and no other ask.
        let labels = LeadForm.labelled(text, labels: vocabulary.lexicon.formLabels)
        if labels.count >= 2 {
            current.hasForm = true
            let asks = ["act.count", "act.list", "act.update", "act.ticket", "act.compare"]
            if labels.contains(where: { $0.field == "name" || $0.field == "firstName" }), !current.acts.contains(where: asks.contains), !current.acts.contains("act.create") {
                current.acts.append("act.create")
            }
        }
        if note != nil, !current.fields.contains("field.notes") { current.fields.append("field.notes") }
        let explicit = current.followUp || current.those || current.ordinal != nil || current.nextPage || (current.only && current.period == nil && !current.has("act.count"))
        if requests.count == 1, Self.continues(current), explicit, current.unknown.isEmpty { current.needsContext = true }
        // Three earlier requests are memory enough, and keep planning time flat over a long session.
        let previous = requests.count > 1 ? frame(Array(requests.dropLast().suffix(3)), calendar: calendar, monthFirst: monthFirst) : nil
        // "mark it as won", "ubah statusnya jadi hot": a write about the lead of the previous request.
        if current.isWrite, current.lead == nil, current.search == nil, !current.has("act.bulk"), let lead = previous?.lead { current.lead = lead }
        guard let previous, Self.continues(current) else { return current }
        return Self.merge(current, onto: previous, owners: vocabulary.enumOwners)
    }

    /// The request without its note, and the note: what follows "note"/"catatan" and a colon or a quote.
    static func splitNote(_ text: String) -> (String, String?) {
        // Most requests have no note; the pattern is compiled only for those that might.
        guard text.contains(where: { ":'\"“".contains($0) }), let match = text.range(of: #"(?i)\b(notes?|catatan|catat|catet|keterangan|komentar|comment)\b[^:'"“]{0,40}[:'"“]\s*"#, options: .regularExpression) else { return (text, nil) }
        var note = String(text[match.upperBound...]).trimmingCharacters(in: .whitespacesAndNewlines)
        var rest = String(text[..<match.upperBound])
        // A quoted note ends at its closing quote; what follows is read again ("… to every referral lead").
        if let close = note.firstIndex(where: { "'\"”".contains($0) }) {
            rest += " " + note[note.index(after: close)...]
            note = String(note[..<close])
        }
        note = note.trimmingCharacters(in: CharacterSet(charactersIn: " .\"'”"))
        return note.isEmpty ? (text, nil) : (rest, note)
    }

    /// Whether a frame only makes sense on top of the previous one: no tool words of its own, or "those".
    static func continues(_ f: Frame) -> Bool {
        if f.those || f.ordinal != nil || f.nextPage { return true }
        // "omzetnya brp?" after "lead minggu ini": another figure of the same period.
        // ("deal"/"closing" beside a figure is what is measured, not a filter.)
        if !f.metrics.isEmpty, f.objects.isEmpty, f.period == nil, f.values.allSatisfy({ $0 == "won" }), !f.isWrite, f.lead == nil, f.search == nil, f.asks.isEmpty { return true }
        // "kalau berdasarkan jumlah konversi?" / "what about by revenue?": another measure of the same topic.
        if f.followUp, !f.metrics.isEmpty, f.objects.allSatisfy({ $0 == "obj.lead" }), !f.isWrite, f.lead == nil, f.search == nil, f.asks.isEmpty { return true }
        let ownTopic = !f.objects.filter { $0 != "obj.lead" }.isEmpty || !f.metrics.isEmpty || f.isWrite || f.lead != nil || f.search != nil || !f.asks.isEmpty
        if ownTopic { return false }
        if f.followUp || f.only { return true }
        if f.sortOrder != nil || f.page != nil || f.limit != nil || f.byUpdate, f.values.isEmpty, f.period == nil { return true }
        // "lead whatsapp minggu ini" stands alone; "yg won brp" and "tampilin dong" lean on the last request.
        if f.objects.contains("obj.lead") { return false }
        return f.period != nil || !f.values.isEmpty || f.has("act.count") || f.has("act.list")
    }

    static func merge(_ current: Frame, onto previous: Frame, owners: [String: [(tool: String, parameter: String)]]) -> Frame {
        var f = previous
        f.unknown = current.unknown
        f.indonesian = current.indonesian || (previous.indonesian && !current.indonesian && current.unknown.isEmpty && current.values.isEmpty && current.period == nil ? true : current.indonesian)
        f.ordinal = current.ordinal
        if let period = current.period { f.period = period; f.comparedPeriod = current.comparedPeriod }
        f.alternatives.merge(current.alternatives) { $1 }
        for value in current.values {
            // "kalo fb?" after a sync status for google: its other reading (the Meta platform) replaces the platform too.
            let parameters = Set(([value] + (current.alternatives[value] ?? [])).flatMap { (owners[$0] ?? []).map(\.parameter) })
            f.values.removeAll { old in !Set((owners[old] ?? []).map(\.parameter)).isDisjoint(with: parameters) }
            f.values.append(value)
        }
        if current.those || current.has("act.list") {
            f.acts = current.acts.isEmpty ? ["act.list"] : current.acts
            f.metrics = []
            f.objects = ["obj.lead"]
        }
        if let limit = current.limit { f.limit = limit }
        if let page = current.page { f.page = page }
        if current.nextPage { f.page = (previous.page ?? 1) + 1 }
        // A new measure replaces the old one; the topic (campaigns, the summary) stays.
        if !current.metrics.isEmpty {
            f.metrics = current.metrics
            // Campaigns are measured by the new figure; any other topic (the funnel, a lead list) gives way to it.
            if previous.objects.contains("obj.campaign") { f.rankMost = previous.rankMost || current.rankMost; f.rankLeast = previous.rankLeast || current.rankLeast }
            else { f.objects = []; f.acts = current.acts }
        }
        if current.byUpdate { f.byUpdate = true }
        if let order = current.sortOrder { f.sortOrder = order }
        if current.ordinal != nil { f.acts = current.isWrite ? current.acts : ["act.get"]; f.objects = ["obj.lead"] }
        // A change to a row of the last table changes only what this request says, not the filters that listed it.
        if current.ordinal != nil, current.isWrite { f.values = current.values; f.amounts = current.amounts; f.fields = current.fields }
        // What the API cannot do, said in a follow-up ("hapus aja semuanya"), is the follow-up's own ask.
        for act in current.acts where ["act.delete", "act.email", "act.export", "act.bulk", "act.assign"].contains(act) && !f.acts.contains(act) { f.acts.append(act) }
        return f
    }
}
