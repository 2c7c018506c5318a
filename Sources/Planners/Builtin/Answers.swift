import AgentCore
import Foundation

/// Writes the answer: first what was understood ("Leads from referral, 1–24 Nov 2026: 21"), then the figures or the table.
struct Answers {
    let plan: Plan
    let dates: WorkspaceDates
    var f: Frame { plan.frame }
    var id: Bool { plan.frame.indonesian }
    var n: Numbers { Numbers(indonesian: plan.frame.indonesian) }

    func say(_ en: String, _ id: String) -> String { self.id ? id : en }

    /// "source referral, status won" — the filters as sent.
    func filters(_ call: ToolCall) -> String {
        call.arguments.filter { key, _ in !["limit", "page", "timeframe", "from", "to", "createdFrom", "createdTo", "sortOrder", "sortBy", "search", "id"].contains(key) }
            .sorted { $0.key < $1.key }.map { "\($0.key) \($0.value.stringValue ?? $0.value.jsonString())" }.joined(separator: ", ")
    }

    func periodLabel(_ index: Int) -> String {
        // Calls that split one period by a filter ("dari whatsapp dan tiktok") share it.
        let p = index == 0 ? f.period : (f.comparedPeriod ?? f.period)
        return p?.label(id) ?? say("in the last 30 days (the API's default)", "30 hari terakhir (bawaan API)")
    }

    func head(_ call: ToolCall, _ index: Int, subject: String) -> String {
        let filter = filters(call)
        return "\(subject)\(filter.isEmpty ? "" : " (\(filter))"), \(periodLabel(index))"
    }

    func answer(_ results: [(call: ToolCall, outcome: CallOutcome)]) -> String {
        if !plan.parts.isEmpty {
            var rest = results[...]
            return plan.parts.map { part in
                let mine = Array(rest.prefix(part.calls.count))
                rest = rest.dropFirst(part.calls.count)
                return Answers(plan: part, dates: dates).answer(mine)
            }.joined(separator: "\n")
        }
        let bodies = results.compactMap { r -> (ToolCall, JSONValue)? in if case .data(let d) = r.outcome { (r.call, d) } else { nil } }
        guard let (firstCall, firstBody) = bodies.first else { return say("No data came back.", "Tidak ada data.") }
        var text: String
        switch plan.kind {
        case .countFromList:
            let counts = bodies.map { $0.1["pagination"]?["total"]?.intValue ?? ($0.1["data"]?.arrayValue?.count ?? 0) }
            text = bodies.enumerated().map { i, b in head(b.0, i, subject: say("Leads", "Lead")) + ": " + n.integer(counts[i]) }.joined(separator: "\n")
            if counts.count == 2, overTime { text += "\n" + change(Double(counts[0]), Double(counts[1])) }
            if let note = plan.note { text += "\n(" + say(note.en, note.id) + ".)" }
            else { text += "\n(" + say("counted from the lead list's total", "dihitung dari total daftar lead") + ".)" }
        case .figures:
            text = bodies.enumerated().map { i, b in figures(b.0, b.1["data"] ?? .null, i) }.joined(separator: "\n")
            if bodies.count == 2, overTime, let a = primary(bodies[0].1["data"] ?? .null), let b = primary(bodies[1].1["data"] ?? .null) { text += "\n" + change(a, b) }
            if let note = plan.note { text += "\n(" + say(note.en, note.id) + ".)" }
        case .list:
            text = list(firstCall, firstBody)
        case .lookup:
            let lead = bodies.last?.1["data"] ?? .null
            if let rows = lead.arrayValue, case .name? = plan.reference {
                text = list(bodies.last!.0, bodies.last!.1)
            } else if let rows = lead.arrayValue {
                guard let row = rows.first(where: { matches($0) }) else { return say("No lead has the code \(plan.reference?.text ?? "")." , "Tidak ada lead dengan kode \(plan.reference?.text ?? "").") }
                text = detail(row)
            } else { text = detail(lead) }
        case .update:
            let data = bodies.last?.1["data"] ?? .null
            let code = data["uniqueCode"]?.stringValue ?? plan.reference?.text ?? "?"
            let changes = plan.changes.sorted { $0.key < $1.key }.map { key, value in
                "\(key) " + (key.hasSuffix("Value") ? value.doubleValue.map(n.money) ?? "-" : value.stringValue ?? value.jsonString())
            }.joined(separator: ", ")
            text = say("Lead \(code) (\(data["firstName"]?.stringValue ?? "")) updated: \(changes).", "Lead \(code) (\(data["firstName"]?.stringValue ?? "")) diubah: \(changes).")
        case .create:
            let data = firstBody["data"] ?? .null
            text = say("Created lead \(data["uniqueCode"]?.stringValue ?? "") for \(data["firstName"]?.stringValue ?? "").",
                       "Lead \(data["uniqueCode"]?.stringValue ?? "") dibuat untuk \(data["firstName"]?.stringValue ?? "").")
        case .ticket:
            let data = firstBody["data"] ?? .null
            text = say("Opened support ticket \(data["ticketRef"]?.stringValue ?? ""): \(data["subject"]?.stringValue ?? "") (priority \(data["priority"]?.stringValue ?? "")).",
                       "Tiket support \(data["ticketRef"]?.stringValue ?? "") dibuat: \(data["subject"]?.stringValue ?? "") (prioritas \(data["priority"]?.stringValue ?? "")).")
        }
        return text
    }

