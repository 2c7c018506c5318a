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

    /// The key as a secret to scrub, shown by its fingerprint.
    public var scrubbed: SecretScrubber.Secret {
        SecretScrubber.Secret(name: "KONEKTOR_API_KEY", value: secret, replacement: "[\(fingerprint)]")
    }

    /// Removes the key, in every form it takes in text, from text that might carry it back.
    public func scrub(_ text: String) -> String { SecretScrubber([scrubbed]).scrub(text) }
}
