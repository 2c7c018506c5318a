import AgentCore

extension Catalog {
    /// The JSON Schema (2020-12) of a tool's input: one flat object of its path, query and body arguments.
    ///
    /// With `compact`, descriptions drop what the schema already says
    /// (enum lists, bounds, defaults) so tool definitions stay small.
    public static func inputSchema(for endpoint: Endpoint, compact: Bool = false, includeDialect: Bool = true) -> JSONValue {
        var properties = JSONObject()
        var required: [JSONValue] = []
        for parameter in endpoint.parameters {
            properties[parameter.name] = .object(schema(for: parameter, compact: compact))
            if parameter.required { required.append(.string(parameter.name)) }
        }
        var schema = JSONObject()
        if includeDialect { schema["$schema"] = "https://json-schema.org/draft/2020-12/schema" }
        schema["type"] = "object"
        schema["properties"] = .object(properties)
        if !required.isEmpty { schema["required"] = .array(required) }
        schema["additionalProperties"] = false
        return .object(schema)
    }

    /// The schema of one parameter's value.
    public static func schema(for parameter: Parameter, compact: Bool = false) -> JSONObject {
        var s = JSONObject()
        switch parameter.type {
        case .integer: s["type"] = "integer"
        case .number: s["type"] = "number"
        case .string: s["type"] = "string"
        case .uuid: s["type"] = "string"; s["format"] = "uuid"
        case .dateTime: s["type"] = "string"; s["format"] = "date-time"
        }
        if let format = parameter.format { s["format"] = .string(format) }
        let description = compact ? compactDescription(parameter.description) : parameter.description
        if !description.isEmpty { s["description"] = .string(description) }
        if let values = parameter.enumValues { s["enum"] = .array(values.map(JSONValue.string)) }
        if let min = parameter.minimum { s["minimum"] = number(min) }
        if let max = parameter.maximum { s["maximum"] = number(max) }
        if let min = parameter.minLength { s["minLength"] = .int(min) }
        if let max = parameter.maxLength { s["maxLength"] = .int(max) }
        if let value = parameter.defaultValue { s["default"] = value }
        if parameter.location == .path {
            // One path segment: not empty, not `.` or `..`, no slash, backslash or control character.
            s["minLength"] = .int(max(parameter.minLength ?? 1, 1))
            s["pattern"] = "^(?!\\.\\.?$)[^/\\\\\\u0000-\\u001f\\u007f]+$"
        }
        return s
    }

    static func number(_ d: Double) -> JSONValue {
        d.rounded() == d && abs(d) < 9e15 ? .int(Int(d)) : .double(d)
    }

    /// "Filter by status: pageview, new, …" → "Filter by status"; "Items per page (1–100, default: 50)" → "Items per page".
    static func compactDescription(_ text: String) -> String {
        var outside = ParserState.splitParentheses(text).outside
        if let colon = outside.firstIndex(of: ":") { outside = String(outside[..<colon]) }
        return outside.trimmingWhitespaceString()
    }

    /// One line that tells a model what a tool does and whether it writes.
    ///
    /// Paths and scopes stay out: the model needs neither, and every byte is paid for on every turn.
    public static func toolDescription(for endpoint: Endpoint) -> String {
        "\(endpoint.title) (\(endpoint.isWrite ? "writes" : "read-only"))."
    }
}
