import AgentCore
import Foundation

/// One entry of the server's own audit trail: what happened to which action, by whom.
public struct ServerEvent: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case proposed, approved, rejected, expired, claimed, executed, failed
        case tokenCreated = "token-created"
        case tokenRevoked = "token-revoked"
    }

    /// Assigned by the store, increasing.
    public var seq: Int64
    public var time: Date
    public var kind: Kind
    public var run: String?
    public var action: Int?
    public var identity: String
    public var data: JSONValue

    public init(seq: Int64 = 0, time: Date, kind: Kind, run: String?, action: Int?, identity: String, data: JSONValue = .null) {
        self.seq = seq
        self.time = time
        self.kind = kind
        self.run = run
        self.action = action
        self.identity = identity
        self.data = data
    }

    public var jsonValue: JSONValue {
        [
            "seq": .int(Int(seq)), "time": .string(UTCTimestamp.format(millis: Int64((time.timeIntervalSince1970 * 1000).rounded(.down)))),
            "kind": .string(kind.rawValue), "run": run.map(JSONValue.string) ?? .null, "action": action.map(JSONValue.int) ?? .null,
            "identity": .string(identity), "data": data,
        ]
    }
}
