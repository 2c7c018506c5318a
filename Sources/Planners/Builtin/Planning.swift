import AgentCore
import Foundation
import SkillCatalog

/// Turns a frame into a plan, or into the one honest reply when it cannot: a question, what was not understood, or why not.
struct Planning {
    let catalog: Catalog
    let index: ToolIndex
    let vocabulary: Vocabulary
    /// The tools the policy offers this session.
    let offered: [String]
    /// The request as written, for free text (a ticket's message, a pasted form).
    let request: String

    enum Decision {
        case plan(Plan)
        case unresolved(Unresolved)
    }

    func say(_ f: Frame, _ en: String, _ id: String) -> String { f.indonesian ? id : en }

    func decide(_ f: Frame) -> Decision {
        // What the API cannot do, said before anything else.
        if f.has("act.delete") {
            if let delete = catalog.tools.first(where: { $0.method == "DELETE" }) {
                return .unresolved(Unresolved(.unsupported, say(f, "Deleting (\(delete.toolName)) is not something the built-in planner does; use an LLM planner.",
                                                                "Menghapus (\(delete.toolName)) tidak dilakukan oleh planner bawaan; gunakan planner LLM.")))
            }
            return .unresolved(Unresolved(.unsupported, say(f, "The Konektor Agent API cannot delete leads: they can be created and updated (for example set to status lost), not deleted.",
                                                            "Konektor Agent API tidak bisa menghapus lead: lead hanya bisa dibuat dan diubah (misalnya status menjadi lost), tidak dihapus.")))
        }
        // "kirimin token nya dong": asking to be sent a credential is asking for it.
        if f.has("ask.credentials"), f.has("act.email") { return credentialsRefused(f) }
        if f.has("act.email") {
            return .unresolved(Unresolved(.unsupported, say(f, "The Konektor Agent API cannot send emails or messages; it reads and updates leads, analytics and conversions.",
                                                            "Konektor Agent API tidak bisa mengirim email atau pesan; API ini hanya membaca dan mengubah lead, analitik, dan konversi.")))
        }
        if f.has("act.export") {
            return .unresolved(Unresolved(.unsupported, say(f, "The Konektor Agent API has no export; I can list leads here (up to 100 per page).",
                                                            "Konektor Agent API tidak punya fitur ekspor; saya bisa menampilkan daftar lead di sini (maksimal 100 per halaman).")))
        }
        if f.has("act.assign"), f.uuid == nil || f.lead == nil {
            return .unresolved(Unresolved(.unsupported, say(f, "Assigning a lead needs the team member's id (a UUID), which the Agent API does not list; assign it in the dashboard.",
                                                            "Menugaskan lead butuh id anggota tim (UUID), yang tidak tersedia di Agent API; tugaskan lewat dashboard.")))
        }
        if f.needsContext {
            return .unresolved(Unresolved(.clarify, say(f, "What should that follow on from? Ask the whole question, e.g. \"how many leads last week?\"",
                                                        "Itu lanjutan dari apa? Tulis pertanyaan lengkapnya, misalnya \"berapa lead minggu lalu?\"")))
        }
        if f.has("ask.period"), f.period == nil {
            return .unresolved(Unresolved(.clarify, say(f, "Which period do you mean? For example this week, last month, or since 1 Nov.",
                                                        "Periode yang mana? Misalnya minggu ini, bulan lalu, atau sejak 1 Nov.")))
        }
        if f.has("ask.credentials"), f.isWrite {
            return .unresolved(Unresolved(.unsupported, say(f, "API keys are created in the Konektor dashboard (Workspace Settings → API Keys), not through the Agent API.",
                                                            "API key dibuat di dashboard Konektor (Workspace Settings → API Keys), tidak lewat Agent API.")))
        }
        if f.has("act.bulk"), f.isWrite || f.note != nil, f.lead == nil {
            return .unresolved(Unresolved(.unsupported, say(f,
                "I change one lead at a time, named by its code (e.g. CRM-1024); bulk changes are not something I will do from one sentence.",
                "Saya hanya mengubah satu lead sekaligus, dengan kodenya (misalnya CRM-1024); perubahan massal tidak saya lakukan dari satu kalimat.")))
        }
        if f.has("obj.campaign"), let name = f.search, f.lead == nil, !f.isWrite {
            if (f.has("act.list") || f.has("act.find")) && !f.has("act.count") && f.metrics.isEmpty {
                return .unresolved(Unresolved(.unsupported, say(f, "The API cannot list the leads of one campaign (\(name)); it reports each campaign's leads, conversions and value.",
                                                                "API tidak bisa menampilkan lead dari satu kampanye (\(name)); API hanya melaporkan jumlah lead, konversi, dan nilai per kampanye.")))
            }
            var g = f
            g.objects = ["obj.campaign"]
            g.acts = g.acts.filter { $0 != "act.find" && $0 != "act.list" }
            g.campaign = name
            g.search = nil
            return readOne(g)
        }
        if f.has("ask.credentials") { return credentialsRefused(f) }
        if f.has("act.ticket") {
            // "show me my open support tickets": a list of tickets asked for, with no problem to report.
            if f.has("act.list") || f.has("act.count"), !f.hasForm, Self.problemWords(request, vocabulary) < 2 {
                return .unresolved(Unresolved(.unsupported, say(f, "The API can open a support ticket, but it cannot list or read tickets.",
                                                                "API bisa membuat tiket support, tetapi tidak bisa menampilkan atau membaca tiket.")))
            }
            if f.has("act.create") || f.hasForm { return ticket(f) }
            return .unresolved(Unresolved(.unsupported, say(f, "The API can open a support ticket, but it cannot list or read tickets.",
                                                            "API bisa membuat tiket support, tetapi tidak bisa menampilkan atau membaca tiket.")))
        }
        if f.has("act.create") && (f.hasForm || f.has("obj.lead") && !f.has("act.count") && !f.has("act.list")) { return create(f) }
        // "add a lead - Maria Ulfa, maria@…": a name and a contact after "lead" and a dash or colon.
        if f.has("act.create"), f.email != nil || f.phone != nil, Self.listedName(request) != nil { return create(f) }
        if f.has("ask.when"), !f.has("obj.workspace") {
            return .unresolved(Unresolved(.unsupported, say(f, "The API keeps no history of a lead's changes (only createdAt and updatedAt), so I cannot say when that happened.",
                                                            "API tidak menyimpan riwayat perubahan lead (hanya createdAt dan updatedAt), jadi saya tidak bisa mengatakan kapan itu terjadi.")))
        }
        // "top 10 lead yg paling gede value nya": the leads ranked by their value, which the API cannot sort by.
        let rankedByValue = (f.rankMost || f.rankLeast) && f.objects == ["obj.lead"] && (f.metrics.contains("metric.value") || f.fields.contains("field.estimated") || f.fields.contains("field.actual"))
        if f.has("field.value") || rankedByValue || (f.has("sort.by") && (f.fields.contains("field.estimated") || f.fields.contains("field.actual") || f.metrics.contains("metric.value"))) {
            return .unresolved(Unresolved(.unsupported, say(f, "The API sorts leads only by createdAt or updatedAt, not by value.",
                                                            "API hanya bisa mengurutkan lead menurut createdAt atau updatedAt, tidak menurut nilai.")))
        }
        if f.isWrite || f.has("act.delete"), f.lead == nil, f.objects.contains(where: { !["obj.lead", "obj.failed"].contains($0) }) {
            return .unresolved(Unresolved(.unsupported, say(f, "The API can create and update leads and open support tickets; it cannot change plans, campaigns, team members or limits.",
                                                            "API hanya bisa membuat dan mengubah lead serta membuat tiket support; paket, kampanye, anggota tim, dan limit tidak bisa diubah lewat API.")))
        }
        let clearWrite = f.lead != nil && (f.has("act.update") || f.note != nil) && (!f.values.isEmpty || !f.amounts.isEmpty || f.note != nil)
        if !f.unknown.isEmpty, !clearWrite {
            let words = f.unknown.map { "\"\($0)\"" }.joined(separator: ", ")
            let topic = f.has("obj.lead") || f.has("act.count") || f.has("act.list") || !f.objects.isEmpty || !f.metrics.isEmpty || f.lead != nil
            if topic, f.period != nil || !f.values.isEmpty || f.has("obj.lead") || f.has("obj.campaign") {
                return .unresolved(Unresolved(.unsupported, say(f, "I understood the rest, but the API has no filter or field for \(words), so I did not run anything rather than answer a different question.",
                                                                "Selain itu saya paham, tetapi API tidak punya filter atau kolom untuk \(words), jadi tidak ada yang dijalankan agar tidak menjawab pertanyaan lain.")))
            }
        }
        if !f.unknown.isEmpty, !clearWrite {
            let words = f.unknown.map { "\"\($0)\"" }.joined(separator: ", ")
            return .unresolved(Unresolved(.notUnderstood, say(f, "I did not understand \(words), so I did not run anything. Try rephrasing, e.g. \"how many leads from whatsapp this month?\"",
                                                              "Saya tidak mengerti \(words), jadi tidak ada yang dijalankan. Coba tulis ulang, misalnya \"berapa lead dari whatsapp bulan ini?\"")))
        }
        // "bisa bantu bikin caption ig?": something made that is not a lead, a ticket or a change; the word after the verb is no name to search.
        if f.has("act.create"), !f.has("obj.lead"), !f.hasForm, f.email == nil, f.phone == nil, f.lead == nil, f.note == nil, f.objects.isEmpty, f.metrics.isEmpty,
           !f.has("act.count"), !f.has("act.list"), !f.has("act.find"), !f.has("act.get"), !f.has("act.update"), let made = f.search {
            return .unresolved(Unresolved(.notUnderstood, say(f, "I did not understand what to make (\"\(made)\"): I can create leads and support tickets, and count and list leads, so I did not run anything.",
                                                              "Saya tidak mengerti apa yang mau dibuat (\"\(made)\"): saya bisa membuat lead dan tiket support, serta menghitung dan menampilkan lead, jadi tidak ada yang dijalankan.")))
        }
        let fieldChange = f.note != nil || f.uuid != nil || (f.phone != nil && f.fields.contains("field.phone")) || (f.email != nil && f.fields.contains("field.email") && f.search != f.email)
        if f.lead != nil, fieldChange { return update(f) }
        if f.has("act.update") || (f.lead != nil && !f.values.isEmpty && !f.has("act.list") && !f.has("act.find") && !f.has("act.count") && !f.has("act.get")) || (f.lead != nil && !f.amounts.isEmpty) {
            return update(f)
        }
        if f.has("act.create") && (f.email != nil || f.phone != nil) { return create(f) }
        if let reference = f.lead { return lookup(f, reference) }
        if f.has("act.get"), let name = f.search, f.values.isEmpty, f.period == nil { return lookup(f, .name(name)) }
        if f.has("act.find") || f.has("act.get"), f.search == nil, f.values.isEmpty, f.period == nil, f.objects.allSatisfy({ $0 == "obj.lead" }), f.metrics.isEmpty {
            return .unresolved(Unresolved(.clarify, say(f, "Which lead? Give a code, an email, a phone number or a name.", "Lead yang mana? Sebutkan kode, email, nomor HP, atau nama.")))
        }
        // "cek yang kemarin dong": a day and nothing to look at on it.
        if f.acts.allSatisfy({ $0 == "act.get" }), f.objects.isEmpty, f.metrics.isEmpty, f.values.isEmpty, f.search == nil, f.period != nil, f.asks.isEmpty {
            return .unresolved(Unresolved(.clarify, say(f, "Which figures do you mean for \(f.period!.english)? For example the leads, the funnel or the conversion value.",
                                                        "Angka apa untuk \(f.period!.indonesian)? Misalnya jumlah lead, funnel, atau nilai konversi.")))
        }
        let topic = !f.objects.filter { $0 != "obj.lead" }.isEmpty || !f.metrics.isEmpty || !f.values.isEmpty || f.period != nil || f.search != nil || f.has("obj.lead") || f.has("act.bulk")
        if !topic {
            if f.has("ask.vague") || f.has("ask.percent") || f.has("act.count") || f.has("act.list") || f.those || f.ordinal != nil || f.followUp || f.only {
                return .unresolved(Unresolved(.clarify, say(f, "Which figures do you mean? For example \"how many leads this week\" or \"the funnel this month\".",
                                                            "Angka yang mana? Misalnya \"berapa lead minggu ini\" atau \"funnel bulan ini\".")))
            }
        }
        if f.excluded.count > 0 {
            return .unresolved(Unresolved(.unsupported, say(f, "The API cannot leave out a value (\(f.excluded.joined(separator: ", "))); it filters only on one value at a time.",
                                                            "API tidak bisa mengecualikan nilai (\(f.excluded.joined(separator: ", "))); filternya hanya untuk satu nilai.")))
        }
        return read(f)
    }

