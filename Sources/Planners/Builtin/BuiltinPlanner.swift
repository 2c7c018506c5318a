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
            // Only the row counts now: a fresh reading of "that lead".
            var row = Frame()
            row.indonesian = f.indonesian
            row.acts = ["act.get"]
            row.lead = .code(codes[index])
            f = row
        }
        let planning = Planning(catalog: catalog, index: index, vocabulary: vocabulary, offered: context.tools, request: context.request)
        let plan: Plan
        switch planning.decide(f) {
        case .unresolved(let u): return .unresolved(u)
        case .plan(let p): plan = p
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
            return first.range(of: #"^[A-Z]{2,6}-\d+$"#, options: .regularExpression) != nil ? first : nil
        }
    }

    /// The frame of the last request, continued from the earlier ones when it is a follow-up.
    func frame(_ requests: [String], calendar: WorkspaceCalendar, monthFirst: Bool) -> Frame {
        guard let last = requests.last else { return Frame() }
        // A note's text is free: it is kept as written and not read for filters.
        let (text, note) = Self.splitNote(last)
        var interpreter = Interpreter(Reading(text, vocabulary: vocabulary, monthFirst: monthFirst), calendar: calendar, enumOwners: vocabulary.enumOwners)
        var current = interpreter.frame()
        current.note = note
        // "new lead pls: nama …": a pasted lead, even without a verb.
        if text.range(of: #"(?i)\b(new lead|lead baru)\b[^:\n]{0,12}:"#, options: .regularExpression) != nil, !current.acts.contains("act.create") { current.acts.append("act.create") }
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
        let explicit = current.followUp || current.those || current.ordinal != nil || (current.only && current.period == nil && !current.has("act.count"))
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
        guard let match = text.range(of: #"(?i)\b(notes?|catatan|keterangan|komentar|comment)\b[^:'"“]{0,40}[:'"“]\s*"#, options: .regularExpression) else { return (text, nil) }
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
        if f.those || f.ordinal != nil { return true }
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
        for value in current.values {
            let parameters = Set((owners[value] ?? []).map(\.parameter))
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
        if current.byUpdate { f.byUpdate = true }
        if let order = current.sortOrder { f.sortOrder = order }
        if current.ordinal != nil { f.acts = ["act.get"]; f.objects = ["obj.lead"] }
        return f
    }
}
