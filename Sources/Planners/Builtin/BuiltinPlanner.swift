import AgentCore
import Foundation
import SkillCatalog

/// The offline planner: understands the common requests in English and Bahasa Indonesia, deterministically.
///
/// It reads the catalog for tool names and enum values (statuses,
/// timeframes, sources, platforms), so a new value in SKILL.md is understood
/// without code changes. Each request maps to an intent; the first step plans
/// the calls, later steps read the results (a code resolved to a lead id
/// before a write) and the last one answers, saying which interpretation it
/// took. What the API cannot do is answered honestly, with no call.
public struct BuiltinPlanner: Planner {
    public let catalog: Catalog
    public var name: String { "builtin" }

    public init(catalog: Catalog) { self.catalog = catalog }

    enum Intent {
        case newLeads, funnel, campaigns, conversionsFailed, pendingConversions, updateLead, createLead, ticket, workspace, listLeads, delete, unknown
    }

    static func intent(_ r: RequestText) -> Intent {
        if r.hasWord("delete", "hapus", "remove") { return .delete }
        if r.has("ticket", "tiket") { return .ticket }
        if r.has("funnel", "corong") { return .funnel }
        if r.has("campaign", "kampanye") { return .campaigns }
        if r.has("sync", "sinkron") || (r.has("conversion", "konversi") && r.has("fail", "gagal")) { return .conversionsFailed }
        if r.has("pending conversion", "konversi tertunda", "konversi pending") { return .pendingConversions }
        if r.hasWord("update", "ubah", "change", "set", "ganti", "mark", "tandai"), r.leadReference != nil { return .updateLead }
        if r.hasWord("create", "buat", "add", "tambah", "tambahkan", "new", "baru"), r.has("form", "nama:", "name:") { return .createLead }
        if r.has("how many", "berapa", "count", "jumlah") { return .newLeads }
        if r.has("workspace", "plan", "paket", "subscription", "langganan") { return .workspace }
        if r.hasWord("show", "list", "tampilkan", "lihat", "daftar") && r.has("lead") { return .listLeads }
        return .unknown
    }

    static func indonesian(_ r: RequestText) -> Bool {
        r.hasWord("berapa", "minggu", "bulan", "ini", "ubah", "buat", "tampilkan", "gagal", "yang", "menjadi", "dari", "tentang", "tolong", "hari")
    }

    public func next(_ context: PlanningContext) async throws -> PlannerStep {
        let r = RequestText(context.request)
        let id = Self.indonesian(r)
        let results = context.results
        // A refusal or an error ends the turn with an honest account of it.
        if let (call, outcome) = results.last {
            switch outcome {
            case .error(let message): return .answer((id ? "Tidak bisa menjalankan \(call.name): " : "I could not run \(call.name): ") + message)
            case .notSent(let message): return .answer((id ? "Tidak dikirim (\(call.name)): " : "Not sent (\(call.name)): ") + message)
            case .data: break
            }
        }
        let intent = Self.intent(r)
        func call(_ tool: String, _ arguments: JSONObject) -> PlannerStep {
            guard context.tools.contains(tool) else {
                return .answer(id ? "Kebijakan sesi ini tidak mengizinkan \(tool)." : "This session's policy does not allow \(tool), which that request needs.")
            }
            return .calls([ToolCall(id: "call_\(results.count + 1)", name: tool, arguments: arguments)])
        }
        switch intent {
        case .delete:
            let deletes = catalog.tools.filter { $0.method == "DELETE" }
            if deletes.isEmpty {
                return .answer(id ? "Konektor Agent API tidak punya endpoint untuk menghapus; lead hanya bisa dibuat dan diubah (misalnya status menjadi lost)."
                                  : "The Konektor Agent API has no delete endpoint: leads can be created and updated (for example set to status lost), not deleted.")
            }
            return .answer("Deleting is possible with \(deletes.map(\.toolName).joined(separator: ", ")), which the built-in planner does not plan; use an LLM planner.")
        case .unknown:
            return .answer(id ? "Saya bisa menjawab soal lead, analitik (ringkasan, funnel, kampanye), sinkronisasi konversi, workspace, membuat/mengubah lead dan tiket support. Coba: \"berapa lead baru minggu ini?\""
                              : "I can answer questions about leads, analytics (summary, funnel, campaigns), conversion sync, the workspace, and create or update leads and support tickets. Try: \"How many new leads this week?\"")
        default: break
        }
        let timeframe = Timeframes(catalog: catalog, workspace: context.workspace).extract(r)
        if results.isEmpty {
            switch intent {
            case .newLeads: return call("getAnalyticsSummary", timeframe.arguments)
            case .funnel: return call("getAnalyticsFunnel", timeframe.arguments)
            case .campaigns: return call("getCampaignPerformance", timeframe.arguments)
            case .conversionsFailed:
                var arguments = timeframe.arguments
                if let platform = r.firstValue(of: enumValues("getConversionSyncStatus", "platform")) { arguments["platform"] = .string(platform) }
                return call("getConversionSyncStatus", arguments)
            case .pendingConversions: return call("listPendingConversions", [:])
            case .workspace: return call("getWorkspace", [:])
            case .listLeads: return call("listLeads", listArguments(r))
            case .updateLead:
                let reference = r.leadReference!
                if reference.hasPrefix("lead_") { return updateStep(r, id: reference, context: context, call: call) }
                return call("listLeads", ["search": .string(reference), "limit": 5])
            case .createLead:
                let form = LeadForm(r.original, catalog: catalog)
                guard form.fields["firstName"] != nil else {
                    return .answer(id ? "Formulir tidak punya nama (Nama: …); lead tidak dibuat." : "The form has no name (Name: …), so no lead was created.")
                }
                return call("createLead", form.fields)
            case .ticket:
                var arguments: JSONObject = ["subject": .string(Self.ticketSubject(r)), "message": .string(r.original)]
                if let priority = Self.ticketPriority(r, catalog: catalog) { arguments["priority"] = .string(priority) }
                return call("createSupportTicket", arguments)
            default: break
            }
        }
        guard case .data(let data)? = results.last?.outcome else { return .answer("") }
        if intent == .updateLead, results.count == 1 {
            let reference = r.leadReference!
            let matches = (data["data"]?.arrayValue ?? []).filter { ($0["uniqueCode"]?.stringValue ?? "").lowercased() == reference.lowercased() || $0["id"]?.stringValue == reference }
            guard let lead = matches.first, let leadId = lead["id"]?.stringValue else {
                return .answer(id ? "Tidak ada lead dengan kode \(reference)." : "No lead has the code \(reference); nothing was changed.")
            }
            return updateStep(r, id: leadId, context: context, call: call)
        }
        return .answer(Answers(indonesian: id, period: timeframe.description(indonesian: id, dates: WorkspaceDates(context.workspace)), dates: WorkspaceDates(context.workspace)).answer(intent: intent, data: data, request: r))
    }