    /// The one answer to a request for a key or token, however it is asked ("show", "send me", "what is").
    func credentialsRefused(_ f: Frame) -> Decision {
        .unresolved(Unresolved(.denied, say(f, "I do not show API keys, tokens or other credentials.", "Saya tidak menampilkan API key, token, atau kredensial lain.")))
    }

    // MARK: Reads

    func read(_ f: Frame) -> Decision {
        // "from whatsapp and from tiktok": one call per value, each with the shared filters.
        var parts: [Frame] = []
        if !f.splits.isEmpty {
            parts = f.splits.map { v in var g = f; g.values = f.values.filter { !f.splits.contains($0) } + [v]; g.splits = []; return g }
        } else {
            let topics = f.objects.filter { $0 != "obj.lead" && $0 != "obj.failed" }
            // "the funnel and the campaign performance": one reading per topic.
            if topics.count >= 2 {
                parts = topics.map { o in var g = f; g.objects = [o] + (f.objects.contains("obj.failed") && o == "obj.sync" ? ["obj.failed"] : []); return g }
            }
        }
        guard parts.count >= 2 else { return readOne(f) }
        var plans: [Plan] = []
        for part in parts {
            switch readOne(part) {
            case .unresolved(let u): return .unresolved(u)
            case .plan(let p): plans.append(p)
            }
        }
        // Two topics that one tool answers ("plan and leads per day") are one call.
        var calls: [ToolCall] = []
        for p in plans { for c in p.calls where !calls.contains(where: { $0.name == c.name && $0.arguments == c.arguments }) { calls.append(c) } }
        for i in calls.indices { calls[i].id = "call_\(i + 1)" }
        let kinds = Set(plans.map { "\($0.kind)" })
        var plan = plans[0]
        plan.calls = calls
        if calls.count > 1 { plan.kind = kinds == ["countFromList"] || kinds == ["list"] || kinds == ["countFromList", "list"] ? .countFromList : .figures }
        if plan.kind == .countFromList { plan.note = plans.compactMap(\.note).first }
        plan.frame = f
        if calls.count > 1 { plan.frame.comparedPeriod = nil; plan.frame.splits = f.splits }
        return .plan(plan)
    }

