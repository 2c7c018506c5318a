/// A person's "always" answer for a tool in one session: later writes of that tool are confirmed by it, and the log says so.
public struct AlwaysGrant: Sendable, Hashable {
    public var tool: String
    /// The seq of the confirmation record where "always" was answered (nil without an audit log).
    public var seq: Int?
    /// When it was granted (UTC, ISO 8601).
    public var time: String

    public init(tool: String, seq: Int?, time: String) {
        self.tool = tool
        self.seq = seq
        self.time = time
    }
}