    func matches(_ lead: JSONValue) -> Bool {
        guard let reference = plan.reference else { return false }
        return (lead["uniqueCode"]?.stringValue ?? "").lowercased() == reference.text.lowercased() || lead["id"]?.stringValue == reference.text
    }

    /// Whether two calls compare two periods (a change between them means something), not two filters of one period.
    var overTime: Bool { f.comparedPeriod.map { $0 != f.period } ?? false }

    /// "(+12, +30%)" between the first period and the second.
    func change(_ a: Double, _ b: Double) -> String {
        let diff = a - b
        let sign = diff >= 0 ? "+" : "−"
        let pct = b == 0 ? "" : ", \(sign)\(n.percent(abs(diff) / b * 100))"
        return say("Change: \(sign)\(n.decimal(abs(diff)))\(pct) (\(periodLabel(0)) against \(periodLabel(1))).",
                   "Selisih: \(sign)\(n.decimal(abs(diff)))\(pct) (\(periodLabel(0)) dibanding \(periodLabel(1))).")
    }

    /// The one figure a comparison compares.
    func primary(_ data: JSONValue) -> Double? {
        if data["totalLeads"] != nil {
            if f.metrics.contains("metric.value") { return data["totalConversionValue"]?.doubleValue }
            if f.metrics.contains("metric.conversions") { return data["totalConversions"]?.doubleValue }
            return data["totalLeads"]?.doubleValue
        }
        if data["failed"] != nil { return data[f.objects.contains("obj.pending") ? "pending" : f.objects.contains("obj.failed") ? "failed" : "synced"]?.doubleValue }
        if let rows = data.arrayValue { return Double(rows.compactMap { $0["count"]?.intValue ?? $0["leads"]?.intValue }.reduce(0, +)) }
        return nil
    }

    func figures(_ call: ToolCall, _ data: JSONValue, _ i: Int) -> String {
        if data["totalLeads"] != nil { return summary(call, data, i) }
        if data["failed"] != nil, data["synced"] != nil { return syncStatus(call, data, i) }
        if data["subscription"] != nil || data["usage"] != nil { return workspace(data) }
        if let rows = data.arrayValue {
            if rows.first?["campaignName"] != nil { return campaigns(call, rows, i) }
            if rows.first?["percentage"] != nil || rows.first?["count"] != nil { return funnel(call, rows, i) }
            if rows.first?["conversionSyncStatus"] != nil { return pending(rows) }
            return list(call, ["data": data])
        }
        return data.jsonString()
    }

