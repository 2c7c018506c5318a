import AgentCore
import Crypto
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The installation's audit keys: an Ed25519 pair that signs checkpoints and an HMAC key for PII hashes.
///
/// Created on first use in the config folder with mode 0600; the public key
/// is also written beside them so it can be copied somewhere the machine
/// cannot rewrite.
public struct AuditKeys: Sendable {
    public let signing: Curve25519.Signing.PrivateKey
    public let hmac: SymmetricKey

    public init(signing: Curve25519.Signing.PrivateKey, hmac: SymmetricKey) {
        self.signing = signing
        self.hmac = hmac
    }

    public var publicKey: Curve25519.Signing.PublicKey { signing.publicKey }

    /// `ed25519:` and 16 hex digits of SHA-256 of the public key.
    public static func fingerprint(_ key: Curve25519.Signing.PublicKey) -> String {
        "ed25519:" + Hex.encode(SHA256.hash(data: key.rawRepresentation).prefix(8))
    }

    public static let signingFile = "audit-signing.key"
    public static let publicFile = "audit-signing.pub"
    public static let hmacFile = "audit-hmac.key"

    /// Loads the keys from `directory`, creating them (0600) if absent.
    public static func loadOrCreate(in directory: URL) throws -> AuditKeys {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        // Two processes starting at once must not both create keys: the first makes them, the second reads them.
        let lockPath = directory.appendingPathComponent(".audit-keys.lock").path
        let lock = open(lockPath, O_RDWR | O_CREAT, 0o600)
        guard lock >= 0 else { throw AuditError.io("cannot open \(lockPath): \(String(cString: strerror(errno)))") }
        defer { close(lock) }
        while flock(lock, LOCK_EX) != 0 {
            guard errno == EINTR else { throw AuditError.io("cannot lock \(lockPath): \(String(cString: strerror(errno)))") }
        }
        defer { flock(lock, LOCK_UN) }
        return try loadOrCreateLocked(in: directory)
    }

    static func loadOrCreateLocked(in directory: URL) throws -> AuditKeys {
        let signingURL = directory.appendingPathComponent(signingFile)
        let hmacURL = directory.appendingPathComponent(hmacFile)
        let signing: Curve25519.Signing.PrivateKey
        if let data = try? Data(contentsOf: signingURL) {
            guard let raw = Data(base64Encoded: String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)),
                let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: raw)
            else { throw AuditError.badKeyFile(signingURL.path) }
            signing = key
        } else {
            signing = Curve25519.Signing.PrivateKey()
            try writeSecret(signing.rawRepresentation.base64EncodedString() + "\n", to: signingURL)
            // The public file is the key pinned on first use: a later key never replaces it, so verify reports the change instead of trusting it.
            let publicURL = directory.appendingPathComponent(publicFile)
            if !FileManager.default.fileExists(atPath: publicURL.path) {
                try (signing.publicKey.rawRepresentation.base64EncodedString() + "\n").write(to: publicURL, atomically: true, encoding: .utf8)
            }
        }
        let hmac: SymmetricKey
        if let data = try? Data(contentsOf: hmacURL) {
            guard let raw = Data(base64Encoded: String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)), raw.count == 32 else {
                throw AuditError.badKeyFile(hmacURL.path)
            }
            hmac = SymmetricKey(data: raw)
        } else {
            hmac = SymmetricKey(size: .bits256)
            try writeSecret(hmac.withUnsafeBytes { Data($0) }.base64EncodedString() + "\n", to: hmacURL)
        }
        return AuditKeys(signing: signing, hmac: hmac)
    }

    /// Reads a public key file written by konektor (base64 of the raw 32 bytes).
    public static func publicKey(from url: URL) throws -> Curve25519.Signing.PublicKey {
        guard let text = try? String(contentsOf: url, encoding: .utf8), let raw = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)),
            let key = try? Curve25519.Signing.PublicKey(rawRepresentation: raw)
        else { throw AuditError.badKeyFile(url.path) }
        return key
    }

    static func writeSecret(_ text: String, to url: URL) throws {
        let fd = open(url.path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else { throw AuditError.io("cannot create \(url.path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var text = text
        let ok = text.withUTF8 { write(fd, $0.baseAddress, $0.count) == $0.count }
        guard ok, fsync(fd) == 0 else { throw AuditError.io("cannot write \(url.path): \(String(cString: strerror(errno)))") }
    }

    /// What a checkpoint signs.
    static func checkpointMessage(upTo seq: Int, head: String) -> Data {
        Data("konektor-audit-checkpoint:v1:\(seq):\(head)".utf8)
    }
}

/// Why the audit log could not be written or read.
public enum AuditError: Error, CustomStringConvertible {
    case io(String)
    case badKeyFile(String)
    case recordTooLarge(Int)

    public var description: String {
        switch self {
        case .io(let message): "audit log: \(message)"
        case .badKeyFile(let path): "audit log: \(path) is not a key file konektor wrote (base64 of the raw key)"
        case .recordTooLarge(let bytes): "audit log: a record of \(bytes) bytes is over the 1 MiB limit"
        }
    }
}
