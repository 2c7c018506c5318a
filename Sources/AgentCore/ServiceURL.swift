import Foundation

/// A base URL konektor will send a secret to: http(s), no user info, and plain HTTP only to this machine.
///
/// The one place that judges where requests may go, for the Konektor API and
/// for every model provider. Loopback is decided by parsing the host as an IP
/// address (127.0.0.0/8, `::1`, IPv4-mapped `::ffff:127.x.y.z`) or the literal
/// `localhost` — never by a prefix, which `127.attacker.example` would pass.
public struct ServiceURL: Sendable, Hashable, CustomStringConvertible {
    public var scheme: String
    public var host: String
    public var port: Int?
    /// The path after the authority, without a trailing slash (`/v1`), or empty.
    public var path: String

    /// `scheme://host[:port]`, the origin requests and redirects are held to.
    public var origin: String {
        let bracketed = host.contains(":") ? "[\(host)]" : host
        return "\(scheme)://\(bracketed)" + (port.map { ":\($0)" } ?? "")
    }

    public var description: String { origin + path }
    public var isLoopback: Bool { Self.isLoopback(host: host) }

    /// Parses and checks `text`; `variable` names where it came from in messages.
    ///
    /// - Parameters:
    ///   - allowPath: whether a path may follow the authority (model providers' `/v1`), or only `/`.
    ///   - secret: whether a secret will travel with requests; then plain HTTP must stay on this machine.
    public init(parsing text: String, variable: String, allowPath: Bool = true, secret: Bool = true) throws(ServiceURLError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let components = URLComponents(string: trimmed), let rawScheme = components.scheme else {
            throw ServiceURLError(variable: variable, shown: Self.redacted(trimmed), problem: .notAURL)
        }
        let shown = Self.redacted(trimmed)
        if components.user != nil || components.password != nil || Self.authority(of: trimmed).contains("@") {
            throw ServiceURLError(variable: variable, shown: shown, problem: .userInfo)
        }
        scheme = rawScheme.lowercased()
        guard scheme == "http" || scheme == "https" else { throw ServiceURLError(variable: variable, shown: shown, problem: .scheme(scheme)) }
        guard let host = components.host, !host.isEmpty else { throw ServiceURLError(variable: variable, shown: shown, problem: .notAURL) }
        self.host = host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        port = components.port
        guard components.query == nil, components.fragment == nil else { throw ServiceURLError(variable: variable, shown: shown, problem: .queryOrFragment) }
        var path = components.percentEncodedPath
        while path.hasSuffix("/") { path.removeLast() }
        guard allowPath || path.isEmpty else { throw ServiceURLError(variable: variable, shown: shown, problem: .path) }
        self.path = path
        if secret, scheme == "http", !Self.isLoopback(host: self.host) {
            throw ServiceURLError(variable: variable, shown: shown, problem: .plainHTTP(self.host))
        }
    }

    /// Whether `host` is this machine: `localhost`, an IPv4 address in 127.0.0.0/8, `::1`, or `::ffff:` and a 127 address.
    public static func isLoopback(host: String) -> Bool {
        let h = host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        if h == "localhost" { return true }
        if let v4 = ipv4(h) { return v4.0 == 127 }
        guard let v6 = ipv6(h) else { return false }
        if v6 == [0, 0, 0, 0, 0, 0, 0, 1] { return true }
        // IPv4-mapped: ::ffff:a.b.c.d
        return v6[0..<5].allSatisfy { $0 == 0 } && v6[5] == 0xFFFF && (v6[6] >> 8) == 127
    }

