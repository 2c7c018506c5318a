import AgentCore
import Foundation
import MCP

extension JSONValue {
    /// The same value as the MCP SDK's `Value` (object keys keep their order on the way out; MCP objects have none).
    var mcpValue: MCP.Value {
        switch self {
        case .null: MCP.Value.null
        case .bool(let b): MCP.Value.bool(b)
        case .int(let i): MCP.Value.int(i)
        case .double(let d): MCP.Value.double(d)
        case .string(let s): MCP.Value.string(s)
        case .array(let items): MCP.Value.array(items.map(\.mcpValue))
        case .object(let object):
            MCP.Value.object(Dictionary(object.map { ($0.key, $0.value.mcpValue) }, uniquingKeysWith: { a, _ in a }))
        }
    }

    /// An MCP value as JSON; binary data becomes its base64 text, as it travels in JSON.
    init(mcp value: MCP.Value) {
        switch value {
        case .null: self = .null
        case .bool(let b): self = .bool(b)
        case .int(let i): self = .int(i)
        case .double(let d): self = .double(d)
        case .string(let s): self = .string(s)
        case .data(mimeType: _, let data): self = .string(data.base64EncodedString())
        case .array(let items): self = .array(items.map(JSONValue.init(mcp:)))
        // Sorted keys: the same arguments always make the same audit record.
        case .object(let object): self = .object(JSONObject(object.sorted { $0.key < $1.key }.map { ($0.key, JSONValue(mcp: $0.value)) }))
        }
    }
}
