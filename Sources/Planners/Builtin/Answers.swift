import AgentCore

/// Writes the answer: a sentence that says which interpretation was taken, then the data.
struct Answers {
    let indonesian: Bool
    let period: String
    let dates: WorkspaceDates

    func answer(intent: BuiltinPlanner.Intent, data body: JSONValue, request: RequestText) -> String {
        let data = body["data"] ?? .null
        switch intent {
        case .newLeads:
            let total = data["totalLeads"]?.intValue ?? 0
            let new = data["newLeads"]?.intValue ?? 0
            return indonesian
                ? "\(total) lead dibuat \(period); \(new) di antaranya masih berstatus new. (Dihitung dari totalLeads dan newLeads.)"
                : "\(total) leads were created \(period); \(new) of them are still in status new. (totalLeads counts every lead created in the period; newLeads those still new.)"
        case .funnel:
            let stages = data.arrayValue ?? []
            let total = stages.compactMap { $0["count"]?.intValue }.reduce(0, +)
            let head = indonesian ? "Funnel \(period): \(total) lead." : "The conversion funnel \(period): \(total) leads."
            return head + "\n" + Self.bars(stages.map { ($0["status"]?.stringValue ?? "?", $0["count"]?.intValue ?? 0, $0["percentage"]?.doubleValue) })
        case .campaigns:
            let rows = data.arrayValue ?? []
            guard let top = rows.max(by: { ($0["leads"]?.intValue ?? 0) < ($1["leads"]?.intValue ?? 0) }) else {
                return indonesian ? "Tidak ada lead dari kampanye \(period)." : "No leads came from a campaign \(period)."
            }
            let name = top["campaignName"]?.stringValue ?? "?"
            let platform = top["adPlatform"]?.stringValue.map { " (\($0))" } ?? ""
            let leads = top["leads"]?.intValue ?? 0
            let conversions = top["conversions"]?.intValue ?? 0
            let value = Rupiah.format(top["conversionValue"]?.doubleValue ?? 0)
            let head = indonesian
                ? "\(name)\(platform) menghasilkan lead terbanyak \(period): \(leads) lead, \(conversions) konversi senilai \(value)."
                : "\(name)\(platform) generated the most leads \(period): \(leads) leads, \(conversions) conversions worth \(value)."
            return head + "\n" + Self.bars(rows.prefix(8).map { ("\($0["campaignName"]?.stringValue ?? "?")", $0["leads"]?.intValue ?? 0, nil) })
        case .conversionsFailed:
            let failed = data["failed"]?.intValue ?? 0
            let parts = ["synced", "pending", "partial", "none"].map { "\($0) \(data[$0]?.intValue ?? 0)" }.joined(separator: ", ")
            return indonesian
                ? "\(failed) konversi gagal disinkronkan \(period) (\(parts))."
                : "\(failed) conversions failed to sync \(period) (\(parts))."
        case .pendingConversions:
            let rows = data.arrayValue ?? []
            let head = indonesian ? "\(rows.count) konversi belum terkirim:" : "\(rows.count) conversions have not reached their ad platform:"
            return head + "\n" + Self.table(rows.prefix(20).map { [$0["uniqueCode"]?.stringValue ?? "", $0["adPlatform"]?.stringValue ?? "", $0["conversionSyncStatus"]?.stringValue ?? ""] }, header: ["CODE", "PLATFORM", "SYNC"])
        case .workspace:
            let plan = data["subscription"]?["plan"]?.stringValue ?? "?"
            let usage = data["usage"]?["leadsPerDay"]
            return indonesian
                ? "\(data["displayName"]?.stringValue ?? "Workspace") memakai paket \(plan); hari ini \(usage?["current"]?.intValue ?? 0) dari \(usage?["limit"]?.intValue ?? 0) lead per hari."
                : "\(data["displayName"]?.stringValue ?? "The workspace") is on the \(plan) plan; \(usage?["current"]?.intValue ?? 0) of \(usage?["limit"]?.intValue ?? 0) leads per day used today."
        case .listLeads:
            let rows = data.arrayValue ?? []
            let total = body["pagination"]?["total"]?.intValue ?? rows.count
            let head = indonesian ? "\(total) lead cocok; \(rows.count) terbaru:" : "\(total) leads match; the \(rows.count) newest:"
            return head + "\n" + Self.table(rows.map { lead in
                [lead["uniqueCode"]?.stringValue ?? "", [lead["firstName"]?.stringValue, lead["lastName"]?.stringValue].compactMap { $0 }.joined(separator: " "),
                 lead["status"]?.stringValue ?? "", lead["source"]?.stringValue ?? "", lead["estimatedValue"]?.doubleValue.map(Rupiah.format) ?? "",
                 lead["createdAt"]?.stringValue.map(dates.instant) ?? ""]
            }, header: indonesian ? ["KODE", "NAMA", "STATUS", "SUMBER", "ESTIMASI", "DIBUAT"] : ["CODE", "NAME", "STATUS", "SOURCE", "ESTIMATE", "CREATED"])
        case .updateLead:
            let code = data["uniqueCode"]?.stringValue ?? "?"
            let changes = (data.objectValue ?? [:]).filter { !["id", "uniqueCode", "firstName", "updatedAt"].contains($0.key) }
                .map { key, value in "\(key) " + (key.hasSuffix("Value") ? value.doubleValue.map(Rupiah.format) ?? "none" : value.stringValue ?? value.jsonString()) }
            return indonesian ? "Lead \(code) (\(data["firstName"]?.stringValue ?? "")) diubah: \(changes.joined(separator: ", "))."
                              : "Lead \(code) (\(data["firstName"]?.stringValue ?? "")) updated: \(changes.joined(separator: ", "))."
        case .createLead:
            return indonesian ? "Lead \(data["uniqueCode"]?.stringValue ?? "") dibuat untuk \(data["firstName"]?.stringValue ?? "")."
                              : "Created lead \(data["uniqueCode"]?.stringValue ?? "") for \(data["firstName"]?.stringValue ?? "")."
        case .ticket:
            return indonesian ? "Tiket support \(data["ticketRef"]?.stringValue ?? "") dibuat: \(data["subject"]?.stringValue ?? "") (prioritas \(data["priority"]?.stringValue ?? ""))."
                              : "Opened support ticket \(data["ticketRef"]?.stringValue ?? ""): \(data["subject"]?.stringValue ?? "") (priority \(data["priority"]?.stringValue ?? ""))."
        case .delete, .unknown:
            return ""
        }
    }

    /// A horizontal bar chart, one row per item.
    static func bars(_ rows: [(label: String, value: Int, percentage: Double?)]) -> String {
        let width = rows.map(\.label.count).max() ?? 0
        let top = max(1, rows.map(\.value).max() ?? 1)
        return rows.map { row in
            let bar = String(repeating: "█", count: max(row.value > 0 ? 1 : 0, row.value * 30 / top))
            let share = row.percentage.map { " (\($0)%)" } ?? ""
            return row.label + String(repeating: " ", count: width - row.label.count) + "  " + bar + " \(row.value)\(share)"
        }.joined(separator: "\n")
    }

    static func table(_ rows: [[String]], header: [String]) -> String {
        let all = [header] + rows
        let widths = header.indices.map { i in all.map { $0.indices.contains(i) ? $0[i].count : 0 }.max() ?? 0 }
        return all.map { row in
            row.enumerated().map { i, cell in i == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[i] - cell.count) }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}