    /// Four decimal octets, each 0–255, nothing else.
    static func ipv4(_ text: Substring) -> (UInt8, UInt8, UInt8, UInt8)? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var octets: [UInt8] = []
        for part in parts {
            guard !part.isEmpty, part.count <= 3, part.allSatisfy({ $0.isASCII && $0.isNumber }), let value = UInt8(part) else { return nil }
            octets.append(value)
        }
        return (octets[0], octets[1], octets[2], octets[3])
    }

    static func ipv4(_ text: String) -> (UInt8, UInt8, UInt8, UInt8)? { ipv4(text[...]) }

    /// Eight 16-bit groups of an IPv6 address (`::` compression and a trailing dotted IPv4 allowed); nil when it is not one.
    static func ipv6(_ text: String) -> [UInt16]? {
        guard text.contains(":"), text.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }) else { return nil }
        var groups: [UInt16] = []
        var tail = Substring(text)
        var v4: (UInt8, UInt8, UInt8, UInt8)?
        if let lastColon = text.lastIndex(of: ":"), text[text.index(after: lastColon)...].contains(".") {
            guard let parsed = ipv4(text[text.index(after: lastColon)...]) else { return nil }
            v4 = parsed
            tail = text[...lastColon]
            if tail.hasSuffix(":") && !tail.hasSuffix("::") { tail = tail.dropLast() }
        }
        let halves = tail.components(separatedBy: "::")
        guard halves.count <= 2 else { return nil }
        func parse(_ part: String) -> [UInt16]? {
            if part.isEmpty { return [] }
            var out: [UInt16] = []
            for group in part.split(separator: ":", omittingEmptySubsequences: false) {
                guard !group.isEmpty, group.count <= 4, let value = UInt16(group, radix: 16) else { return nil }
                out.append(value)
            }
            return out
        }
        guard let head = parse(halves[0]) else { return nil }
        let rest = halves.count == 2 ? parse(halves[1]) : []
        guard let rest else { return nil }
        let v4Groups: [UInt16] = v4.map { [UInt16($0.0) << 8 | UInt16($0.1), UInt16($0.2) << 8 | UInt16($0.3)] } ?? []
        let known = head.count + rest.count + v4Groups.count
        if halves.count == 2 {
            guard known < 8 else { return nil }
            groups = head + Array(repeating: 0, count: 8 - known) + rest + v4Groups
        } else {
            guard known == 8 else { return nil }
            groups = head + v4Groups
        }
        return groups
    }

    /// The authority part of a URL text (between `//` and the next `/`, `?` or `#`).
    static func authority(of text: String) -> Substring {
        guard let start = text.range(of: "//") else { return "" }
        let rest = text[start.upperBound...]
        return rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
    }

    /// The URL with any user info replaced by `[redacted]`, safe to show.
    public static func redacted(_ text: String) -> String {
        guard let start = text.range(of: "//") else { return text.contains("@") ? "[redacted URL]" : text }
        let authority = authority(of: text)
        guard let at = authority.lastIndex(of: "@") else { return text }
        return String(text[..<start.upperBound]) + "[redacted]" + String(text[at...])
    }
}

/// Why a base URL was refused; the message shows the URL with any user info redacted.
public struct ServiceURLError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Problem: Sendable, Hashable {
        case notAURL
        case userInfo
        case scheme(String)
        case queryOrFragment
        case path
        case plainHTTP(String)
    }

    public var variable: String
    /// The URL as it may be shown (user info redacted).
    public var shown: String
    public var problem: Problem

    public var description: String {
        switch problem {
        case .notAURL: "\(variable) is not a URL such as https://konektor.id (got '\(shown)')"
        case .userInfo: "\(variable) must not carry a user name or password (\(shown)); give keys through their own variables"
        case .scheme(let scheme): "\(variable) uses '\(scheme)'; use https:// (got '\(shown)')"
        case .queryOrFragment: "\(variable) must not have a query or fragment (got '\(shown)')"
        case .path: "\(variable) must be scheme, host and port only; paths come from the catalog (got '\(shown)')"
        case .plainHTTP(let host):
            "refusing plain HTTP to \(host) (\(variable)): the key would travel unencrypted; use https:// (plain HTTP is allowed only to this machine: localhost, 127.0.0.0/8, ::1)"
        }
    }
}