    func summary(_ call: ToolCall, _ d: JSONValue, _ i: Int) -> String {
        let total = d["totalLeads"]?.intValue ?? 0, conversions = d["totalConversions"]?.intValue ?? 0
        let value = d["totalConversionValue"]?.doubleValue ?? 0
        let all = say("(all figures: \(n.integer(total)) leads created, \(n.integer(d["newLeads"]?.intValue ?? 0)) still new, \(n.integer(d["contactedLeads"]?.intValue ?? 0)) contacted, \(n.integer(conversions)) conversions worth \(n.money(value)))",
                      "(semua angka: \(n.integer(total)) lead dibuat, \(n.integer(d["newLeads"]?.intValue ?? 0)) masih new, \(n.integer(d["contactedLeads"]?.intValue ?? 0)) contacted, \(n.integer(conversions)) konversi senilai \(n.money(value)))")
        return summaryHead(call, d, i) + "\n" + all
    }

    func summaryHead(_ call: ToolCall, _ d: JSONValue, _ i: Int) -> String {
        let total = d["totalLeads"]?.intValue ?? 0, conversions = d["totalConversions"]?.intValue ?? 0
        let value = d["totalConversionValue"]?.doubleValue ?? 0
        if f.metrics.contains("metric.rate") {
            let rate = total == 0 ? 0 : Double(conversions) / Double(total) * 100
            return head(call, i, subject: say("Conversion rate", "Rasio konversi")) + ": " + n.percent(rate)
                + say(" (conversions ÷ leads created = \(n.integer(conversions)) ÷ \(n.integer(total)))", " (konversi ÷ lead dibuat = \(n.integer(conversions)) ÷ \(n.integer(total)))")
        }
        if f.metrics.contains("metric.average") {
            let average = conversions == 0 ? 0 : value / Double(conversions)
            return head(call, i, subject: say("Average conversion value", "Rata-rata nilai konversi")) + ": " + n.money(average)
                + say(" (conversion value ÷ conversions = \(n.money(value)) ÷ \(n.integer(conversions)))", " (nilai konversi ÷ konversi = \(n.money(value)) ÷ \(n.integer(conversions)))")
        }
        if f.metrics.contains("metric.value") {
            return head(call, i, subject: say("Conversion value", "Nilai konversi")) + ": " + n.money(value) + say(" from \(n.integer(conversions)) conversions", " dari \(n.integer(conversions)) konversi")
        }
        if f.metrics.contains("metric.conversions") {
            return head(call, i, subject: say("Conversions", "Konversi")) + ": " + n.integer(conversions) + say(", worth \(n.money(value))", ", senilai \(n.money(value))")
        }
        let new = d["newLeads"]?.intValue ?? 0
        return head(call, i, subject: say("Leads created", "Lead dibuat")) + ": " + n.integer(total)
            + say("; \(n.integer(new)) of them still in status new.", "; \(n.integer(new)) di antaranya masih berstatus new.")
    }

    func syncStatus(_ call: ToolCall, _ d: JSONValue, _ i: Int) -> String {
        let parts = ["synced", "pending", "partial", "failed", "none"].compactMap { key in d[key]?.intValue.map { "\(key) \(n.integer($0))" } }.joined(separator: ", ")
        let focus = f.objects.contains("obj.pending") ? "pending" : f.objects.contains("obj.failed") ? "failed" : nil
        if let focus, let count = d[focus]?.intValue {
            let word = focus == "failed" ? say("failed to sync", "gagal disinkronkan") : say("pending sync", "menunggu sinkronisasi")
            return head(call, i, subject: say("Conversions \(word)", "Konversi \(word)")) + ": " + n.integer(count) + " (\(parts))."
        }
        return head(call, i, subject: say("Conversion sync", "Sinkronisasi konversi")) + ": \(parts)."
    }