    func readOne(_ frame: Frame) -> Decision {
        var f = frame
        // "nilai closing", "konversi … won": with a conversion metric, wins are what is measured, not a filter.
        // Conversions waiting for or failing their sync are won deals by definition: "won" says nothing more there either.
        if !f.metrics.isEmpty || f.objects.contains("obj.pending") || f.objects.contains("obj.sync") { f.values.removeAll { $0 == "won" } }
        let leadOnly = f.objects.allSatisfy { $0 == "obj.lead" } && f.metrics.isEmpty
        let wantsList = f.has("act.list") || f.has("act.find") || (f.those && !f.has("act.count")) || f.search != nil || f.byUpdate || (leadOnly && !f.has("act.count"))
        let wantsFigure = f.has("act.count") || !f.metrics.isEmpty
        var scores: [(Double, ToolIndex.Profile)] = []
        // "give me the conversion rate": with a figure or a topic named, "show"/"give me" is only the asking, not a list.
        let topical = !f.metrics.isEmpty || f.objects.contains { $0 != "obj.lead" && $0 != "obj.failed" }
        let acts = f.metrics.allSatisfy({ $0 == "metric.conversions" }) ? f.acts : f.acts.filter { $0 != "act.list" }
        let requestTerms = Set((acts + f.metrics + f.objects.filter { $0 == "obj.failed" }).flatMap { vocabulary.lexicon.catalogTerms[$0] ?? [] })
        // The object nouns ("funnel", "kampanye", "sync") name the topic, so their words count double.
        let objectTerms = Set(f.objects.filter { $0 != "obj.failed" }.flatMap { vocabulary.lexicon.catalogTerms[$0] ?? [] })
        for p in index.profiles where !p.endpoint.isWrite {
            var score = 0.0
            for term in requestTerms.union(objectTerms) where p.terms.contains(term) {
                score += (index.idf[term] ?? 0) * (objectTerms.contains(term) ? 2 : 1) * (p.nameTerms.contains(term) ? 1.5 : 1)
            }
            for value in f.values where (vocabulary.enumOwners[value] ?? []).contains(where: { $0.tool == p.name }) { score += 0.5 }
            if wantsList && p.list { score += wantsFigure ? 0.7 : 1.0 }
            if wantsFigure && p.aggregate && !(f.objects.contains("obj.campaign") || f.objects.contains("obj.funnel")) { score += 0.3 }
            if !p.endpoint.pathParameterNames.isEmpty { score -= 5 }
            scores.append((score, p))
        }
        scores.sort { $0.0 > $1.0 }
        guard let best = scores.first, best.0 > 0.6, !(requestTerms.isEmpty && objectTerms.isEmpty && f.values.isEmpty && f.period == nil) else {
            return .unresolved(Unresolved(.notUnderstood, say(f,
                "I did not understand what to look up. I can count and list leads, show the funnel, campaign performance, conversion sync, pending conversions and the workspace's plan.",
                "Saya tidak mengerti apa yang dicari. Saya bisa menghitung dan menampilkan lead, funnel, performa kampanye, sinkronisasi konversi, konversi tertunda, dan paket workspace.")))
        }
        var tool = best.1
        // "status sync ke fb": a value this tool cannot take, said with words whose other reading it can (the Meta platform).
        for (value, others) in f.alternatives.sorted(by: { $0.key < $1.key }) where f.values.contains(value) && parameter(for: value, in: tool.endpoint, frame: f) == nil {
            if let other = others.first(where: { parameter(for: $0, in: tool.endpoint, frame: f) != nil }), !f.values.contains(other) {
                f.values = f.values.map { $0 == value ? other : $0 }
            }
        }
        var kind: Plan.Kind = tool.pageable ? .list : .figures
        var note: (String, String)?
        // A topic with no dates at all (the workspace's plan and today's usage, the pending list): the period cannot narrow it; say so.
        let hasPeriodParameters = tool.endpoint.parameters.contains { $0.type == .dateTime || ($0.enumValues ?? []).contains("all_time") }
        if let period = f.period, !hasPeriodParameters, topical, f.values.allSatisfy({ parameter(for: $0, in: tool.endpoint, frame: f) != nil }) {
            note = ("\(tool.name) has no date filter, so \(period.english) could not narrow it", "\(tool.name) tidak punya filter tanggal, jadi \(period.indonesian) tidak bisa dipakai")
            f.period = nil
            f.comparedPeriod = nil
        }
        // A filter or a period the chosen tool cannot take: count from a list that can, and say so.
        if !unplaced(f, tool).isEmpty {
            let missing = unplaced(f, tool)
            if let list = index.profiles.first(where: { $0.pageable && !$0.endpoint.isWrite && unplaced(f, $0).isEmpty }) {
                if tool.aggregate, wantsFigure {
                    if !f.metrics.isEmpty && !f.metrics.allSatisfy({ $0 == "metric.conversions" }) {
                        return .unresolved(Unresolved(.unsupported, say(f,
                            "\(tool.name) has no \(missing.joined(separator: "/")) filter, and the list of leads carries no conversion figures to add up, so I cannot answer that as asked.",
                            "\(tool.name) tidak punya filter \(missing.joined(separator: "/")), dan daftar lead tidak memuat angka konversi untuk dijumlahkan, jadi pertanyaan itu tidak bisa dijawab persis.")))
                    }
                    note = ("counted from \(list.name), because \(tool.name) has no \(missing.joined(separator: "/")) filter",
                            "dihitung dari \(list.name), karena \(tool.name) tidak punya filter \(missing.joined(separator: "/"))")
                    kind = .countFromList
                } else {
                    kind = wantsFigure ? .countFromList : .list
                }
                tool = list
            } else {
                return .unresolved(Unresolved(.unsupported, say(f, "\(tool.name) cannot filter by \(missing.joined(separator: ", ")), and no other endpoint can.",
                                                                "\(tool.name) tidak bisa difilter dengan \(missing.joined(separator: ", ")), dan tidak ada endpoint lain yang bisa.")))
            }
        } else if tool.pageable, wantsFigure, !wantsList {
            kind = .countFromList
        }
        // Two periods of a list are compared by their totals.
        if kind == .list, f.comparedPeriod != nil { kind = .countFromList }
        guard offered.contains(tool.name) else { return denied(f, tool.name) }
        // A lead count with no period counts every lead, not the analytics default of 30 days.
        if f.period == nil, leadOnly, tool.aggregate, f.has("act.count") || f.has("act.bulk") {
            f.period = Period(from: nil, to: nil, preset: "all_time", english: "of all time", indonesian: "sepanjang waktu")
        }
        var calls = [call(tool, f, period: f.period, kind: kind)]
        if let second = f.comparedPeriod { calls.append(call(tool, f, period: second, kind: kind)) }
        for (i, _) in calls.enumerated() { calls[i].id = "call_\(i + 1)" }
        return .plan(Plan(kind: kind, tool: tool.name, calls: calls, frame: f, note: note))
    }

