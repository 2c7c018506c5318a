import AgentCore

/// Why a tool call was refused before any I/O, in the shape of the API's VALIDATION_ERROR.
public struct ValidationError: Error, Sendable, Hashable, CustomStringConvertible {
    public var tool: String
    /// One message per argument, keyed by argument name, as the API's `details`.
    public var details: JSONObject

    public init(tool: String, details: JSONObject) {
        self.tool = tool
        self.details = details
    }

    /// The message for one argument.
    public func message(for argument: String) -> String? { details[argument]?.stringValue }

    public var description: String {
        let parts = details.map { "\($0.key): \($0.value.stringValue ?? $0.value.jsonString())" }
        return "invalid arguments for \(tool): " + parts.joined(separator: "; ")
    }
}
