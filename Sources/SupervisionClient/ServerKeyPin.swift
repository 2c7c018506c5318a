import AgentCore
import Crypto
import Foundation

/// The supervision server's decision key as this runtime trusts it: given explicitly, or pinned on first use.
///
/// `KONEKTOR_SERVER_PUBLIC_KEY` (base64 of the raw 32 bytes) wins; else the key is kept in
/// `$XDG_CONFIG_HOME/konektor/servers/<host>_<port>.pub`, written the first time the server is used and never
/// overwritten. A server that presents another key is refused: a decision is only as good as the key it is checked with.
public struct ServerKeyPin: Sendable {
    /// The pin file for this server.
    public var file: URL
    /// A key given explicitly (base64), which the server must present.
    public var explicit: String?

    public init(file: URL, explicit: String?) {
        self.file = file
        self.explicit = explicit
    }

    /// The pin file for a server origin in a config folder: `servers/<host>_<port>.pub`.
    public static func file(for server: ServiceURL, configDirectory: URL) -> URL {
        let port = server.port ?? (server.scheme == "https" ? 443 : 80)
        let host = server.host.map { $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" ? String($0) : "_" }.joined()
        return configDirectory.appendingPathComponent("servers").appendingPathComponent("\(host)_\(port).pub")
    }

    /// `keyId` as the server reports it: the first 16 hex digits of the SHA-256 of the raw key.
    public static func keyId(_ raw: Data) -> String { String(Hex.encode(Array(SHA256.hash(data: raw))).prefix(16)) }

    static func decode(_ base64: String, from place: String) throws -> Curve25519.Signing.PublicKey {
        guard let raw = Data(base64Encoded: base64.trimmingCharacters(in: .whitespacesAndNewlines)), raw.count == 32,
            let key = try? Curve25519.Signing.PublicKey(rawRepresentation: raw)
        else { throw SupervisionClientError.badKey(place) }
        return key
    }

    /// The key to verify decisions with, given the one the server presents now; pins it when nothing is pinned yet.
    public func check(served: String) throws -> Curve25519.Signing.PublicKey {
        let presented = try Self.decode(served, from: "the server's GET /v1/server")
        if let explicit {
            let trusted = try Self.decode(explicit, from: "KONEKTOR_SERVER_PUBLIC_KEY")
            guard trusted.rawRepresentation == presented.rawRepresentation else {
                throw SupervisionClientError.pinMismatch(presented: Self.keyId(presented.rawRepresentation), pinned: Self.keyId(trusted.rawRepresentation),
                                                         where: "KONEKTOR_SERVER_PUBLIC_KEY")
            }
            return trusted
        }
        if let data = FileManager.default.contents(atPath: file.path) {
            let trusted = try Self.decode(String(decoding: data, as: UTF8.self), from: file.path)
            guard trusted.rawRepresentation == presented.rawRepresentation else {
                throw SupervisionClientError.pinMismatch(presented: Self.keyId(presented.rawRepresentation), pinned: Self.keyId(trusted.rawRepresentation),
                                                         where: file.path)
            }
            return trusted
        }
        do {
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            // O_EXCL: two processes pinning at once agree on one file; the loser reads the winner's.
            let temporary = file.appendingPathExtension("tmp-\(getpid())")
            try Data((presented.rawRepresentation.base64EncodedString() + "\n").utf8).write(to: temporary)
            if link(temporary.path, file.path) != 0 {
                try? FileManager.default.removeItem(at: temporary)
                return try check(served: served)
            }
            try? FileManager.default.removeItem(at: temporary)
        } catch let error as SupervisionClientError {
            throw error
        } catch {
            throw SupervisionClientError.cannotPin(file.path, "\(error)")
        }
        return presented
    }
}
