import AgentCore
import Foundation
import SkillCatalog

/// A pasted form (`Name: …`, `Email: …`, `No. HP: …`) read into createLead's fields.
///
/// Fields may be on lines of their own or on one line between separators
/// (`Name: Maria Tan | Email: … -- Phone: …`): a value runs from its label's
/// colon to the next known label. The labels are data (`formLabels` in the
/// lexicon); values of enum fields are read with the planner's vocabulary, so
/// "Sumber: pameran" is `event` and "Sumber: Google Ads" is the ad platform.
struct LeadForm {
    var fields: JSONObject = [:]
    /// How many known labels the text has; two or more make it a form.
    var labelCount = 0

    init(_ text: String, tool: Endpoint, vocabulary: Vocabulary) {
        let found = Self.labelled(text, labels: vocabulary.lexicon.formLabels)
        labelCount = found.count
        let enums = Dictionary(uniqueKeysWithValues: ["source", "adPlatform", "priority", "status"].map { ($0, tool.parameter(named: $0)?.enumValues ?? []) })
        for (field, value) in found where !value.isEmpty {
            switch field {
            case "name":
                let parts = value.split(separator: " ", maxSplits: 1)
                fields["firstName"] = .string(String(parts[0]))
                if parts.count > 1 { fields["lastName"] = .string(String(parts[1])) }
            case "firstName", "lastName", "notes": fields[field] = .string(value)
            case "email": fields["email"] = .string(value.trimmingCharacters(in: .whitespaces))
            case "phone": fields["phone"] = .string(Self.normalisePhone(value))
            case "estimatedValue": if let amount = Rupiah.parse(value) ?? Amounts.first(in: value) { fields["estimatedValue"] = .double(amount) }
            case "source", "adPlatform", "priority", "status":
                let named = Reading(value, vocabulary: vocabulary, monthFirst: false).values
                var matched = false
                for v in named {
                    // The first enum field, in label order then the others, that takes the value.
                    for target in [field] + ["source", "adPlatform"].filter({ $0 != field }) where enums[target]?.contains(v) ?? false && fields[target] == nil {
                        fields[target] = .string(v)
                        matched = true
                        break
                    }
                }
                if field == "adPlatform" || fields["adPlatform"] != nil, fields["source"] == nil, enums["source"]?.contains("ads") ?? false { fields["source"] = "ads" }
                if !matched, field == "source", enums["source"]?.contains("other") ?? false, fields["source"] == nil { fields["source"] = "other" }
            default: break
            }
        }
        if let amount = fields["estimatedValue"]?.doubleValue, amount == amount.rounded() { fields["estimatedValue"] = .int(Int(amount)) }
    }

    /// The `(field, value)` pairs of a form, in order: labels followed by a colon (a value ends at the next label), or else
    /// labels opening the comma-separated parts of one line, when a name is among them.
    static func labelled(_ text: String, labels: [String: [String]]) -> [(field: String, value: String)] {
        let colons = colonLabelled(text, labels: labels)
        if colons.count >= 2 { return colons }
        // "create a lead: first name Kevin, last name Tan, email …": labels that open comma-separated parts, with no colons.
        let parts = segmentLabelled(text, labels: labels)
        return parts.count >= 2 && parts.contains(where: { ["name", "firstName", "lastName"].contains($0.field) }) ? parts : colons
    }

    /// The fields of a one-line form whose parts (between `,` `;` `|` `:` or line ends) each open with a label and a space.
    static func segmentLabelled(_ text: String, labels: [String: [String]]) -> [(field: String, value: String)] {
        guard text.contains(",") || text.contains(";") || text.contains("|") else { return [] }
        let all = labels.flatMap { field, names in names.map { (field, $0) } }.sorted { $0.1.count > $1.1.count }
        var out: [(field: String, value: String)] = []
        for part in text.split(whereSeparator: { ",;|:\n".contains($0) }) {
            let trimmed = part.trimmingCharacters(in: .whitespaces)
            let lower = trimmed.lowercased()
            guard let (field, name) = all.first(where: { lower.hasPrefix($0.1 + " ") || lower.hasPrefix($0.1 + "=") }) else { continue }
            let value = String(trimmed.dropFirst(name.count)).trimmingCharacters(in: CharacterSet.whitespaces.union(CharacterSet(charactersIn: "=-–")))
            if !value.isEmpty { out.append((field, value)) }
        }
        return out
    }

    /// The `(field, value)` pairs of every known label followed by a colon, in order.
    static func colonLabelled(_ text: String, labels: [String: [String]]) -> [(field: String, value: String)] {
        guard text.contains(":") else { return [] }
        let lower = Array(text.lowercased())
        let original = Array(text)
        // Lower-casing can change a string's length (rare letters); then offsets would not line up, so read the lower-cased text.
        let source = lower.count == original.count ? original : lower
        let found = hits(lower, labels: labels)
        let separators = CharacterSet.whitespacesAndNewlines.union(CharacterSet(charactersIn: "|;,–—-⏎"))
        return found.enumerated().map { i, hit in
            let stop = i + 1 < found.count ? found[i + 1].start : source.count
            var value = String(source[hit.end..<max(hit.end, stop)]).trimmingCharacters(in: .whitespaces)
            // On a form of lines, a field ends with its line (an unknown label on the next line is not part of it); a note may run on.
            if hit.field != "notes", let end = value.firstIndex(of: "\n") { value = String(value[..<end]) }
            return (hit.field, value.trimmingCharacters(in: separators))
        }
    }

    /// Where the first label starts (in characters), if the text has one: the first of ``labelled(_:labels:)``'s labels.
    static func firstLabel(_ text: String, labels: [String: [String]]) -> Int? {
        text.contains(":") ? hits(Array(text.lowercased()), labels: labels).first?.start : nil
    }

    /// Every known label followed by a colon, in order: where it starts and where its value starts.
    ///
    /// A label counts where it starts a word (no letter or digit before it) and only whitespace stands between it and
    /// its colon; a longer label wins over a shorter one at the same place ("nama lengkap" over "nama"). Scanned by
    /// hand: most requests have no colon at all, and compiling a pattern per label cost more than the rest of a plan.
    static func hits(_ lower: [Character], labels: [String: [String]]) -> [(start: Int, end: Int, field: String)] {
        var hits: [(start: Int, end: Int, field: String)] = []
        let all = labels.flatMap { field, names in names.map { (field, Array($0)) } }.sorted { $0.1.count > $1.1.count }
        for (field, name) in all where !name.isEmpty && name.count <= lower.count {
            for i in 0...(lower.count - name.count) where lower[i] == name[0] && lower[i..<(i + name.count)].elementsEqual(name) {
                if i > 0, lower[i - 1].isLetter || lower[i - 1].isNumber { continue }
                var j = i + name.count
                while j < lower.count, lower[j].isWhitespace { j += 1 }
                guard j < lower.count, lower[j] == ":" else { continue }
                if hits.contains(where: { $0.start < j + 1 && i < $0.end }) { continue }
                hits.append((i, j + 1, field))
            }
        }
        return hits.sorted { $0.start < $1.start }
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
