import Foundation

/// A supervision token as stored: its name (the identity it authenticates), the SHA-256 of its text, scopes and life.
public struct TokenRecord: Sendable, Hashable {
    public var name: String
    /// Lowercase hex SHA-256 of the token text; the text itself is never stored.
    public var hash: String
    public var scopes: Set<TokenScope>
    public var createdAt: Date
    public var revokedAt: Date?

    public init(name: String, hash: String, scopes: Set<TokenScope>, createdAt: Date, revokedAt: Date? = nil) {
        self.name = name
        self.hash = hash
        self.scopes = scopes
        self.createdAt = createdAt
        self.revokedAt = revokedAt
    }

    public var isRevoked: Bool { revokedAt != nil }

    /// Scopes as stored in one text column, sorted: `agents:approve,agents:read`.
    var scopeText: String { scopes.sorted().map(\.rawValue).joined(separator: ",") }

    static func scopes(from text: String) -> Set<TokenScope> {
        Set(text.split(separator: ",").compactMap { TokenScope(rawValue: String($0)) })
    }
}
