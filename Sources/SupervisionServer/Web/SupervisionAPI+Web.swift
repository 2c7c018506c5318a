import AgentCore
import Approvals
import Foundation

extension SupervisionAPI {
    func cookies(_ request: HTTPExchange.Request) -> [String: String] { Cookies.parse(request.header("cookie")) }

    /// The signed-in person, re-checked against the store (a revoked token ends the session).
    func webCaller(_ request: HTTPExchange.Request) async throws -> (Caller, WebSessions.Session)? {
        let id = cookies(request)[Cookies.session]
        guard let session = sessions.session(id, now: now()) else { return nil }
        guard let record = try await store.token(hash: session.tokenHash), !record.isRevoked, record.scopes.contains(.approve) else {
            sessions.end(id)
            return nil
        }
        return (Caller(name: record.name, scopes: record.scopes), session)
    }

    func html(_ status: Int, _ text: String, _ headers: [(String, String)] = []) -> HTTPExchange.Reply {
        .text(status, text, type: "text/html; charset=utf-8", headers: WebPage.securityHeaders + headers)
    }

    func redirect(_ location: String, _ headers: [(String, String)] = []) -> HTTPExchange.Reply {
        HTTPExchange.Reply(status: 303, headers: [("Location", location)] + WebPage.securityHeaders + headers, body: [])
    }

    func pendingRuns() async throws -> [RunRecord] {
        _ = try await store.expireDue(now: now())
        return try await store.runs(RunFilter(state: .pending, limit: 200))
    }

    /// `GET /`: the pending list when signed in, else the sign-in form (with a CSRF cookie for it).
    func webIndex(_ request: HTTPExchange.Request) async throws -> HTTPExchange.Reply {
        guard let signedIn = try await webCaller(request) else {
            let csrf = cookies(request)[Cookies.csrf].flatMap { $0.count >= 32 ? $0 : nil } ?? String(TokenIssuer.newToken().dropFirst(4))
            return html(200, WebPage.signIn(csrf: csrf), [Cookies.set(Cookies.csrf, csrf)])
        }
        let (caller, session) = signedIn
        let flash = request.queryItems["decided"].map { "Recorded: \($0)." }
        let list = WebPage.list(try await pendingRuns(), csrf: session.csrf, now: now())
        return html(200, WebPage.dashboard(name: caller.name, csrf: session.csrf, list: list, flash: flash))
    }

    /// `POST /sign-in` with `token` and `csrf` (matching the CSRF cookie).
    func webSignIn(_ request: HTTPExchange.Request) async throws -> HTTPExchange.Reply {
        let form = FormData.parse(String(decoding: request.body, as: UTF8.self))
        guard let cookie = cookies(request)[Cookies.csrf], let sent = form["csrf"], !cookie.isEmpty, Self.equal(cookie, sent) else {
            throw SupervisionError.forbidden("the form's CSRF token does not match; reload the page and sign in again")
        }
        let token = (form["token"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let caller: Caller
        do { caller = try await self.caller(token: token) } catch let failure as SupervisionError {
            return html(401, WebPage.signIn(csrf: cookie, message: "Sign-in refused: \(failure.message)."))
        }
        guard caller.scopes.contains(.approve) else {
            return html(403, WebPage.signIn(csrf: cookie, message: "Sign-in refused: the token \(caller.name) lacks the agents:approve scope."))
        }
        let (id, _) = sessions.create(tokenHash: TokenIssuer.hash(token), name: caller.name, now: now())
        return redirect("/", [Cookies.set(Cookies.session, id), Cookies.set(Cookies.csrf, "", maxAge: 0)])
    }

    func webSignOut(_ request: HTTPExchange.Request) async throws -> HTTPExchange.Reply {
        let form = FormData.parse(String(decoding: request.body, as: UTF8.self))
        if let session = try await webCaller(request)?.1 {
            guard let sent = form["csrf"], Self.equal(session.csrf, sent) else { throw SupervisionError.forbidden("the form's CSRF token does not match") }
            sessions.end(cookies(request)[Cookies.session])
        }
        return redirect("/", [Cookies.set(Cookies.session, "", maxAge: 0)])
    }

    /// `GET /web/pending`: the list as HTML inside JSON, for the page's poller.
    func webPending(_ request: HTTPExchange.Request) async throws -> HTTPExchange.Reply {
        guard let session = try await webCaller(request)?.1 else { throw SupervisionError.unauthorized("sign in first") }
        let runs = try await pendingRuns()
        let count = runs.reduce(0) { $0 + $1.actions.filter { $0.action.state == .pending }.count }
        let list = WebPage.list(runs, csrf: session.csrf, now: now())
        let body: JSONValue = ["html": .string(list), "version": .string(WebPage.version(of: list)), "count": .int(count)]
        return .json(200, body, headers: [("Cache-Control", "no-store")])
    }

    /// `POST /web/decide` with `csrf`, `run`, `action`, `verdict` and `note`.
    func webDecide(_ request: HTTPExchange.Request) async throws -> HTTPExchange.Reply {
        guard let signedIn = try await webCaller(request) else { throw SupervisionError.unauthorized("sign in first") }
        let (caller, session) = signedIn
        let form = FormData.parse(String(decoding: request.body, as: UTF8.self))
        guard let sent = form["csrf"], Self.equal(session.csrf, sent) else {
            throw SupervisionError.forbidden("the form's CSRF token does not match; reload the page")
        }
        guard let run = form["run"], let index = form["action"].flatMap(Int.init),
            let verdict = form["verdict"].flatMap(SignedDecision.Verdict.init(rawValue:))
        else { throw SupervisionError.validation(["form": "run, action and verdict (approved or rejected) are required"]) }
        let note = form["note"].map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.flatMap { $0.isEmpty ? nil : String($0.prefix(2000)) }
        let decided = try await decide(caller, run: run, index: index, verdict: verdict, note: note)
        let reference = "\(decided.action.reference) \(verdict.rawValue)"
        return redirect("/?decided=" + (reference.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""))
    }

    /// Compares secrets in time independent of where they differ.
    static func equal(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