    /// The frame's filters (and period) that `tool` has no parameter for.
    func unplaced(_ f: Frame, _ tool: ToolIndex.Profile) -> [String] {
        var missing: [String] = []
        for value in f.values where parameter(for: value, in: tool.endpoint, frame: f) == nil {
            missing.append(vocabulary.enumOwners[value]?.first?.parameter ?? value)
        }
        if let period = f.period, period.preset != "all_time", periodArguments(period, tool.endpoint).isEmpty { missing.append("date") }
        return missing
    }

    /// The parameter of `tool` that takes enum `value`, preferring the one the request names ("source", "priority").
    func parameter(for value: String, in tool: Endpoint, frame f: Frame) -> Parameter? {
        let candidates = tool.parameters.filter { ($0.enumValues ?? []).contains(value) && $0.name != "timeframe" && $0.name != "sortOrder" && $0.name != "sortBy" }
        if candidates.count > 1 {
            for field in f.fields {
                let name = String(field.dropFirst("field.".count)).lowercased()
                if let hit = candidates.first(where: { $0.name.lowercased().contains(name) }) { return hit }
            }
        }
        return candidates.first
    }

    /// The arguments that express a period on `tool`: a preset when it is one, else the date parameters.
    func periodArguments(_ period: Period, _ tool: Endpoint) -> JSONObject {
        if let preset = period.preset, let p = tool.parameters.first(where: { ($0.enumValues ?? []).contains(preset) }) {
            return [p.name: .string(preset)]
        }
        var out: JSONObject = [:]
        let dateParameters = tool.parameters.filter { $0.type == .dateTime }
        if let from = period.from, let p = dateParameters.first(where: { $0.name.lowercased().hasSuffix("from") }) { out[p.name] = .string(from) }
        if let to = period.to, let p = dateParameters.first(where: { $0.name.lowercased().hasSuffix("to") }) { out[p.name] = .string(to) }
        if period.from == nil, period.to == nil, let p = tool.parameters.first(where: { ($0.enumValues ?? []).contains("all_time") }) { out[p.name] = "all_time" }
        return out
    }