    func workspace(_ d: JSONValue) -> String {
        let plan = d["subscription"]?["plan"]?.stringValue ?? "?"
        let status = d["subscription"]?["status"]?.stringValue ?? ""
        let usage = d["usage"]?["leadsPerDay"]
        let limit = usage?["limit"]?.intValue ?? 0, current = usage?["current"]?.intValue ?? 0
        let name = d["displayName"]?.stringValue ?? "Workspace"
        let s = d["subscription"], u = d["usage"]
        let facts = [("timezone", d["timezone"]), ("currency", d["currency"]), ("language", d["language"]), ("dateFormat", d["dateFormat"]),
                     ("interval", s?["interval"]), ("currentPeriodEnd", s?["currentPeriodEnd"]), ("teamMembers", u?["teamMembers"]), ("activeRotators", u?["activeRotators"])]
            .compactMap { key, value in value.flatMap { v in v.isNull ? nil : "\(key) " + (key == "currentPeriodEnd" ? dates.instant(v.stringValue ?? "") : v.stringValue ?? v.intValue.map(n.integer) ?? v.jsonString()) } }
            .joined(separator: ", ")
        return say("\(name) is on the \(plan) plan (\(status)); leads per day: \(n.integer(current)) of \(n.integer(limit)) used today, \(n.integer(max(limit - current, 0))) left.\n\(facts).",
                   "\(name) memakai paket \(plan) (\(status)); lead per hari: \(n.integer(current)) dari \(n.integer(limit)) terpakai hari ini, sisa \(n.integer(max(limit - current, 0))).\n\(facts).")
    }

    func funnel(_ call: ToolCall, _ rows: [JSONValue], _ i: Int) -> String {
        let total = rows.compactMap { $0["count"]?.intValue }.reduce(0, +)
        var text = head(call, i, subject: say("Funnel", "Funnel")) + ": " + n.integer(total) + say(" leads", " lead")
        for row in rows {
            text += "\n  \(row["status"]?.stringValue ?? "?"): \(n.integer(row["count"]?.intValue ?? 0))" + (row["percentage"]?.doubleValue.map { " (\(n.percent($0)))" } ?? "")
        }
        return text
    }

    func campaigns(_ call: ToolCall, _ rows: [JSONValue], _ i: Int) -> String {
        let key = f.metrics.contains("metric.value") ? "conversionValue" : f.metrics.contains("metric.conversions") ? "conversions" : "leads"
        let label = key == "conversionValue" ? say("conversion value", "nilai konversi") : key == "conversions" ? say("conversions", "konversi") : say("leads", "lead")
        let sorted = rows.sorted { ($0[key]?.doubleValue ?? 0) > ($1[key]?.doubleValue ?? 0) }
        if let wanted = f.campaign {
            let hits = rows.filter { ($0["campaignName"]?.stringValue ?? "").lowercased().contains(wanted.lowercased()) }
            guard let row = hits.first else {
                return head(call, i, subject: say("Campaign \"\(wanted)\"", "Kampanye \"\(wanted)\"")) + ": " + say("no campaign by that name in the report.", "tidak ada kampanye dengan nama itu di laporan.")
            }
            return head(call, i, subject: say("Campaign \(row["campaignName"]?.stringValue ?? wanted)", "Kampanye \(row["campaignName"]?.stringValue ?? wanted)")) + ": "
                + say("\(n.integer(row["leads"]?.intValue ?? 0)) leads, \(n.integer(row["conversions"]?.intValue ?? 0)) conversions, \(n.money(row["conversionValue"]?.doubleValue ?? 0))",
                      "\(n.integer(row["leads"]?.intValue ?? 0)) lead, \(n.integer(row["conversions"]?.intValue ?? 0)) konversi, \(n.money(row["conversionValue"]?.doubleValue ?? 0))")
        }
        guard let top = f.rankLeast ? sorted.last : sorted.first else {
            return head(call, i, subject: say("Campaigns", "Kampanye")) + ": " + say("no campaign brought leads.", "tidak ada kampanye yang menghasilkan lead.")
        }
        let show: (JSONValue) -> String = { key == "conversionValue" ? n.money($0[key]?.doubleValue ?? 0) : n.integer($0[key]?.intValue ?? 0) }
        let name = "\(top["campaignName"]?.stringValue ?? "?") (\(top["adPlatform"]?.stringValue ?? "?"))"
        var text = head(call, i, subject: say("Campaigns by \(label)", "Kampanye menurut \(label)")) + ": "
        text += say("\(f.rankLeast ? "the least" : "the most") is \(name) with \(show(top)).", "\(f.rankLeast ? "paling sedikit" : "terbanyak") \(name) dengan \(show(top)).")
        for row in sorted.prefix(f.limit ?? 10) {
            text += "\n  \(row["campaignName"]?.stringValue ?? "?") (\(row["adPlatform"]?.stringValue ?? "?")): "
                + say("\(n.integer(row["leads"]?.intValue ?? 0)) leads, \(n.integer(row["conversions"]?.intValue ?? 0)) conversions, \(n.money(row["conversionValue"]?.doubleValue ?? 0))",
                      "\(n.integer(row["leads"]?.intValue ?? 0)) lead, \(n.integer(row["conversions"]?.intValue ?? 0)) konversi, \(n.money(row["conversionValue"]?.doubleValue ?? 0))")
        }
        return text
    }

