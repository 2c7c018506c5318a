import AgentCore
import Crypto
import Foundation

/// Makes token texts (`kst_` + 32 random bytes, base64url) and the hashes the store keeps of them.
public enum TokenIssuer {
    public static let prefix = "kst_"

    /// A new token text; shown once, never stored.
    public static func newToken() -> String {
        let key = SymmetricKey(size: .bits256)
        let bytes = key.withUnsafeBytes { Data($0) }
        return prefix + base64URL(bytes)
    }

    /// The lowercase hex SHA-256 of a token text, as the store keeps it.
    public static func hash(_ token: String) -> String {
        Hex.encode(Array(SHA256.hash(data: Data(token.utf8))))
    }

    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// A random identifier with a prefix (`run_…`), 16 lowercase base32 characters.
    static func identifier(_ prefix: String) -> String {
        let alphabet = Array("abcdefghijkmnpqrstuvwxyz23456789")
        var generator = SystemRandomNumberGenerator()
        return prefix + String((0..<16).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] })
    }
}
