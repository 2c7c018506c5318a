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

    /// The `(field, value)` pairs of every known label followed by a colon, in order; a value ends at the next label.
    static func labelled(_ text: String, labels: [String: [String]]) -> [(field: String, value: String)] {
        let lower = text.lowercased() as NSString
        var hits: [(range: NSRange, end: Int, field: String)] = []
        let all = labels.flatMap { field, names in names.map { (field, $0) } }.sorted { $0.1.count > $1.1.count }
        for (field, name) in all {
            let pattern = "(?<![\\p{L}\\p{N}])" + NSRegularExpression.escapedPattern(for: name) + "\\s*:"
            guard let regex = try? NSRegularExpression(pattern: pattern) else { continue }
            for match in regex.matches(in: lower as String, range: NSRange(location: 0, length: lower.length)) {
                // A longer label already covers this place ("nama lengkap" over "nama").
                if hits.contains(where: { NSIntersectionRange($0.range, match.range).length > 0 }) { continue }
                hits.append((match.range, match.range.location + match.range.length, field))
            }
        }
        hits.sort { $0.range.location < $1.range.location }
        let original = text as NSString
        let separators = CharacterSet.whitespacesAndNewlines.union(CharacterSet(charactersIn: "|;,–—-⏎"))
        return hits.enumerated().map { i, hit in
            let stop = i + 1 < hits.count ? hits[i + 1].range.location : original.length
            let value = original.substring(with: NSRange(location: hit.end, length: max(0, stop - hit.end))).trimmingCharacters(in: separators)
            return (hit.field, value)
        }
    }

    /// Where the first label starts (in characters), if the text has one.
    static func firstLabel(_ text: String, labels: [String: [String]]) -> Int? {
        let lower = text.lowercased()
        var first: Int?
        for name in labels.values.joined() {
            guard let range = lower.range(of: name + ":") ?? lower.range(of: name + " :") else { continue }
            let at = lower.distance(from: lower.startIndex, to: range.lowerBound)
            if first == nil || at < first! { first = at }
        }
        return first
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
