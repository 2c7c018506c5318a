import Foundation
import Synchronization

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
    /// The same forms as UTF-8, searched with `memchr` and `memcmp`: text leaves konektor at many boundaries, mostly without a secret in
    /// it, and Foundation's `contains` on `String` costs a locale-aware search per form.
    var byteForms: [(form: [UInt8], replacement: [UInt8])] = []

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
        byteForms = forms.map { (Array($0.form.utf8), Array($0.replacement.utf8)) }
    }

    /// This scrubber and another's secrets together.
    public func merging(_ other: SecretScrubber) -> SecretScrubber {
        var merged = self
        for secret in other.secrets { merged.add(secret) }
        return merged
    }

    /// The text with every form of every secret replaced.
    ///
    /// Forms are replaced longest first, each in the text the longer ones left, as whole UTF-8 byte sequences (a valid
    /// UTF-8 sequence can only match at character boundaries, so the result is valid UTF-8 again).
    public func scrub(_ text: String) -> String {
        guard !byteForms.isEmpty, text.utf8.count >= Self.minimumLength else { return text }
        var bytes = Array(text.utf8)
        var changed = false
        for (form, replacement) in byteForms {
            guard let first = Self.find(form, in: bytes, from: 0) else { continue }
            bytes = Self.replacing(form, with: replacement, in: bytes, first: first)
            changed = true
        }
        return changed ? String(decoding: bytes, as: UTF8.self) : text
    }

    /// The offset of `needle` in `haystack` at or after `start`, or nil.
    static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard haystack.count - start >= needle.count else { return nil }
        return haystack.withUnsafeBytes { h in
            needle.withUnsafeBytes { n in
                let base = h.baseAddress!, last = h.count - n.count
                var at = start
                // memchr finds the candidates (glibc's is vectorised); memcmp checks each one.
                while at <= last, let hit = memchr(base + at, Int32(n[0]), last - at + 1) {
                    let offset = base.distance(to: UnsafeRawPointer(hit))
                    if memcmp(base + offset, n.baseAddress!, n.count) == 0 { return offset }
                    at = offset + 1
                }
                return nil
            }
        }
    }

    /// `bytes` with every occurrence of `form` (the first at `first`) replaced, left to right, without overlaps.
    static func replacing(_ form: [UInt8], with replacement: [UInt8], in bytes: [UInt8], first: Int) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var copied = 0
        var hit: Int? = first
        while let at = hit {
            out.append(contentsOf: bytes[copied..<at])
            out.append(contentsOf: replacement)
            copied = at + form.count
            hit = find(form, in: bytes, from: copied)
        }
        out.append(contentsOf: bytes[copied...])
        return out
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
        let bytes = Array(text.utf8)
        return byteForms.contains { Self.find($0.form, in: bytes, from: 0) != nil }
    }

    /// The forms a value takes in text written by other software, computed once per value in a process: a session
    /// builds scrubbers for the same key at several boundaries (the terminal, the stores, the client), and the base64
    /// and escaped forms are most of a one-shot `ask`'s time spent on secrets.
    static func forms(of value: String) -> [String] {
        if let known = formCache.withLock({ $0[value] }) { return known }
        let computed = computeForms(of: value)
        formCache.withLock { $0[value] = computed }
        return computed
    }

    static let formCache = Mutex<[String: [String]]>([:])

    static func computeForms(of value: String) -> [String] {
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
        value.split(separator: " ", omittingEmptySubsequences: false).map { percentEncoded(String($0), uppercase: true) }.joined(separator: "+")
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
            // Base64 is ASCII: its UTF-8 bytes are its characters.
            let encoded = Array(padded.base64EncodedString().utf8)
            // Characters fully determined by the value: skip the first group touched by padding, stop before the last partial one.
            let firstFull = offset == 0 ? 0 : 4
            let fullBytes = (padded.count / 3) * 3
            let lastFull = (fullBytes / 3) * 4
            guard lastFull > firstFull else { continue }
            let core = encoded[firstFull..<lastFull]
            cores.insert(String(decoding: core, as: UTF8.self))
            let urlSafe = core.map { $0 == UInt8(ascii: "+") ? UInt8(ascii: "-") : $0 == UInt8(ascii: "/") ? UInt8(ascii: "_") : $0 }
            cores.insert(String(decoding: urlSafe, as: UTF8.self))
        }
        return cores
    }
}
