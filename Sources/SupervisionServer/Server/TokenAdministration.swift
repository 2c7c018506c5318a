import Foundation

/// `konektor server token create|list|revoke`, over a store, without a running server.
public enum TokenAdministration {
    /// Creates a token and returns its text, which is never stored or shown again.
    public static func create(name: String, scopes: Set<TokenScope>, in store: any SupervisionStore, now: Date = Date()) async throws -> String {
        guard !name.isEmpty, name.count <= 100, name.allSatisfy({ $0.isLetter || $0.isNumber || "-_.@".contains($0) }) else {
            throw SupervisionError.validation(["name": "1–100 letters, digits, - _ . @"], message: "invalid token name \(name)")
        }
        guard !scopes.isEmpty else { throw SupervisionError.validation(["scope": .string("at least one of \(TokenScope.allCases.map(\.rawValue).joined(separator: ", "))")]) }
        let text = TokenIssuer.newToken()
        try await store.createToken(TokenRecord(name: name, hash: TokenIssuer.hash(text), scopes: scopes, createdAt: now))
        return text
    }
}
