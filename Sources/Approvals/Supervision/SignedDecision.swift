import AgentCore
import Crypto
import Foundation

/// A person's decision about one action, signed by the supervision server's Ed25519 decision key.
///
/// The signature covers the action digest and the verdict, approver, note and
/// time (``statementBytes``). A runtime holds only the server's public key,
/// pinned on first use, so no process on the agent's machine can make one.
public struct SignedDecision: Sendable, Hashable {
    public enum Verdict: String, Sendable, Hashable, CaseIterable {
        case approved
        case rejected
    }

    public var digest: String
    public var verdict: Verdict
    /// The approving identity (the token's name) as the server authenticated it.
    public var approver: String
    public var note: String?
    public var decidedAt: Date
    /// Base64 of the 64-byte Ed25519 signature over ``statementBytes``.
    public var signature: String

    public init(digest: String, verdict: Verdict, approver: String, note: String?, decidedAt: Date, signature: String = "") {
        self.digest = digest
        self.verdict = verdict
        self.approver = approver
        self.note = note
        self.decidedAt = decidedAt
        self.signature = signature
    }

    /// The canonical JSON the signature covers; version 1.
    public var statementBytes: [UInt8] {
        let statement: JSONValue = [
            "v": 1, "digest": .string(digest), "verdict": .string(verdict.rawValue), "approver": .string(approver),
            "note": note.map(JSONValue.string) ?? .null, "decidedAt": .int(Int(PendingAction.millis(decidedAt))),
        ]
        return Array(statement.jsonString(.canonical).utf8)
    }

    /// This decision signed with the server's decision key.
    public func signed(with key: Curve25519.Signing.PrivateKey) throws -> SignedDecision {
        var copy = self
        copy.signature = try key.signature(for: Data(statementBytes)).base64EncodedString()
        return copy
    }

    /// Checks the signature against the pinned `publicKey` and the digest against the action about to be sent.
    ///
    /// Throws ``DecisionError`` naming what did not hold; a runtime sends nothing unless this returns.
    public func verify(publicKey: Curve25519.Signing.PublicKey, for action: PendingAction) throws(DecisionError) {
        guard let raw = Data(base64Encoded: signature), raw.count == 64 else { throw .malformedSignature }
        guard publicKey.isValidSignature(raw, for: Data(statementBytes)) else { throw .badSignature }
        let expected = ActionDigest(of: action).hex
        guard expected == digest else { throw .digestMismatch(expected: expected, signed: digest) }
    }

    /// The decision as the wire and the audit log carry it.
    public var jsonValue: JSONValue {
        [
            "digest": .string(digest), "verdict": .string(verdict.rawValue), "approver": .string(approver),
            "note": note.map(JSONValue.string) ?? .null,
            "decidedAt": .string(UTCTimestamp.format(millis: PendingAction.millis(decidedAt))), "signature": .string(signature),
        ]
    }

    /// Reads ``jsonValue``'s shape back; nil when a field is missing or of the wrong type.
    public init?(json: JSONValue) {
        guard let object = json.objectValue, let digest = object["digest"]?.stringValue,
            let verdict = object["verdict"]?.stringValue.flatMap(Verdict.init(rawValue:)),
            let approver = object["approver"]?.stringValue, let decided = object["decidedAt"]?.stringValue,
            let millis = UTCTimestamp.parseMillis(decided), let signature = object["signature"]?.stringValue
        else { return nil }
        self.init(digest: digest, verdict: verdict, approver: approver, note: object["note"]?.stringValue,
                  decidedAt: Date(timeIntervalSince1970: Double(millis) / 1000), signature: signature)
    }
}

/// Why a decision was not accepted by the runtime about to send the action.
public enum DecisionError: Error, Sendable, Hashable, CustomStringConvertible {
    case malformedSignature
    case badSignature
    case digestMismatch(expected: String, signed: String)
    case notApproved(SignedDecision.Verdict)
    case missing

    public var description: String {
        switch self {
        case .malformedSignature: "the decision's signature is not a base64 Ed25519 signature; nothing was sent"
        case .badSignature: "the decision is not signed by the pinned supervision server key; nothing was sent"
        case .digestMismatch(let expected, let signed):
            "the decision was signed for another action (digest \(signed.prefix(12))…, this action is \(expected.prefix(12))…); nothing was sent"
        case .notApproved(let verdict): "the action was \(verdict.rawValue), not approved; nothing was sent"
        case .missing: "the action carries no signed decision; nothing was sent"
        }
    }
}
