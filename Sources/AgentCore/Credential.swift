/// A secret read from the environment or a file, normalised once where it is read.
///
/// `export KONEKTOR_API_KEY=$(cat key.txt)` keeps a trailing `\r` when the
/// file has CRLF line ends; a header carrying it is refused by the HTTP
/// library, whose error then quotes the value. Surrounding whitespace is
/// therefore trimmed here, and a value that still has whitespace or control
/// characters inside is refused with a message that names the variable and
/// never shows the value.
public enum Credential {
    /// The trimmed value, or nil when the variable is unset or blank.
    public static func read(_ variable: String, from environment: [String: String]) throws(CredentialError) -> String? {
        guard let raw = environment[variable] else { return nil }
        return try normalise(raw, variable: variable)
    }

    /// `raw` without surrounding whitespace (CR and LF included); nil when nothing is left.
    public static func normalise(_ raw: String, variable: String) throws(CredentialError) -> String? {
        let scalars = Array(raw.unicodeScalars)
        var start = 0
        var end = scalars.count
        while start < end, isSpaceOrControl(scalars[start]) { start += 1 }
        while end > start, isSpaceOrControl(scalars[end - 1]) { end -= 1 }
        guard start < end else { return nil }
        let inner = scalars[start..<end]
        if let bad = inner.first(where: isSpaceOrControl) {
            throw CredentialError(variable: variable, problem: bad.properties.generalCategory == .control ? .controlCharacter : .innerWhitespace)
        }
        var value = ""
        value.unicodeScalars.append(contentsOf: inner)
        return value
    }

    /// Whether a scalar is whitespace, a control or a format character (what a key may not contain).
    public static func isSpaceOrControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isWhitespace || scalar.properties.generalCategory == .control || scalar.properties.generalCategory == .format
    }
}

/// A secret that cannot be used as read; the message names where it came from, never the value.
public struct CredentialError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Problem: Sendable, Hashable {
        case controlCharacter
        case innerWhitespace
    }

    public var variable: String
    public var problem: Problem

    public init(variable: String, problem: Problem) {
        self.variable = variable
        self.problem = problem
    }

    public var description: String {
        switch problem {
        case .controlCharacter:
            "\(variable) contains a control character (such as a carriage return) inside the key; set it to the key alone"
        case .innerWhitespace:
            "\(variable) contains whitespace inside the key; set it to the key alone (no quotes, spaces or line breaks)"
        }
    }
}
