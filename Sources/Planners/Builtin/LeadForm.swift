import AgentCore
import SkillCatalog

/// A pasted form (`Name: …`, `Email: …`, `No. HP: …`) read into createLead's fields.
struct LeadForm {
    var fields: JSONObject = [:]

    static let labels: [(field: String, names: [String])] = [
        ("name", ["name", "nama", "full name", "nama lengkap"]),
        ("email", ["email", "e-mail", "surel"]),
        ("phone", ["phone", "no. hp", "no hp", "hp", "whatsapp", "wa", "telepon", "no. telp", "nomor hp"]),
        ("source", ["source", "sumber"]),
        ("notes", ["notes", "note", "catatan", "pesan", "message"]),
        ("priority", ["priority", "prioritas"]),
    ]

    init(_ text: String, tool: Endpoint, vocabulary: Vocabulary) {
        let sources = tool.parameter(named: "source")?.enumValues ?? []
        let priorities = tool.parameter(named: "priority")?.enumValues ?? []
        for line in text.split(whereSeparator: \.isNewline) {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let label = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            guard !value.isEmpty, let field = Self.labels.first(where: { $0.names.contains(label) })?.field else { continue }
            switch field {
            case "name":
                let parts = value.split(separator: " ", maxSplits: 1)
                fields["firstName"] = .string(String(parts[0]))
                if parts.count > 1 { fields["lastName"] = .string(String(parts[1])) }
            case "email": fields["email"] = .string(value)
            case "phone": fields["phone"] = .string(Self.normalisePhone(value))
            case "source":
                let lower = value.lowercased()
                let synonyms = vocabulary.lexicon.values.filter { sources.contains($0.key) }
                if let exact = sources.first(where: { $0 == lower }) { fields["source"] = .string(exact) }
                else if let alias = synonyms.first(where: { $0.value.contains(lower) })?.key { fields["source"] = .string(alias) }
                else if sources.contains("other") { fields["source"] = "other" }
            case "priority":
                if let p = priorities.first(where: { $0 == value.lowercased() }) { fields["priority"] = .string(p) }
            default: fields["notes"] = .string(value)
            }
        }
    }

    /// `0812-3456-7890` → `+6281234567890`; other numbers keep their digits and a leading `+`.
    static func normalisePhone(_ raw: String) -> String {
        let digits = raw.filter(\.isNumber)
        if raw.trimmingCharacters(in: .whitespaces).hasPrefix("+") { return "+" + digits }
        if digits.hasPrefix("0") { return "+62" + digits.dropFirst() }
        if digits.hasPrefix("62") { return "+" + digits }
        return digits
    }
}
