import AgentCore

extension Catalog {
    /// The `tools` array for OpenAI Chat Completions (`{"type": "function", "function": …}`).
    public func openAITools(only names: Set<String>? = nil) -> JSONValue {
        .array(selectedTools(names).map { endpoint in
            [
                "type": "function",
                "function": [
                    "name": .string(endpoint.toolName),
                    "description": .string(Self.toolDescription(for: endpoint)),
                    "parameters": Self.inputSchema(for: endpoint, compact: true, includeDialect: false),
                ],
            ]
        })
    }

    /// The `tools` array for the Anthropic Messages API (`name`, `description`, `input_schema`).
    public func anthropicTools(only names: Set<String>? = nil) -> JSONValue {
        .array(selectedTools(names).map { endpoint in
            [
                "name": .string(endpoint.toolName),
                "description": .string(Self.toolDescription(for: endpoint)),
                "input_schema": Self.inputSchema(for: endpoint, compact: true, includeDialect: false),
            ]
        })
    }

    func selectedTools(_ names: Set<String>?) -> [Endpoint] {
        tools.filter { names?.contains($0.toolName) ?? true }
    }
}
