import AgentCore
import Crypto
import Foundation

/// The SHA-256 digest of everything a decision about an action binds to.
///
/// A person approves *this* request — method, path, query, body, the lead's
/// values they were shown, under this policy, proposed by this identity, until
/// this instant — and nothing else. The supervision server signs the digest in
/// its decision; the runtime that sends the action recomputes it from the call
/// it is about to send, so a stored row edited after the decision (or a
/// decision for another action) no longer matches and is refused.
public struct ActionDigest: Sendable, Hashable, CustomStringConvertible {
    /// Lowercase hex of the SHA-256 of ``canonicalBytes(of:)``.
    public let hex: String

    public init(hex: String) { self.hex = hex }

    /// The digest of `action`'s bound fields.
    public init(of action: PendingAction) {
        hex = Hex.encode(Array(SHA256.hash(data: Self.canonicalBytes(of: action))))
    }

    public var description: String { hex }

    /// The canonical JSON (sorted keys, no insignificant space) the digest covers; version 1.
    ///
    /// `identity` is the server-assigned proposer identity (the token's name);
    /// empty in local mode. Times are whole milliseconds since 1970.
    public static func canonicalBytes(of action: PendingAction) -> [UInt8] {
        let bound: JSONValue = [
            "v": 1,
            "run": .string(action.run), "action": .int(action.index),
            "tool": .string(action.tool), "arguments": .object(action.arguments),
            "method": .string(action.method), "path": .string(action.path),
            "query": action.query.map(JSONValue.object) ?? .null,
            "body": action.body.map(JSONValue.object) ?? .null,
            "current": action.current.map(JSONValue.object) ?? .null,
            "policy": ["name": .string(action.policyName), "hash": .string(action.policyHash)],
            "proposer": [
                "user": .string(action.proposer.user), "host": .string(action.proposer.host),
                "session": .string(action.proposer.session), "identity": .string(action.proposer.identity),
            ],
            "baseURL": .string(action.baseURL), "keyFingerprint": .string(action.keyFingerprint),
            "expiresAt": .int(Int(PendingAction.millis(action.expiresAt))),
        ]
        return Array(bound.jsonString(.canonical).utf8)
    }
}
