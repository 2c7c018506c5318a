import Foundation
import Synchronization

/// Signed-in browser sessions, in memory: a random cookie value → the token it signed in with and its CSRF token.
///
/// Only the token's hash is kept, and every request looks the token up again,
/// so revoking it ends its web sessions too. A restart signs everyone out.
final class WebSessions: Sendable {
    struct Session: Sendable {
        var tokenHash: String
        var name: String
        var csrf: String
        var expiresAt: Date
    }

    let sessions = Mutex<[String: Session]>([:])
    static let lifetime: TimeInterval = 12 * 3600

    func create(tokenHash: String, name: String, now: Date) -> (id: String, session: Session) {
        let id = TokenIssuer.newToken().dropFirst(TokenIssuer.prefix.count)
        let session = Session(tokenHash: tokenHash, name: name, csrf: String(TokenIssuer.newToken().dropFirst(TokenIssuer.prefix.count)),
                              expiresAt: now.addingTimeInterval(Self.lifetime))
        sessions.withLock { all in
            all = all.filter { $0.value.expiresAt > now }
            all[String(id)] = session
        }
        return (String(id), session)
    }

    func session(_ id: String?, now: Date) -> Session? {
        guard let id else { return nil }
        return sessions.withLock { all in
            guard let session = all[id], session.expiresAt > now else { return nil }
            return session
        }
    }

    func end(_ id: String?) {
        guard let id else { return }
        _ = sessions.withLock { $0.removeValue(forKey: id) }
    }
}

/// Cookie helpers for the web page.
enum Cookies {
    static let session = "kss_session"
    static let csrf = "kss_csrf"

    static func parse(_ header: String?) -> [String: String] {
        var out: [String: String] = [:]
        for part in (header ?? "").split(separator: ";") {
            let pair = part.split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { continue }
            out[pair[0].trimmingCharacters(in: .whitespaces)] = pair[1].trimmingCharacters(in: .whitespaces)
        }
        return out
    }

    /// An HttpOnly, SameSite=Strict cookie for the whole site; `maxAge` 0 deletes it.
    static func set(_ name: String, _ value: String, maxAge: Int? = nil) -> (String, String) {
        var text = "\(name)=\(value); Path=/; HttpOnly; SameSite=Strict"
        if let maxAge { text += "; Max-Age=\(maxAge)" }
        return ("Set-Cookie", text)
    }
}