    func call(_ tool: ToolIndex.Profile, _ f: Frame, period: Period?, kind: Plan.Kind) -> ToolCall {
        let e = tool.endpoint
        var args: JSONObject = [:]
        for value in f.values { if let p = parameter(for: value, in: e, frame: f) { args[p.name] = .string(value) } }
        if let period { for (k, v) in periodArguments(period, e) { args[k] = v } }
        if let limit = f.limit, kind == .list, e.parameter(named: "limit") != nil { args["limit"] = .int(limit) }
        if let page = f.page, e.parameter(named: "page") != nil { args["page"] = .int(page) }
        if let order = f.sortOrder, let p = e.parameters.first(where: { ($0.enumValues ?? []).contains(order) }) {
            if order != "desc" { args[p.name] = .string(order) }
        }
        if let search = f.search, e.parameter(named: "search") != nil { args["search"] = .string(search) }
        if f.byUpdate, let p = e.parameters.first(where: { ($0.enumValues ?? []).contains("updatedAt") }) { args[p.name] = "updatedAt" }
        return ToolCall(id: "call_1", name: e.toolName, arguments: args)
    }

    func denied(_ f: Frame, _ tool: String) -> Decision {
        .unresolved(Unresolved(.denied, say(f, "This session's policy does not allow \(tool), which that request needs.",
                                            "Kebijakan sesi ini tidak mengizinkan \(tool), yang dibutuhkan permintaan itu.")))
    }

