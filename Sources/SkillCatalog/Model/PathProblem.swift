/// Why a documented endpoint path cannot be sent, as written, to the base URL's origin.
///
/// A SKILL.md comes from the network, so its paths are untrusted: a path that
/// climbs out of the API (`/api/v2/agent/../../admin`), names another host
/// (`//evil.example/x`, `https://…`), or hides a query, a fragment or a
/// separator would carry the Bearer key somewhere the document's reader did
/// not intend. ``find(in:)`` accepts only plain absolute paths made of
/// non-empty RFC 3986 segments and `:name` parameters.
public enum PathProblem: Sendable, Hashable, CustomStringConvertible {
    /// Does not start with `/`.
    case notAbsolute
    /// Starts with a scheme (`https://…`) or an authority (`//host/…`).
    case otherOrigin
    /// A `.` or `..` segment, also percent-encoded (`%2e%2E`) or with a `;` suffix (`..;`).
    case dotSegment(String)
    /// Two slashes in a row, or a trailing slash.
    case emptySegment
    /// A backslash, or a percent-encoded `/` or `\` inside a segment.
    case hiddenSeparator
    /// A `?` or `#`.
    case queryOrFragment
    /// A control character or white space.
    case controlOrWhitespace
    /// A `%` not followed by two hex digits.
    case malformedEscape
    /// A character that has no place in a URL path (`<`, `"`, `{`, non-ASCII, …).
    case forbiddenCharacter(Character)
    /// A `:` parameter segment whose name is not an identifier (`/:`, `/:a-b`).
    case badParameterName(String)

    /// What is wrong, for a diagnostic.
    public var description: String {
        switch self {
        case .notAbsolute: "does not start with '/'"
        case .otherOrigin: "names a scheme or host; only paths on the base URL's origin are allowed"
        case .dotSegment(let s): "has a '\(s)' segment, which would leave the documented path"
        case .emptySegment: "has an empty segment ('//' or a trailing '/')"
        case .hiddenSeparator: "has a backslash or a percent-encoded '/' or '\\'"
        case .queryOrFragment: "has a query or fragment ('?' or '#')"
        case .controlOrWhitespace: "has a control character or white space"
        case .malformedEscape: "has a '%' that is not followed by two hex digits"
        case .forbiddenCharacter(let c): "has the character '\(c.unicodeScalars.map { $0.isASCII && $0.value >= 0x20 ? String(c) : "U+" + String($0.value, radix: 16, uppercase: true) }.joined())', which a URL path cannot hold"
        case .badParameterName(let s): "has a path parameter '\(s)' whose name is not an identifier"
        }
    }

    /// The first problem with a documented path template, or nil when it is a plain path on the origin.
    public static func find(in path: String) -> PathProblem? {
        let bytes = Array(path.utf8)
        // The order matters only for which problem is named; each one alone is enough to refuse the path.
        for b in bytes where b < 0x20 || b == 0x7F || b == 0x20 { return .controlOrWhitespace }
        if path.unicodeScalars.contains(where: { $0.properties.isWhitespace }) { return .controlOrWhitespace }
        if bytes.contains(UInt8(ascii: "?")) || bytes.contains(UInt8(ascii: "#")) { return .queryOrFragment }
        if bytes.contains(UInt8(ascii: "\\")) { return .hiddenSeparator }
        if bytes.starts(with: Array("//".utf8)) || hasScheme(bytes) { return .otherOrigin }
        guard bytes.first == UInt8(ascii: "/") else { return .notAbsolute }
        if let bad = path.first(where: { !isPathCharacter($0) }) { return .forbiddenCharacter(bad) }
        if bytes.count == 1 { return nil }
        for raw in bytes.dropFirst().split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false) {
            guard !raw.isEmpty else { return .emptySegment }
            let segment = Array(raw)
            if segment.first == UInt8(ascii: ":") {
                let name = String(decoding: segment.dropFirst(), as: UTF8.self)
                guard name.isIdentifierLike else { return .badParameterName(String(decoding: segment, as: UTF8.self)) }
                continue
            }
            // Decode repeatedly: a server or proxy that decodes twice would see `%252e` as `.`.
            var decoded = segment
            for _ in 0..<3 {
                guard let next = percentDecoded(decoded) else { return .malformedEscape }
                if next.contains(UInt8(ascii: "/")) || next.contains(UInt8(ascii: "\\")) { return .hiddenSeparator }
                if next.contains(where: { $0 < 0x20 || $0 == 0x7F }) { return .controlOrWhitespace }
                // Servers such as Tomcat drop `;params` before resolving dots: `..;` is `..`.
                let beforeParams = next.split(separator: UInt8(ascii: ";"), maxSplits: 1, omittingEmptySubsequences: false).first.map(Array.init) ?? []
                if beforeParams == [0x2E] || beforeParams == [0x2E, 0x2E] {
                    return .dotSegment(String(decoding: segment, as: UTF8.self))
                }
                if next == decoded { break }
                decoded = next
            }
        }
        return nil
    }

    /// `scheme:` at the start (`http:`, `javascript:`), which makes the text a URL rather than a path.
    static func hasScheme(_ bytes: [UInt8]) -> Bool {
        guard let first = bytes.first, String.isASCIILetter(first) else { return false }
        for b in bytes.dropFirst() {
            if b == UInt8(ascii: ":") { return true }
            guard String.isASCIILetter(b) || (b >= 48 && b <= 57) || b == UInt8(ascii: "+") || b == UInt8(ascii: "-") || b == UInt8(ascii: ".") else { return false }
        }
        return false
    }

    /// RFC 3986 `pchar` plus `/`: unreserved, `%`, sub-delims, `:` and `@`.
    static func isPathCharacter(_ c: Character) -> Bool {
        guard c.isASCII, let b = c.asciiValue else { return false }
        if String.isASCIILetter(b) || (b >= 48 && b <= 57) { return true }
        return "-._~%!$&'()*+,;=:@/".utf8.contains(b)
    }

    /// Percent-decodes bytes; nil when a `%` is not followed by two hex digits.
    static func percentDecoded(_ bytes: [UInt8]) -> [UInt8]? {
        guard bytes.contains(UInt8(ascii: "%")) else { return bytes }
        func hex(_ b: UInt8) -> UInt8? {
            switch b {
            case 48...57: b - 48
            case 65...70: b - 55
            case 97...102: b - 87
            default: nil
            }
        }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "%") {
                guard i + 2 < bytes.count, let h = hex(bytes[i + 1]), let l = hex(bytes[i + 2]) else { return nil }
                out.append(h << 4 | l)
                i += 3
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return out
    }
}
