import AgentCore
import Crypto
import Foundation

/// Makes events safe to keep: PII fields become keyed hashes, addresses and numbers in free text are masked, secrets vanish.
///
/// A keyed hash (HMAC-SHA256 with the installation's audit key) lets a
/// reviewer see "the same email" or "changed" without the value, and cannot
/// be reversed by hashing a list of guesses without the key.
public struct AuditRedactor: Sendable {
    let key: SymmetricKey
    /// Field names whose values are replaced by keyed hashes, at any depth.
    public var hashedFields: Set<String>
    /// Secrets that must never be written (the API key, model providers' keys), in every form they take in text.
    public var secrets: SecretScrubber

    public init(key: SymmetricKey, hashedFields: Set<String>, secrets: SecretScrubber = SecretScrubber()) {
        self.key = key
        self.hashedFields = hashedFields
        self.secrets = secrets
    }

    /// `hmac:` and 16 hex digits of HMAC-SHA256(value).
    public func keyedHash(_ value: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data(value.utf8), using: key)
        return "hmac:" + Hex.encode(mac.prefix(8))
    }

    public func redact(_ data: JSONObject) -> JSONObject {
        var out = JSONObject()
        for (key, value) in data { out[key] = redact(value, field: key) }
        return out
    }

    func redact(_ value: JSONValue, field: String?) -> JSONValue {
        if let field, hashedFields.contains(field) {
            switch value {
            case .null: return .null
            case .string(let s): return .string(keyedHash(s))
            case .object, .array: break
            default: return .string(keyedHash(value.jsonString()))
            }
        }
        switch value {
        case .string(let s): return .string(mask(s))
        case .object(let o): return .object(redact(o))
        case .array(let a): return .array(a.map { redact($0, field: field) })
        default: return value
        }
    }

    /// Masks email addresses and phone numbers inside free text, and removes secrets.
    public func mask(_ text: String) -> String {
        var result = secrets.scrub(text)
        if result.utf8.contains(UInt8(ascii: ":")), result.utf8.contains(UInt8(ascii: "\n")) || Self.startsWithLabel(result) {
            result = maskLabelledLines(result)
        }
        // Most values (statuses, ids without long digit runs) need no masking: a byte scan decides.
        guard result.utf8.contains(where: { $0 == UInt8(ascii: "@") || ($0 >= 48 && $0 <= 57) }) else { return result }
        return maskTokens(result)
    }

    /// Labels whose value is personal in a pasted form: `Name: Budi Santoso`, `Nama: …`, `Alamat: …`.
    static let personalLabels: Set<String> = ["name", "nama", "full name", "nama lengkap", "first name", "last name", "address", "alamat"]

    static func startsWithLabel(_ text: String) -> Bool {
        guard let colon = text.firstIndex(of: ":") else { return false }
        return personalLabels.contains(text[..<colon].trimmingCharacters(in: .whitespaces).lowercased())
    }

    /// Replaces the value of each `Label: value` line whose label names a person.
    func maskLabelledLines(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            guard let colon = line.firstIndex(of: ":"),
                Self.personalLabels.contains(line[..<colon].trimmingCharacters(in: .whitespaces).lowercased())
            else { return String(line) }
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            guard !value.isEmpty else { return String(line) }
            return String(line[...colon]) + " [\(keyedHash(value))]"
        }.joined(separator: "\n")
    }

    /// Walks the text once, replacing email-shaped and phone-shaped runs.
    func maskTokens(_ text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        var i = 0
        func isEmailChar(_ c: Unicode.Scalar) -> Bool {
            (c.properties.isAlphabetic || ("0"..."9").contains(c) || "._%+-".unicodeScalars.contains(c)) && c.isASCII
        }
        while i < scalars.count {
            let c = scalars[i]
            if c == "@" {
                // Back up over the local part already copied, then take the domain.
                var start = out.count
                let copied = Array(out)
                while start > 0, isEmailChar(copied[start - 1]) { start -= 1 }
                var end = i + 1
                while end < scalars.count, isEmailChar(scalars[end]) || scalars[end] == "." { end += 1 }
                let domain = String(String.UnicodeScalarView(scalars[(i + 1)..<end]))
                if start < copied.count, domain.contains("."), !domain.hasPrefix("."), !domain.hasSuffix(".") {
                    let local = String(String.UnicodeScalarView(copied[start...]))
                    out = String.UnicodeScalarView(copied[..<start])
                    out.append(contentsOf: "[email \(keyedHash(local + "@" + domain))]".unicodeScalars)
                    i = end
                    continue
                }
            }
            if c == "+" || ("0"..."9").contains(c) {
                var end = i
                var digits = 0
                while end < scalars.count, ("0"..."9").contains(scalars[end]) || (end > i && " -.()".unicodeScalars.contains(scalars[end])) || (end == i && scalars[end] == "+") {
                    if ("0"..."9").contains(scalars[end]) { digits += 1 }
                    end += 1
                }
                while end > i, !("0"..."9").contains(scalars[end - 1]) { end -= 1 }
                let precededByWord = i > 0 && (scalars[i - 1].properties.isAlphabetic || scalars[i - 1] == "_")
                if digits >= 9 && digits <= 15 && !precededByWord {
                    let number = String(String.UnicodeScalarView(scalars[i..<end])).filter { $0.isNumber || $0 == "+" }
                    out.append(contentsOf: "[phone \(keyedHash(number))]".unicodeScalars)
                    i = end
                    continue
                }
                out.append(contentsOf: scalars[i..<max(end, i + 1)])
                i = max(end, i + 1)
                continue
            }
            out.append(c)
            i += 1
        }
        return String(out)
    }
}