    // MARK: Leads by reference

    /// The tool that reads one lead by id, and the list that searches leads.
    var getTool: Endpoint? { catalog.tools.first { $0.method == "GET" && $0.pathParameterNames.count == 1 && index.profile($0.toolName)?.aggregate == false } }
    var searchTool: Endpoint? { catalog.tools.first { $0.method == "GET" && $0.parameter(named: "search") != nil } }

    func lookup(_ f: Frame, _ reference: LeadReference) -> Decision {
        guard let get = getTool ?? catalog.tools.first(where: { $0.method == "GET" && $0.pathParameterNames.count == 1 }) else {
            return .unresolved(Unresolved(.unsupported, say(f, "The API has no endpoint to read one lead.", "API tidak punya endpoint untuk membaca satu lead.")))
        }
        if case .id(let id) = reference {
            guard offered.contains(get.toolName) else { return denied(f, get.toolName) }
            return .plan(Plan(kind: .lookup, tool: get.toolName, calls: [ToolCall(id: "call_1", name: get.toolName, arguments: [get.pathParameterNames[0]: .string(id)])],
                              followTool: nil, reference: reference, frame: f))
        }
        guard let search = searchTool else { return .unresolved(Unresolved(.unsupported, say(f, "The API cannot search leads by code.", "API tidak bisa mencari lead berdasarkan kode."))) }
        guard offered.contains(search.toolName) else { return denied(f, search.toolName) }
        return .plan(Plan(kind: .lookup, tool: search.toolName, calls: [ToolCall(id: "call_1", name: search.toolName, arguments: ["search": .string(reference.text)])],
                          followTool: offered.contains(get.toolName) && !Self.isName(reference) ? get.toolName : nil, reference: reference, frame: f))
    }

    static func isName(_ reference: LeadReference) -> Bool { if case .name = reference { true } else { false } }

    // MARK: Writes

    var updateTool: Endpoint? { catalog.tools.first { $0.method == "PATCH" && $0.pathParameterNames.count == 1 } }

