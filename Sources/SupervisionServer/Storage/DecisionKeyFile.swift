import Crypto
import Foundation

/// The decision key in a file of its own (base64 of the raw 32 bytes), mode 0600, made once even when two servers start together.
enum DecisionKeyFile {
    static func loadOrCreate(_ url: URL) throws -> Curve25519.Signing.PrivateKey {
        if let key = try read(url) { return key }
        let key = Curve25519.Signing.PrivateKey()
        let descriptor = open(url.path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        if descriptor >= 0 {
            let text = key.rawRepresentation.base64EncodedString() + "\n"
            let written = text.withCString { write(descriptor, $0, strlen($0)) }
            close(descriptor)
            guard written == text.utf8.count else { throw SupervisionError.internal("cannot write the decision key \(url.path)") }
            return key
        }
        // Another process made it first: use theirs.
        guard let theirs = try read(url) else { throw SupervisionError.internal("cannot create the decision key \(url.path) (errno \(errno))") }
        return theirs
    }

    static func read(_ url: URL) throws -> Curve25519.Signing.PrivateKey? {
        guard let text = try? String(contentsOf: url, encoding: .utf8), !text.isEmpty else { return nil }
        guard let raw = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)),
            let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: raw)
        else { throw SupervisionError.internal("\(url.path) is not a decision key (base64 of a raw Ed25519 key)") }
        return key
    }
}
