import MCP

/// Who is at the other end of one MCP session, as its `initialize` request said.
public struct MCPClientIdentity: Sendable, Hashable {
    public var name: String
    public var version: String
    /// Whether the client can ask its person a question (`elicitation` in its capabilities): only then can a write be confirmed.
    public var supportsElicitation: Bool

    public init(name: String, version: String, supportsElicitation: Bool) {
        self.name = name
        self.version = version
        self.supportsElicitation = supportsElicitation
    }

    init(_ info: Client.Info, _ capabilities: Client.Capabilities) {
        self.init(name: info.name, version: info.version, supportsElicitation: capabilities.elicitation != nil)
    }

    /// The name the audit log records as the session's planner: the client's model planned every call.
    public var plannerName: String {
        "mcp:\(Self.clean(name))/\(Self.clean(version))"
    }

    /// A client-chosen string cut to something a log line can hold: printable, no spaces, at most 64 characters.
    static func clean(_ text: String) -> String {
        let kept = text.unicodeScalars.filter { $0.value > 0x20 && $0.value < 0x7F && $0 != "/" }
        let value = String(String.UnicodeScalarView(kept.prefix(64)))
        return value.isEmpty ? "unknown" : value
    }
}
