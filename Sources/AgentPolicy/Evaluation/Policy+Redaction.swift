import AgentCore

extension Policy {
    /// The planner's view of a result: every field the policy redacts is replaced, at any depth.
    ///
    /// The field stays, with the value `"[redacted]"`, so the planner can say
    /// that a value exists without seeing it.
    public func redactForPlanner(_ value: JSONValue) -> JSONValue {
        guard !redact.isEmpty else { return value }
        return Self.replace(value, fields: redact) { $0 == .null ? .null : "[redacted]" }
    }

    static func replace(_ value: JSONValue, fields: Set<String>, with transform: (JSONValue) -> JSONValue) -> JSONValue {
        switch value {
        case .object(let object):
            var out = JSONObject()
            for (key, child) in object {
                out[key] = fields.contains(key) ? transform(child) : replace(child, fields: fields, with: transform)
            }
            return .object(out)
        case .array(let items):
            return .array(items.map { replace($0, fields: fields, with: transform) })
        default:
            return value
        }
    }
}
