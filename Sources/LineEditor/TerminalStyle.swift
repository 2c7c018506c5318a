import Foundation

/// ANSI styling that appears only on a terminal, and never when `NO_COLOR` is set (https://no-color.org).
public struct TerminalStyle: Sendable {
    public let enabled: Bool

    public init(enabled: Bool) { self.enabled = enabled }

    /// Styling for a file descriptor: on when it is a TTY, `NO_COLOR` is unset or empty, and `TERM` is not `dumb`.
    public static func forDescriptor(_ fd: Int32, environment: [String: String] = ProcessInfo.processInfo.environment) -> TerminalStyle {
        TerminalStyle(enabled: wantsColour(isTerminal: isatty(fd) == 1, environment: environment))
    }

    /// The rule: a terminal, `NO_COLOR` unset or empty, and a `TERM` other than `dumb`.
    public static func wantsColour(isTerminal: Bool, environment: [String: String]) -> Bool {
        isTerminal && (environment["NO_COLOR"] ?? "").isEmpty && environment["TERM"] != "dumb"
    }

    public func bold(_ text: String) -> String { wrap(text, "1") }
    public func dim(_ text: String) -> String { wrap(text, "2") }
    public func red(_ text: String) -> String { wrap(text, "31") }
    public func green(_ text: String) -> String { wrap(text, "32") }
    public func yellow(_ text: String) -> String { wrap(text, "33") }
    public func cyan(_ text: String) -> String { wrap(text, "36") }

    func wrap(_ text: String, _ code: String) -> String {
        enabled && !text.isEmpty ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }
}
