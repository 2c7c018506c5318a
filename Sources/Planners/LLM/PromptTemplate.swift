import AgentCore
import Foundation

/// A Markdown prompt with `{{placeholder}}`s, checked when it is read: an unknown placeholder names its file and line.
public struct PromptTemplate: Sendable, Hashable {
    public static let placeholders: Set<String> = [
        "workspace.name", "workspace.timezone", "workspace.currency", "workspace.language", "workspace.dateFormat",
        "now", "today", "weekday", "policy", "answerStyle",
    ]

    /// A problem in a prompt file, at a line.
    public struct Diagnostic: Error, CustomStringConvertible, Sendable, Hashable {
        public var file: String
        public var line: Int
        public var message: String
        public var description: String { "\(file):\(line): error: \(message)" }
    }

    public let file: String
    public let text: String

    public init(_ text: String, file: String) throws(Diagnostic) {
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var rest = Substring(line)
            while let open = rest.range(of: "{{") {
                guard let close = rest[open.upperBound...].range(of: "}}") else {
                    throw Diagnostic(file: file, line: index + 1, message: "'{{' is not closed with '}}' on the same line")
                }
                let name = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
                guard Self.placeholders.contains(name) else {
                    let known = Self.placeholders.sorted().map { "{{\($0)}}" }.joined(separator: ", ")
                    throw Diagnostic(file: file, line: index + 1, message: "unknown placeholder {{\(name)}}; known: \(known)")
                }
                rest = rest[close.upperBound...]
            }
        }
        self.file = file
        self.text = text
    }

    /// The text with every placeholder replaced; values are inserted as they are, never re-scanned.
    public func render(_ values: [String: String]) -> String {
        var out = ""
        var rest = Substring(text)
        while let open = rest.range(of: "{{"), let close = rest[open.upperBound...].range(of: "}}") {
            out += rest[..<open.lowerBound]
            let name = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            out += values[name] ?? ""
            rest = rest[close.upperBound...]
        }
        return out + rest
    }
}

/// The system prompt of the LLM planners: `system.md` with `answer-style.md` inside, filled for one request.
public struct SystemPrompt: Sendable, Hashable {
    public var system: PromptTemplate
    public var answerStyle: PromptTemplate

    public init(system: PromptTemplate, answerStyle: PromptTemplate) {
        self.system = system
        self.answerStyle = answerStyle
    }

    /// The shipped prompts, each replaced by a file of the same name in `directory` when there is one.
    public static func load(overridesIn directory: URL?) throws(PromptTemplate.Diagnostic) -> SystemPrompt {
        func template(_ name: String) throws(PromptTemplate.Diagnostic) -> PromptTemplate {
            if let directory {
                let url = directory.appendingPathComponent(name)
                if let data = FileManager.default.contents(atPath: url.path) {
                    guard let text = String(data: data, encoding: .utf8) else {
                        throw PromptTemplate.Diagnostic(file: url.path, line: 1, message: "the file is not UTF-8 text")
                    }
                    return try PromptTemplate(text, file: url.path)
                }
            }
            let shipped = ShippedPrompts.all.first { $0.name == name }?.text ?? ""
            return try PromptTemplate(shipped, file: "Prompts/\(name)")
        }
        return SystemPrompt(system: try template("system.md"), answerStyle: try template("answer-style.md"))
    }

    /// The prompts compiled into the binary; a test checks them, so reading them cannot fail.
    public static let shipped: SystemPrompt = try! load(overridesIn: nil)

    public func render(_ context: PlanningContext) -> String {
        let w = context.workspace
        let zone = TimeZone(identifier: w.timezone) ?? TimeZone(secondsFromGMT: 7 * 3600)!
        let now = w.nowDate ?? Date()
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = zone
        formatter.dateFormat = "yyyy-MM-dd"
        let today = formatter.string(from: now)
        formatter.dateFormat = "EEEE"
        let weekday = formatter.string(from: now)
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mmxxx"
        var values = [
            "workspace.name": w.name, "workspace.timezone": w.timezone, "workspace.currency": w.currency,
            "workspace.language": w.language, "workspace.dateFormat": w.dateFormat,
            "now": formatter.string(from: now), "today": today, "weekday": weekday,
            "policy": context.policySummary.isEmpty ? "Every tool you are given may be called." : context.policySummary,
        ]
        values["answerStyle"] = answerStyle.render(values)
        return system.render(values)
    }
}
