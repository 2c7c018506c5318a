/// A problem found in an input document, at a line a person can open.
public struct Diagnostic: Sendable, Hashable, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable, Comparable {
        case note, warning, error

        public static func < (lhs: Severity, rhs: Severity) -> Bool {
            let order: [Severity] = [.note, .warning, .error]
            return order.firstIndex(of: lhs)! < order.firstIndex(of: rhs)!
        }
    }

    public var severity: Severity
    /// 1-based line number in the document.
    public var line: Int
    public var message: String
    /// The file the line belongs to, when known.
    public var file: String?

    public init(_ severity: Severity, line: Int, _ message: String, file: String? = nil) {
        self.severity = severity
        self.line = line
        self.message = message
        self.file = file
    }

    /// `file:line: severity: message`, the form editors and CI logs recognise.
    public var description: String {
        "\(file ?? "<input>"):\(line): \(severity.rawValue): \(message)"
    }
}
