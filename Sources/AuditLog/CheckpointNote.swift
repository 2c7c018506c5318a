import AgentCore
import Crypto
import Foundation

/// A log checkpoint in the C2SP shape (`c2sp.org/tlog-checkpoint` in a `c2sp.org/signed-note`), so standard tooling can read it.
///
/// ```
/// konektor.audit/ed25519:3f2b8c1e9d4a4e6b   ← origin (the log's key fingerprint)
/// 1042                                       ← size: records 1…1042 (the last is a signed checkpoint record)
/// q1Gk…=                                     ← root hash: base64 of that record's SHA-256 chain hash
///
/// — konektor.audit/ed25519:3f2b8c1e9d4a4e6b AbCd…   ← Ed25519 signature (4-byte key id + 64 bytes)
/// — witness.example wXyZ…                           ← a witness's cosignature (c2sp.org/tlog-cosignature)
/// ```
/// The "root hash" of this log is the hash chain's head at `size`, not a
/// Merkle tree root: a checkpoint proves the log up to `size`, consistency
/// between two checkpoints is checked by reading the log between them.
public struct CheckpointNote: Sendable, Equatable {
    public var origin: String
    public var size: Int
    public var rootHash: Data

    public init(origin: String, size: Int, rootHash: Data) {
        self.origin = origin
        self.size = size
        self.rootHash = rootHash
    }

    /// The origin line of a log signed with `key`.
    public static func origin(for key: Curve25519.Signing.PublicKey) -> String { "konektor.audit/" + AuditKeys.fingerprint(key) }

    /// The note's text: what the log's signature and a witness's cosignature cover.
    public var body: String { "\(origin)\n\(size)\n\(rootHash.base64EncodedString())\n" }

    /// The chain hash in the hex form the log writes.
    public var rootHashHex: String { Hex.encode(rootHash) }

    /// A signed note's key id: the first 4 bytes of SHA-256(name, "\n", algorithm byte, public key).
    static func keyID(name: String, algorithm: UInt8, key: Curve25519.Signing.PublicKey) -> Data {
        var data = Data(name.utf8)
        data.append(0x0A)
        data.append(algorithm)
        data.append(key.rawRepresentation)
        return Data(SHA256.hash(data: data).prefix(4))
    }

    static let ed25519: UInt8 = 0x01
    static let cosignatureV1: UInt8 = 0x04

    /// The note signed by the log's key (named by the origin).
    public func signed(with key: Curve25519.Signing.PrivateKey) throws -> String {
        let signature = try key.signature(for: Data(body.utf8))
        return body + "\n" + Self.line(name: origin, bytes: Self.keyID(name: origin, algorithm: Self.ed25519, key: key.publicKey) + signature)
    }

    static func line(name: String, bytes: Data) -> String { "— \(name) \(bytes.base64EncodedString())\n" }

    /// A witness's cosignature line over this checkpoint at `time` (Unix seconds).
    public func cosignature(name: String, key: Curve25519.Signing.PrivateKey, time: UInt64) throws -> String {
        let signature = try key.signature(for: Self.cosignedMessage(body: body, time: time))
        var timestamp = Data(count: 8)
        for i in 0..<8 { timestamp[i] = UInt8((time >> (56 - 8 * UInt64(i))) & 0xFF) }
        return Self.line(name: name, bytes: Self.keyID(name: name, algorithm: Self.cosignatureV1, key: key.publicKey) + timestamp + signature)
    }

    static func cosignedMessage(body: String, time: UInt64) -> Data { Data("cosignature/v1\ntime \(time)\n\(body)".utf8) }

    /// One signature line of a note.
    public struct Signature: Sendable, Equatable {
        public var name: String
        public var bytes: Data
    }

    /// Why a note could not be read.
    public struct ParseError: Error, CustomStringConvertible, Sendable {
        public var message: String
        public var description: String { "not a C2SP checkpoint note: \(message)" }
    }

    /// Reads a signed note: the checkpoint and its signature lines.
    public static func parse(_ text: String) throws -> (note: CheckpointNote, signatures: [Signature]) {
        guard let split = text.range(of: "\n\n") else { throw ParseError(message: "no blank line before the signatures") }
        let body = String(text[..<split.lowerBound]) + "\n"
        let lines = body.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        guard lines.count >= 3, !lines[0].isEmpty, let size = Int(lines[1]), size >= 0, let root = Data(base64Encoded: String(lines[2])), root.count == 32 else {
            throw ParseError(message: "the first three lines must be origin, size and a base64 SHA-256 root hash")
        }
        var signatures: [Signature] = []
        for line in text[split.upperBound...].split(separator: "\n") {
            let parts = line.split(separator: " ")
            guard parts.count == 3, parts[0] == "—", let bytes = Data(base64Encoded: String(parts[2])), bytes.count > 4 else {
                throw ParseError(message: "a signature line must be '— NAME BASE64'")
            }
            signatures.append(Signature(name: String(parts[1]), bytes: bytes))
        }
        return (CheckpointNote(origin: String(lines[0]), size: size, rootHash: root), signatures)
    }

    /// Whether one of `signatures` is the log key's signature of this note.
    public func isSigned(by key: Curve25519.Signing.PublicKey, in signatures: [Signature]) -> Bool {
        let id = Self.keyID(name: origin, algorithm: Self.ed25519, key: key)
        return signatures.contains { $0.name == origin && $0.bytes.prefix(4) == id && key.isValidSignature($0.bytes.dropFirst(4), for: Data(body.utf8)) }
    }

    /// The time of a valid cosignature by the witness `name` with `key`, or nil.
    public func cosignatureTime(name: String, key: Curve25519.Signing.PublicKey, in signatures: [Signature]) -> UInt64? {
        let id = Self.keyID(name: name, algorithm: Self.cosignatureV1, key: key)
        for s in signatures where s.name == name && s.bytes.count == 4 + 8 + 64 && s.bytes.prefix(4) == id {
            let time = s.bytes.dropFirst(4).prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            if key.isValidSignature(s.bytes.suffix(64), for: Self.cosignedMessage(body: body, time: time)) { return time }
        }
        return nil
    }
}