    func updateStep(_ r: RequestText, id leadId: String, context: PlanningContext, call: (String, JSONObject) -> PlannerStep) -> PlannerStep {
        var changes: JSONObject = ["id": .string(leadId)]
        if let status = r.firstValue(of: enumValues("updateLead", "status")) { changes["status"] = .string(status) }
        if let priority = r.firstValue(of: enumValues("updateLead", "priority")), r.has("priority", "prioritas") { changes["priority"] = .string(priority) }
        if let amount = Amounts.first(in: r.original), let field = valueField(r, status: changes["status"]?.stringValue) {
            changes[field] = amount == amount.rounded() ? .int(Int(amount)) : .double(amount)
        }
        guard changes.count > 1 else {
            return .answer(Self.indonesian(r) ? "Apa yang harus diubah? Sebutkan status atau nilai, misalnya \"menjadi qualified\" atau \"nilai estimasi 7,5 juta\"."
                                              : "What should change? Name a status or a value, for example \"to qualified\" or \"estimated value 7.5m\".")
        }
        return call("updateLead", changes)
    }

    /// Which value an amount in an update is for: the actual value when the deal is won or the request says so, else the estimate.
    func valueField(_ r: RequestText, status: String?) -> String? {
        let fields = Set(catalog.tool(named: "updateLead")?.parameters.map(\.name) ?? [])
        let actual = status == "won" || r.has("actual", "aktual", "deal value", "nilai deal", "closed for", "closing", "terjual")
        let field = actual ? "actualValue" : "estimatedValue"
        return fields.contains(field) ? field : nil
    }

    func enumValues(_ tool: String, _ parameter: String) -> [String] {
        catalog.tool(named: tool)?.parameter(named: parameter)?.enumValues ?? []
    }

    func listArguments(_ r: RequestText) -> JSONObject {
        var arguments: JSONObject = ["limit": 10]
        for field in ["status", "priority", "source", "adPlatform"] {
            if let value = r.firstValue(of: enumValues("listLeads", field)) { arguments[field] = .string(value) }
        }
        if let n = r.words.compactMap({ Int($0) }).first(where: { $0 > 0 && $0 <= 100 }) { arguments["limit"] = .int(n) }
        if r.has("oldest", "terlama") { arguments["sortOrder"] = "asc" }
        return arguments
    }

    static func ticketSubject(_ r: RequestText) -> String {
        for marker in ["about ", "tentang ", "regarding ", "mengenai "] {
            if let range = r.original.range(of: marker, options: .caseInsensitive) {
                let rest = r.original[range.upperBound...].trimmingCharacters(in: .whitespacesAndNewlines.union(.punctuationCharacters))
                if rest.count >= 3 { return String(rest.prefix(1).uppercased() + rest.dropFirst()).prefix(180).description }
            }
        }
        return String(r.original.prefix(180))
    }

    static func ticketPriority(_ r: RequestText, catalog: Catalog) -> String? {
        let values = catalog.tool(named: "createSupportTicket")?.parameter(named: "priority")?.enumValues
        if r.has("urgent", "mendesak", "darurat"), values?.contains("urgent") ?? true { return "urgent" }
        if r.has("asap", "segera", "important", "penting"), values?.contains("high") ?? true { return "high" }
        return nil
    }
}
