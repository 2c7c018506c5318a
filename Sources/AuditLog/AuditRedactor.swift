import AgentCore
import Crypto
import Foundation

/// Makes events safe to keep: PII fields become keyed hashes, known PII values and strict email/phone shapes in free text are masked, secrets vanish.
///
/// A keyed hash (HMAC-SHA256 with the installation's audit key) lets a
/// reviewer see "the same email" or "changed" without the value, and cannot
/// be reversed by hashing a list of guesses without the key.
///
/// Redaction is structure-aware, so it never rewrites what is not personal:
/// - a field the policy names (`hashInAudit`) is hashed by field, at any
///   depth, except inside `details` (validation reasons are keyed by field
///   name but hold reasons, not values);
/// - every value of such a field, and every value typed into a labelled form
///   line (`Nama: …`), becomes a *known value* that is masked wherever it
///   reappears in free text (answers, request text, error messages) for the
///   rest of the process, with the same keyed hash as its field;
/// - free text is otherwise masked only by strict patterns: an email shape
///   (also `budi at example dot com`, non-ASCII domains) and a phone shape
///   (`+62…`, `62…`, `0…` with 9–15 digits, one kind of separator, standing
///   alone as a word). UUIDs, amounts (`Rp 33.000.000`), dates, lead codes and
///   hashes never match.
public struct AuditRedactor: Sendable {
    let key: SymmetricKey
    /// Field names whose values are replaced by keyed hashes, at any depth.
    public var hashedFields: Set<String>
    /// Secrets that must never be written (the API key, model providers' keys), in every form they take in text.
    public var secrets: SecretScrubber
    /// PII values seen in this process, to be masked wherever they reappear.
    public internal(set) var known = KnownValues()

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

    /// Containers whose keys name fields but whose values are reasons, not the fields' values.
    static let reasonContainers: Set<String> = ["details"]

    /// Learns the event's PII values, then redacts it.
    public mutating func redact(_ data: JSONObject) -> JSONObject {
        learn(.object(data), field: nil)
        return redactObject(data)
    }

    func redactObject(_ data: JSONObject, hashing: Bool = true) -> JSONObject {
        var out = JSONObject()
        for (key, value) in data { out[key] = redact(value, field: key, hashing: hashing && !Self.reasonContainers.contains(key)) }
        return out
    }

    func redact(_ value: JSONValue, field: String?, hashing: Bool = true) -> JSONValue {
        if hashing, let field, hashedFields.contains(field) {
            switch value {
            case .null: return .null
            case .string(let s): return .string(keyedHash(s))
            case .object, .array: break
            default: return .string(keyedHash(value.jsonString()))
            }
        }
        switch value {
        case .string(let s): return .string(mask(s))
        case .object(let o): return .object(redactObject(o, hashing: hashing))
        case .array(let a): return .array(a.map { redact($0, field: field, hashing: hashing) })
        default: return value
        }
    }

    /// Collects the values of hashed fields (and a person's full name) as known values.
    mutating func learn(_ value: JSONValue, field: String?) {
        switch value {
        case .object(let o):
            var first: String?, last: String?
            for (key, inner) in o where !Self.reasonContainers.contains(key) {
                if hashedFields.contains(key), let s = inner.stringValue {
                    known.add(s, hash: keyedHash(s))
                    if key == "firstName" { first = s }
                    if key == "lastName" { last = s }
                } else {
                    learn(inner, field: key)
                }
            }
            if let first, let last {
                let full = "\(first) \(last)"
                known.add(full, hash: keyedHash(full))
            }
        case .array(let a):
            for inner in a { learn(inner, field: field) }
        case .string(let s):
            // A pasted form's labelled values are what the person typed: known from here on.
            if s.utf8.contains(UInt8(ascii: ":")) {
                for value in Self.labelledValues(s) { known.add(value, hash: keyedHash(value)) }
            }
        default:
            break
        }
    }

    /// Masks known values, email addresses and phone numbers inside free text, and removes secrets.
    public func mask(_ text: String) -> String {
        var result = secrets.scrub(text)
        if !known.isEmpty { result = known.mask(result) }
        result = PIIPatterns.maskEmails(result) { keyedHash($0) }
        // Most values (statuses, ids without long digit runs) need no phone scan: a byte scan decides.
        guard PIIPatterns.mayHoldPhone(result) else { return result }
        return PIIPatterns.maskPhones(result) { keyedHash($0) }
    }

    /// Labels whose value is personal in a pasted form: `Name: Budi Santoso`, `Nama: …`, `Alamat: …`.
    static let personalLabels: Set<String> = ["name", "nama", "full name", "nama lengkap", "first name", "last name", "nama depan", "nama belakang", "address", "alamat"]

    /// The values of the lines whose label names a person.
    ///
    /// A line (or a comma-separated part of one: `Nama: Rina, Email: …`) whose
    /// last label is personal; the label is what stands between the colon
    /// before it and its own colon, so `Create a lead: Nama: Rina` finds it.
    static func labelledValues(_ text: String) -> [String] {
        text.split(whereSeparator: { $0 == "\n" || $0 == "," }).compactMap { part -> String? in
            guard let colon = part.lastIndex(of: ":") else { return nil }
            let before = part[..<colon]
            let label = before.lastIndex(of: ":").map { before[before.index(after: $0)...] } ?? before
            guard personalLabels.contains(label.trimmingCharacters(in: .whitespaces).lowercased()) else { return nil }
            let value = part[part.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            return value.isEmpty ? nil : value
        }
    }
}