    func update(_ f: Frame) -> Decision {
        guard let update = updateTool else {
            return .unresolved(Unresolved(.unsupported, say(f, "The API cannot change leads.", "API tidak bisa mengubah lead.")))
        }
        guard let reference = f.lead ?? f.search.map(LeadReference.name) else {
            if f.has("act.bulk") {
                return .unresolved(Unresolved(.unsupported, say(f,
                    "I change one lead at a time, named by its code (e.g. CRM-1024); bulk changes are not something I will do from one sentence.",
                    "Saya hanya mengubah satu lead sekaligus, dengan kodenya (misalnya CRM-1024); perubahan massal tidak saya lakukan dari satu kalimat.")))
            }
            return .unresolved(Unresolved(.clarify, say(f, "Which lead do you mean? Give its code, e.g. CRM-1024.", "Lead yang mana? Sebutkan kodenya, misalnya CRM-1024.")))
        }
        var changes: JSONObject = [:]
        for value in f.values {
            guard let p = parameter(for: value, in: update, frame: f) else { continue }
            // Where a lead came from changes only when the request says so ("source …", "dari …"); "ditelpon" is not a new source.
            if ["source", "adPlatform"].contains(p.name), !f.fields.contains("field.source"), !f.fromValues.contains(value) { continue }
            changes[p.name] = .string(value)
        }
        if let amount = f.amounts.last {
            let actual = f.fields.contains("field.actual") || (changes["status"]?.stringValue == "won" && !f.fields.contains("field.estimated"))
            let name = actual ? "actualValue" : "estimatedValue"
            if update.parameter(named: name) != nil { changes[name] = amount == amount.rounded() ? .int(Int(amount)) : .double(amount) }
        }
        if let phone = f.phone, f.fields.contains("field.phone"), update.parameter(named: "phone") != nil { changes["phone"] = .string(phone) }
        // An email that found the lead is a reference, not a change.
        if let email = f.email, f.lead != nil, update.parameter(named: "email") != nil { changes["email"] = .string(email) }
        if let note = f.note, update.parameter(named: "notes") != nil { changes["notes"] = .string(note) }
        if let uuid = f.uuid, let p = update.parameters.first(where: { $0.type == .uuid && $0.location == .body }) { changes[p.name] = .string(uuid) }
        guard !changes.isEmpty else {
            return .unresolved(Unresolved(.clarify, say(f, "What should change on \(reference.text)? For example \"to qualified\" or \"estimated value 7.5m\".",
                                                        "Apa yang diubah pada \(reference.text)? Misalnya \"menjadi qualified\" atau \"nilai estimasi 7,5 juta\".")))
        }
        guard offered.contains(update.toolName) else { return denied(f, update.toolName) }
        let idName = update.pathParameterNames[0]
        if case .id(let id) = reference {
            var args = changes
            args[idName] = .string(id)
            return .plan(Plan(kind: .update, tool: update.toolName, calls: [ToolCall(id: "call_1", name: update.toolName, arguments: args)], followTool: nil,
                              changes: changes, reference: reference, frame: f))
        }
        guard let search = searchTool, offered.contains(search.toolName) else { return denied(f, searchTool?.toolName ?? "a lead search") }
        return .plan(Plan(kind: .update, tool: search.toolName, calls: [ToolCall(id: "call_1", name: search.toolName, arguments: ["search": .string(reference.text)])],
                          followTool: update.toolName, changes: changes, reference: reference, frame: f))
    }

    func create(_ f: Frame) -> Decision {
        guard let create = catalog.tools.first(where: { $0.method == "POST" && $0.parameter(named: "firstName") != nil }) else {
            return .unresolved(Unresolved(.unsupported, say(f, "The API cannot create leads.", "API tidak bisa membuat lead.")))
        }
        var fields = LeadForm(request, tool: create, vocabulary: vocabulary).fields
        if fields["firstName"] == nil, let name = f.search, name != f.email, name != f.phone {
            let parts = name.split(separator: " ", maxSplits: 1)
            fields["firstName"] = .string(String(parts[0]))
            if parts.count > 1 { fields["lastName"] = .string(String(parts[1])) }
        }
        if fields["email"] == nil, let email = f.email { fields["email"] = .string(email) }
        if fields["phone"] == nil, let phone = f.phone { fields["phone"] = .string(phone) }
        // A form's own lines say its values; the words before the first label ("New lead from the website form") may add others.
        if f.hasForm, let first = LeadForm.firstLabel(request, labels: vocabulary.lexicon.formLabels), first > 0 {
            let preamble = String(request.prefix(first))
            for value in Reading(preamble, vocabulary: vocabulary, monthFirst: false).values {
                if let p = parameter(for: value, in: create, frame: f), fields[p.name] == nil { fields[p.name] = .string(value) }
            }
        }
        if !f.hasForm {
            for value in f.values {
                guard let p = parameter(for: value, in: create, frame: f), fields[p.name] == nil else { continue }
                // "lead baru" / "new lead": new is what every lead starts as, not a status asked for.
                if p.name == "status", value == "new" { continue }
                fields[p.name] = .string(value)
            }
            // "…, estimasi nilai 15.000.000": an amount in a one-line request is the deal's estimate (its actual value when it says so).
            if let amount = f.amounts.last {
                let name = f.fields.contains("field.actual") ? "actualValue" : "estimatedValue"
                if fields[name] == nil, create.parameter(named: name) != nil { fields[name] = amount == amount.rounded() ? .int(Int(amount)) : .double(amount) }
            }
        }
        // "Buat lead: Rina Wulandari, rina.w@…, …": the first part after the colon that is only words is the name.
        if fields["firstName"] == nil, let name = Self.listedName(request) {
            let parts = name.split(separator: " ", maxSplits: 1)
            fields["firstName"] = .string(String(parts[0]))
            if parts.count > 1 { fields["lastName"] = .string(String(parts[1])) }
        }
        guard fields["firstName"] != nil else {
            return .unresolved(Unresolved(.clarify, say(f, "What is the lead's name? (Name: …)", "Siapa nama lead-nya? (Nama: …)")))
        }
        guard offered.contains(create.toolName) else { return denied(f, create.toolName) }
        return .plan(Plan(kind: .create, tool: create.toolName, calls: [ToolCall(id: "call_1", name: create.toolName, arguments: fields)], frame: f))
    }

