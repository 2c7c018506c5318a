import AgentCore
import Foundation
import Synchronization

/// Replays a JSON file of planner steps in order: for tests, demos and red-team scenarios.
///
/// It is how the policy layer is shown to hold against a planner that does
/// the worst: the script proposes exactly the calls an attacker would, and
/// everything after the planner (validation, policy, confirmation, audit)
/// runs unchanged. A file:
///
/// ```json
/// {"steps": [
///   {"calls": [{"name": "listLeads", "arguments": {"search": "CRM-1024"}}]},
///   {"calls": [{"name": "updateLead", "arguments": {"id": "{{result.0.data.0.id}}", "status": "won"}}]},
///   {"calls": [{"name": "getLead", "arguments": "{\"id\": oops"}]},
///   {"answer": "Done."}
/// ]}
/// ```
///
/// `arguments` given as a string are read as a model's raw text (and may be
/// malformed on purpose). `{{result.N.path}}` in a string is replaced by a
/// value from the N-th result of the turn (dotted path, numbers index arrays).
/// When the steps run out, the planner answers that the script has ended.
public final class ScriptPlanner: Planner {
    public enum Step: Sendable, Hashable {
        case calls([ToolCall])
        case answer(String)
    }

    /// A problem in a script file, at a line.
    public struct Diagnostic: Error, CustomStringConvertible, Sendable {
        public var file: String
        public var line: Int
        public var message: String
        public var description: String { "\(file):\(line): error: \(message)" }
    }

    public let file: String
    public let steps: [Step]
    let position = Mutex(0)
    /// Every context the planner was given, so tests can show what a planner could and could not see.
    public let seen = Mutex<[PlanningContext]>([])

    public var name: String { "script:\((file as NSString).lastPathComponent)" }
    public var isLocal: Bool { true }

    public init(steps: [Step], file: String = "<script>") {
        self.steps = steps
        self.file = file
    }

    public convenience init(contentsOf path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Diagnostic(file: path, line: 1, message: "no readable file here")
        }
        try self.init(text: String(decoding: data, as: UTF8.self), file: path)
    }

    public convenience init(text: String, file: String) throws {
        let document = try Self.document(text, file: file)
        guard let list = document["steps"]?.arrayValue ?? document.arrayValue else {
            throw Diagnostic(file: file, line: 1, message: "expected {\"steps\": [...]} or a list of steps")
        }
        var steps: [Step] = []
        for (index, item) in list.enumerated() {
            let line = Self.line(ofItem: index, in: text)
            if let answer = item["answer"]?.stringValue {
                steps.append(.answer(answer))
                continue
            }
            guard let calls = item["calls"]?.arrayValue, !calls.isEmpty else {
                throw Diagnostic(file: file, line: line, message: "step \(index + 1) has neither \"answer\" (a string) nor \"calls\" (a non-empty list)")
            }
            var planned: [ToolCall] = []
            for (n, call) in calls.enumerated() {
                guard let name = call["name"]?.stringValue, !name.isEmpty else {
                    throw Diagnostic(file: file, line: line, message: "step \(index + 1), call \(n + 1) has no \"name\"")
                }
                let id = call["id"]?.stringValue ?? "script_\(index + 1)_\(n + 1)"
                switch call["arguments"] {
                case nil, .null?: planned.append(ToolCall(id: id, name: name, arguments: [:]))
                case .object(let object)?: planned.append(ToolCall(id: id, name: name, arguments: object))
                case .string(let raw)?: planned.append(ToolCall.fromModel(id: id, name: name, arguments: raw))
                default: throw Diagnostic(file: file, line: line, message: "step \(index + 1), call \(n + 1): \"arguments\" must be an object or a string")
                }
            }
            steps.append(.calls(planned))
        }
        self.init(steps: steps, file: file)
    }

    static func document(_ text: String, file: String) throws -> JSONValue {
        switch Result(catching: { try JSONValue(parsing: text) }) {
        case .success(let value): return value
        case .failure(let failure):
            let error = failure as? JSONParseError
            let line = text.utf8.prefix(error?.offset ?? 0).filter { $0 == UInt8(ascii: "\n") }.count + 1
            throw Diagnostic(file: file, line: line, message: "invalid JSON: \(error?.reason ?? "\(failure)")")
        }
    }

    /// The line where the `index`-th step starts, found by counting top-level items of the steps list.
    static func line(ofItem index: Int, in text: String) -> Int {
        var depth = 0, item = -1, line = 1, inString = false, escaped = false
        var listDepth: Int?
        for byte in text.utf8 {
            if byte == UInt8(ascii: "\n") { line += 1 }
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "["):
                depth += 1
                if listDepth == nil { listDepth = depth }
            case UInt8(ascii: "{"):
                depth += 1
                if depth == (listDepth ?? -1) + 1 {
                    item += 1
                    if item == index { return line }
                }
            case UInt8(ascii: "]"), UInt8(ascii: "}"): depth -= 1
            default: break
            }
        }
        return line
    }

    public func next(_ context: PlanningContext) async throws -> PlannerStep {
        seen.withLock { $0.append(context) }
        let index = position.withLock { p -> Int in
            defer { p += 1 }
            return p
        }
        guard steps.indices.contains(index) else { return .answer("(the script \(name) has no more steps)") }
        switch steps[index] {
        case .answer(let text): return .answer(text)
        case .calls(let calls):
            let results = context.results.map(\.outcome)
            return .calls(calls.map { call in
                var call = call
                call.arguments = JSONObject(call.arguments.map { ($0.0, Self.substitute($0.1, results: results)) })
                return call
            })
        }
    }

    /// Replaces `{{result.N.path}}` strings with values read from this turn's results.
    static func substitute(_ value: JSONValue, results: [CallOutcome]) -> JSONValue {
        guard case .string(let text) = value, text.hasPrefix("{{result."), text.hasSuffix("}}") else { return value }
        let path = text.dropFirst(2).dropLast(2).split(separator: ".").dropFirst()
        guard let n = path.first.flatMap({ Int($0) }), results.indices.contains(n), case .data(var current) = results[n] else { return value }
        for key in path.dropFirst() {
            if let i = Int(key) { current = current[i] ?? .null } else { current = current[String(key)] ?? .null }
        }
        return current
    }
}