    func pending(_ rows: [JSONValue]) -> String {
        let head = say("Conversions not yet on their ad platform: \(n.integer(rows.count))", "Konversi yang belum sampai ke platform iklan: \(n.integer(rows.count))")
        return head + "\n" + Self.table(rows.prefix(20).map { [$0["uniqueCode"]?.stringValue ?? "", $0["adPlatform"]?.stringValue ?? "", $0["conversionSyncStatus"]?.stringValue ?? ""] },
                                        header: say("CODE|PLATFORM|SYNC", "KODE|PLATFORM|SINKRON").split(separator: "|").map(String.init))
    }

    func list(_ call: ToolCall, _ body: JSONValue) -> String {
        let all = body["data"]?.arrayValue ?? []
        let total = body["pagination"]?["total"]?.intValue ?? all.count
        // The table shows what was asked for, or ten rows.
        let rows = Array(all.prefix(f.limit ?? 10))
        var subject = say("Leads", "Lead")
        if let search = call.arguments["search"]?.stringValue { subject += say(" matching \"\(search)\"", " yang cocok dengan \"\(search)\"") }
        let order = call.arguments["sortOrder"]?.stringValue == "asc" ? say("oldest", "terlama") : say("newest", "terbaru")
        var text = head(call, 0, subject: subject) + ": " + n.integer(total)
        if rows.isEmpty { return text + "." }
        text += say("; the \(rows.count) \(order):", "; \(rows.count) \(order):")
        return text + "\n" + Self.table(rows.map { lead in
            [lead["uniqueCode"]?.stringValue ?? "", [lead["firstName"]?.stringValue, lead["lastName"]?.stringValue].compactMap { $0 }.joined(separator: " "),
             lead["status"]?.stringValue ?? "", lead["source"]?.stringValue ?? "", lead["estimatedValue"]?.doubleValue.map(Rupiah.format) ?? "",
             lead["createdAt"]?.stringValue.map(dates.instant) ?? ""]
        }, header: id ? ["KODE", "NAMA", "STATUS", "SUMBER", "ESTIMASI", "DIBUAT"] : ["CODE", "NAME", "STATUS", "SOURCE", "ESTIMATE", "CREATED"])
    }

    func detail(_ lead: JSONValue) -> String {
        let name = [lead["firstName"]?.stringValue, lead["lastName"]?.stringValue].compactMap { $0 }.joined(separator: " ")
        var lines = ["\(say("Lead", "Lead")) \(lead["uniqueCode"]?.stringValue ?? "?") (\(lead["id"]?.stringValue ?? "")): \(name)"]
        for key in ["status", "priority", "source", "adPlatform", "email", "phone", "estimatedValue", "actualValue", "notes", "createdAt", "updatedAt"] {
            guard let value = lead[key], value != .null else { continue }
            let shown = key.hasSuffix("Value") ? value.doubleValue.map(n.money) ?? "" : key.hasSuffix("At") ? dates.instant(value.stringValue ?? "") : value.stringValue ?? value.jsonString()
            lines.append("  \(key): \(shown)")
        }
        return lines.joined(separator: "\n")
    }

    /// Columns padded to their widest cell.
    static func table(_ rows: [[String]], header: [String]) -> String {
        let all = [header] + rows
        let widths = header.indices.map { c in all.map { $0.indices.contains(c) ? $0[c].count : 0 }.max() ?? 0 }
        return all.map { row in
            row.enumerated().map { c, cell in c == row.count - 1 ? cell : cell.padding(toLength: widths[c], withPad: " ", startingAt: 0) }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}
