/// What one MCP session may send konektor, beyond what the policy limits.
public struct MCPLimits: Sendable, Hashable {
    /// Bytes of one call's arguments (as JSON); a larger call is refused before the gate, and recorded.
    public var argumentBytes: Int
    /// Bytes of one HTTP request body; a larger one is answered 413 without being read further.
    public var requestBytes: Int
    /// Seconds between calls that end a turn (see ``TurnWindow``).
    public var turnGap: Double

    public init(argumentBytes: Int = 64 * 1024, requestBytes: Int = 1024 * 1024, turnGap: Double = 10) {
        self.argumentBytes = argumentBytes
        self.requestBytes = requestBytes
        self.turnGap = turnGap
    }
}
