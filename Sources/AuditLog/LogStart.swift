import AgentCore
import Crypto
import Foundation

/// The first record of a log: it pins the signing key the log's checkpoints must carry.
public enum LogStart {
    public static let kind = "log-start"
    /// Logs that begin with this record also promise a checkpoint right after every `session-end`.
    public static let format = 2

    static func data(for key: Curve25519.Signing.PublicKey) -> JSONObject {
        [
            "format": .int(format), "publicKey": .string(key.rawRepresentation.base64EncodedString()),
            "keyFingerprint": .string(AuditKeys.fingerprint(key)),
        ]
    }
}
