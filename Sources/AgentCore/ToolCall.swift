/// A planner's request to call one tool with arguments.
///
/// Arguments are one flat object: path, query and body parameters share a
/// namespace, as tool-calling APIs expect. The catalog splits them again.
public struct ToolCall: Sendable, Hashable {
    /// The planner's id for the call, echoed back with its result.
    public var id: String
    public var name: String
    public var arguments: JSONObject
    /// The arguments as the planner wrote them, when they were not a JSON object; such a call is never run.
    public var malformedArguments: String?

    public init(id: String, name: String, arguments: JSONObject, malformedArguments: String? = nil) {
        self.id = id
        self.name = name
        self.arguments = arguments
        self.malformedArguments = malformedArguments
    }
}
