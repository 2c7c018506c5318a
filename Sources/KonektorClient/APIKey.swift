import AgentCore
import Crypto
import Foundation

/// An API key that cannot be printed: its description, debug description and any interpolation show a fingerprint.
public struct APIKey: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    let secret: String

    public init(_ secret: String) { self.secret = secret }

    /// A stable, non-reversible name for the key: `sha256:` and the first 12 hex digits of its hash.
    public var fingerprint: String {
        "sha256:" + Hex.encode(SHA256.hash(data: Data(secret.utf8)).prefix(6))
    }

    public var description: String { "API key \(fingerprint)" }
    public var debugDescription: String { description }

    var authorizationValue: String { "Bearer \(secret)" }

    /// Removes the key from text that might carry it back (a server echoing a header, an error message).
    public func scrub(_ text: String) -> String {
        guard !secret.isEmpty else { return text }
        return text.replacingOccurrences(of: secret, with: "[\(fingerprint)]")
    }
}
