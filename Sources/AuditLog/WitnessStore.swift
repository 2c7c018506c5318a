import Crypto
import Foundation

/// Where a witness keeps the checkpoints logs sent it: the latest per origin, never rolled back, never forked.
///
/// One folder per origin holds `log.pub` (the log's key, pinned on the first
/// push), `checkpoint` (the latest note with the log's signature and this
/// witness's cosignature) and `history/SIZE.note`. A file witness is this
/// store on a path the pushing machine can write but its user should not be
/// able to rewrite (another machine's share, WORM storage); `konektor audit
/// witness serve` is this store behind HTTP on another machine, and so will be
/// the supervision server.
public struct WitnessStore: Sendable {
    public let directory: URL
    /// The witness's own name and key; nil for a plain file witness (it stores, it does not cosign).
    public let name: String?
    public let key: Curve25519.Signing.PrivateKey?
    public let now: @Sendable () -> Date

    public init(directory: URL, name: String? = nil, key: Curve25519.Signing.PrivateKey? = nil, now: @escaping @Sendable () -> Date = { Date() }) {
        self.directory = directory
        self.name = name
        self.key = key
        self.now = now
    }

    /// Why a witness refused a checkpoint.
    public enum Refusal: Error, CustomStringConvertible, Sendable {
        case unreadable(String)
        case badSignature(origin: String)
        case otherKey(origin: String)
        case rollback(origin: String, had: Int, got: Int)
        case fork(origin: String, size: Int)

        public var description: String {
            switch self {
            case .unreadable(let message): message
            case .badSignature(let origin): "the checkpoint is not signed by the key of \(origin)"
            case .otherKey(let origin): "\(origin) was first pushed with another public key; the witness keeps the first"
            case .rollback(let origin, let had, let got): "the witness holds \(origin) at size \(had); a checkpoint of size \(got) would roll it back (the log was cut)"
            case .fork(let origin, let size): "the witness holds another root hash for \(origin) at size \(size): the log was rewritten"
            }
        }
    }

    func folder(_ origin: String) -> URL {
        directory.appendingPathComponent(origin.map { $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" ? $0 : "_" }.reduce(into: "") { $0.append($1) })
    }

    /// Checks and stores a signed checkpoint; returns the note as stored (with this witness's cosignature when it has a key).
    public func accept(_ text: String, logKey: Curve25519.Signing.PublicKey) throws -> String {
        let (note, signatures) = try parseNote(text)
        guard note.origin == CheckpointNote.origin(for: logKey) else { throw Refusal.otherKey(origin: note.origin) }
        guard note.isSigned(by: logKey, in: signatures) else { throw Refusal.badSignature(origin: note.origin) }
        let folder = folder(note.origin)
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("history"), withIntermediateDirectories: true)
        let pinned = folder.appendingPathComponent("log.pub")
        if let existing = try? AuditKeys.publicKey(from: pinned) {
            guard existing.rawRepresentation == logKey.rawRepresentation else { throw Refusal.otherKey(origin: note.origin) }
        } else {
            try (logKey.rawRepresentation.base64EncodedString() + "\n").write(to: pinned, atomically: true, encoding: .utf8)
        }
        if let latest = try latest(origin: note.origin) {
            if note.size < latest.note.size { throw Refusal.rollback(origin: note.origin, had: latest.note.size, got: note.size) }
            if note.size == latest.note.size, note.rootHash != latest.note.rootHash { throw Refusal.fork(origin: note.origin, size: note.size) }
        }
        if let earlier = try? String(contentsOf: folder.appendingPathComponent("history/\(note.size).note"), encoding: .utf8),
            let (old, _) = try? CheckpointNote.parse(earlier), old.rootHash != note.rootHash {
            throw Refusal.fork(origin: note.origin, size: note.size)
        }
        var stored = note.signed(keeping: signatures.filter { $0.name == note.origin })
        if let name, let key {
            stored += try note.cosignature(name: name, key: key, time: UInt64(now().timeIntervalSince1970))
        }
        try stored.write(to: folder.appendingPathComponent("history/\(note.size).note"), atomically: true, encoding: .utf8)
        try stored.write(to: folder.appendingPathComponent("checkpoint"), atomically: true, encoding: .utf8)
        return stored
    }

    func parseNote(_ text: String) throws -> (note: CheckpointNote, signatures: [CheckpointNote.Signature]) {
        do { return try CheckpointNote.parse(text) } catch { throw Refusal.unreadable("\(error)") }
    }

    /// The latest checkpoint held for `origin`, as stored.
    public func latest(origin: String) throws -> (note: CheckpointNote, signatures: [CheckpointNote.Signature], text: String)? {
        guard let text = try? String(contentsOf: folder(origin).appendingPathComponent("checkpoint"), encoding: .utf8) else { return nil }
        let (note, signatures) = try parseNote(text)
        return (note, signatures, text)
    }
}

extension CheckpointNote {
    /// The note with these signature lines.
    func signed(keeping signatures: [Signature]) -> String {
        body + "\n" + signatures.map { Self.line(name: $0.name, bytes: $0.bytes) }.joined()
    }
}
