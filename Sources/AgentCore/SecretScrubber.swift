import Foundation

/// Removes secrets from text in every form a secret takes there: raw, escaped, JSON-escaped, percent-encoded, base64, hex.
///
/// One scrubber is built per process from every secret konektor read (the
/// Konektor key and every model provider's key) and applied at each boundary
/// where text leaves: the terminal, the audit log, planner observations, the
/// approvals store, the REPL history and error messages. Matching the raw key
/// alone is not enough: an HTTP library quotes a header value with escapes, a
/// server echoes it JSON-escaped or percent-encoded, a proxy base64-encodes it.
/// Each form is precomputed once, so scrubbing is a substring search per form.
public struct SecretScrubber: Sendable, Hashable {
    /// One secret and what stands in its place.
    public struct Secret: Sendable, Hashable {
        /// Where it came from (`KONEKTOR_API_KEY`), for messages; never the value.
        public var name: String
        public var value: String
        /// What replaces it in text: a fingerprint or the variable's name in brackets.
        public var replacement: String

        public init(name: String, value: String, replacement: String? = nil) {
            self.name = name
            self.value = value
            self.replacement = replacement ?? "[\(name)]"
        }
    }

    /// Shorter values are not scrubbed: they would mangle ordinary text, and no real key is that short.
    public static let minimumLength = 8

    public private(set) var secrets: [Secret] = []
    /// Every textual form of every secret, longest first, so a longer form is replaced before a form it contains.
    var forms: [(form: String, replacement: String)] = []

    public init(_ secrets: [Secret] = []) {
        for secret in secrets { add(secret) }
    }

    public static func == (a: SecretScrubber, b: SecretScrubber) -> Bool { a.secrets == b.secrets }
    public func hash(into hasher: inout Hasher) { hasher.combine(secrets) }

    public var isEmpty: Bool { secrets.isEmpty }

    /// Adds a secret (once); values shorter than ``minimumLength`` are ignored.
    public mutating func add(_ secret: Secret) {
        guard secret.value.utf8.count >= Self.minimumLength, !secrets.contains(where: { $0.value == secret.value }) else { return }
        secrets.append(secret)
        for form in Self.forms(of: secret.value) where !forms.contains(where: { $0.form == form }) {
            forms.append((form, secret.replacement))
        }
        forms.sort { $0.form.utf8.count > $1.form.utf8.count }
    }

    /// This scrubber and another's secrets together.
    public func merging(_ other: SecretScrubber) -> SecretScrubber {
        var merged = self
        for secret in other.secrets { merged.add(secret) }
        return merged
    }

    /// The text with every form of every secret replaced.
    public func scrub(_ text: String) -> String {
        guard !forms.isEmpty, text.utf8.count >= Self.minimumLength else { return text }
        var result = text
        for (form, replacement) in forms where result.contains(form) {
            result = result.replacingOccurrences(of: form, with: replacement)
        }
        return result
    }

    /// Every string in a JSON value (keys included) scrubbed.
    public func scrub(_ value: JSONValue) -> JSONValue {
        guard !forms.isEmpty else { return value }
        switch value {
        case .string(let s): return .string(scrub(s))
        case .array(let items): return .array(items.map(scrub))
        case .object(let object): return .object(scrub(object))
        default: return value
        }
    }

    public func scrub(_ object: JSONObject) -> JSONObject {
        guard !forms.isEmpty else { return object }
        return JSONObject(object.map { (scrub($0.0), scrub($0.1)) })
    }

    /// Whether any form of any secret is in the text (for tests and guards).
    public func leaks(in text: String) -> Bool {
        forms.contains { text.contains($0.form) }
    }

    /// The forms a value takes in text written by other software.
    static func forms(of value: String) -> [String] {
        var forms: Set<String> = [value]
        forms.insert(jsonEscaped(value))
        forms.insert(jsonEscaped(value, slashes: true))
        forms.insert(unicodeEscaped(value))
        forms.insert(percentEncoded(value, uppercase: true))
        forms.insert(percentEncoded(value, uppercase: false))
        forms.insert(formEncoded(value))
        // An escaped string escaped again (a JSON string inside a JSON string): `\\r`, `\\u000d`.
        forms.insert(jsonEscaped(jsonEscaped(value)))
        forms.insert(jsonEscaped(unicodeEscaped(value)))
        forms.insert(Hex.encode(Data(value.utf8)))
        forms.insert(Hex.encode(Data(value.utf8)).uppercased())
        for text in [value, "Bearer " + value, ":" + value] {
            forms.formUnion(base64Cores(of: Data(text.utf8)))
        }
        return forms.filter { $0.utf8.count >= minimumLength }.sorted()
    }

    /// The value as a JSON string's content, with control characters as `\r`, `\n`, `\t` or `\u00XX`.
    static func jsonEscaped(_ value: String, slashes: Bool = false) -> String {
        var out = ""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "/" where slashes: out += "\\/"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += String(format: "\\u%04x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    /// The value with every control character as `\u00XX` (how some encoders write `\r`).
    static func unicodeEscaped(_ value: String) -> String {
        var out = ""
        for scalar in value.unicodeScalars {
            if scalar.value < 0x20 || scalar.value == 0x7F { out += String(format: "\\u%04x", scalar.value) } else { out.unicodeScalars.append(scalar) }
        }
        return out
    }

    static func percentEncoded(_ value: String, uppercase: Bool) -> String {
        var out = ""
        for byte in value.utf8 {
            if (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || "-._~".utf8.contains(byte) {
                out.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                out += String(format: uppercase ? "%%%02X" : "%%%02x", byte)
            }
        }
        return out
    }

    /// `application/x-www-form-urlencoded`: spaces as `+`.
    static func formEncoded(_ value: String) -> String {
        percentEncoded(value, uppercase: true).replacingOccurrences(of: "%20", with: "+")
    }

    /// The parts of a base64 encoding that are the same wherever the bytes sit in a longer encoded text.
    ///
    /// Base64 encodes three bytes at a time, so the value's encoding inside a
    /// longer text depends on its offset modulo 3; for each offset, the
    /// characters that depend only on the value's own bytes are kept (standard
    /// and URL-safe alphabets).
    static func base64Cores(of bytes: Data) -> Set<String> {
        var cores: Set<String> = []
        for offset in 0..<3 {
            let padded = Data(repeating: 0, count: offset) + bytes
            let encoded = padded.base64EncodedString()
            // Characters fully determined by the value: skip the first group touched by padding, stop before the last partial one.
            let firstFull = offset == 0 ? 0 : 4
            let fullBytes = (padded.count / 3) * 3
            let lastFull = (fullBytes / 3) * 4
            guard lastFull > firstFull else { continue }
            let chars = Array(encoded)
            let core = String(chars[firstFull..<lastFull])
            cores.insert(core)
            cores.insert(core.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_"))
        }
        return cores
    }
}