    /// The name in a one-line lead request: the first comma-separated part after the first colon, when it is two to four words
    /// of letters (no digits, no @, no label) — "new lead: John Tan, john@…" → "John Tan".
    static func listedName(_ request: String) -> String? {
        // After "lead" and a colon or a dash: "new lead: …", "add a lead - …".
        guard let lead = request.range(of: "lead", options: .caseInsensitive),
              let mark = request[lead.upperBound...].firstIndex(where: { ":-–—".contains($0) }) else { return nil }
        let rest = request[request.index(after: mark)...]
        guard let first = rest.split(whereSeparator: { ",;|\n".contains($0) }).first else { return nil }
        let candidate = first.trimmingCharacters(in: .whitespaces)
        let words = candidate.split(separator: " ")
        guard (1...4).contains(words.count), words.allSatisfy({ $0.allSatisfy { $0.isLetter || $0 == "'" || $0 == "." } }),
              words.first?.first?.isUppercase ?? false || words.count >= 2 else { return nil }
        return candidate
    }

    func ticket(_ f: Frame) -> Decision {
        guard let ticket = catalog.tools.first(where: { $0.method == "POST" && $0.parameter(named: "subject") != nil }) else {
            return .unresolved(Unresolved(.unsupported, say(f, "The API cannot open support tickets.", "API tidak bisa membuat tiket support.")))
        }
        var args: JSONObject = ["subject": .string(Self.subject(request)), "message": .string(request)]
        if let p = ticket.parameter(named: "priority") {
            // SKILL.md may leave the ticket's priorities as a placeholder; then the lead priorities (same parameter name) stand in.
            let allowed = p.enumValues ?? catalog.tools.compactMap { $0.parameter(named: "priority")?.enumValues }.first ?? []
            if let value = f.values.last(where: { allowed.contains($0) }) { args["priority"] = .string(value) }
        }
        guard Self.problemWords(request, vocabulary) >= 2 else {
            return .unresolved(Unresolved(.clarify, say(f, "What is the problem? Say it in a sentence and I will open the ticket.", "Masalahnya apa? Tulis satu kalimat, nanti saya buatkan tiketnya.")))
        }
        guard offered.contains(ticket.toolName) else { return denied(f, ticket.toolName) }
        return .plan(Plan(kind: .ticket, tool: ticket.toolName, calls: [ToolCall(id: "call_1", name: ticket.toolName, arguments: args)], frame: f))
    }

    /// How many words of a ticket request say what the problem is: not "open", "support", "ticket", "please" or the like.
    ///
    /// "open a support ticket" has none, so the planner asks what the problem is instead of filing the request as its own message.
    static func problemWords(_ text: String, _ v: Vocabulary) -> Int {
        Reading(text, vocabulary: v, monthFirst: false).items.filter { item in
            if item.filler { return false }
            if item.meanings.isEmpty { return item.words.allSatisfy { $0.count >= 2 } }
            return !item.meanings.allSatisfy { $0.concept.map { $0.hasPrefix("act.") || $0.hasPrefix("obj.") || $0.hasPrefix("ask.") } ?? false }
        }.count
    }

    /// A ticket's subject: what follows "about"/"tentang", else the request, capitalised, within 180 characters.
    static func subject(_ text: String) -> String {
        for marker in ["about ", "tentang ", "regarding ", "mengenai ", "soal "] {
            if let range = text.range(of: marker, options: .caseInsensitive) {
                let rest = text[range.upperBound...].trimmingCharacters(in: .whitespacesAndNewlines.union(.punctuationCharacters))
                if rest.count >= 3 { return String((rest.prefix(1).uppercased() + rest.dropFirst()).prefix(180)) }
            }
        }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return String((trimmed.count < 3 ? "Support request" : trimmed).prefix(180))
    }
}
