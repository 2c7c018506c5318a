import AgentCore
import MCP

/// Asks the person behind an MCP client before a write, through elicitation: the exact request, current → new values.
///
/// Accept sends the write once; decline, cancel, an error or no answer send nothing. Accepting with
/// `always` confirms the tool's later writes for the rest of this MCP session (recorded as a grant).
public struct ElicitationConfirmer: Confirmer {
    /// Sends one elicitation request to this MCP session's client and waits for the answer.
    let ask: @Sendable (String, Elicitation.RequestSchema) async throws -> CreateElicitation.Result

    public init(ask: @escaping @Sendable (String, Elicitation.RequestSchema) async throws -> CreateElicitation.Result) {
        self.ask = ask
    }

    init(server: Server) {
        self.init { message, schema in try await server.requestElicitation(message: message, requestedSchema: schema) }
    }

    public func confirm(_ preview: WritePreview) async -> ConfirmationAnswer {
        guard let result = try? await ask(Self.message(preview), Self.schema(preview)) else { return .no }
        switch result.action {
        case .accept: return result.content?["always"]?.boolValue == true ? .always : .yes
        case .decline, .cancel: return .no
        }
    }

    /// The question: what will be sent, field by field with the current value beside the new one, and why it is asked.
    public static func message(_ preview: WritePreview) -> String {
        var text = "konektor: \(preview.tool) will change data in your Konektor workspace.\n\(preview.method) \(preview.path)\n"
        for (key, value) in preview.body ?? [:] {
            let before = preview.current?[key].map { show($0) + " → " } ?? ""
            text += "  \(key): \(before)\(show(value))\n"
        }
        text += "(\(preview.reason))\nAccept to send it once; decline or cancel to send nothing."
        return text
    }

    public static func schema(_ preview: WritePreview) -> Elicitation.RequestSchema {
        Elicitation.RequestSchema(
            title: "Confirm \(preview.tool)",
            description: "Send \(preview.method) \(preview.path)?",
            properties: [
                "always": .object([
                    "type": .string("boolean"), "default": .bool(false),
                    "description": .string("Also send later \(preview.tool) writes in this session without asking"),
                ])
            ],
            required: [])
    }

    static func show(_ value: JSONValue) -> String { value.stringValue ?? value.jsonString() }
}
