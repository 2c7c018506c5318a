import AgentCore
import Approvals
import Crypto
import Foundation

/// The approvers' page: server-rendered HTML; a small script replaces the pending list with a fresh rendering every two seconds.
enum WebPage {
    static let securityHeaders: [(String, String)] = [
        ("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"),
        ("X-Frame-Options", "DENY"), ("X-Content-Type-Options", "nosniff"), ("Referrer-Policy", "no-referrer"), ("Cache-Control", "no-store"),
    ]

    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for c in text {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }

    static let style = """
        body{font:15px/1.45 system-ui,sans-serif;margin:0;background:#f5f6f8;color:#1d2330}
        header{background:#1d2330;color:#fff;padding:12px 24px;display:flex;justify-content:space-between;align-items:center}
        main{max-width:980px;margin:24px auto;padding:0 16px}
        .card{background:#fff;border:1px solid #d8dce3;border-radius:8px;padding:16px 20px;margin-bottom:16px}
        .ref{font-family:ui-monospace,monospace;color:#56607a}.req{font-size:17px;margin:4px 0 10px}
        table{border-collapse:collapse;margin:8px 0}td,th{padding:3px 12px 3px 0;text-align:left;vertical-align:top}
        .old{color:#a33;text-decoration:line-through}.new{color:#176b2c;font-weight:600}
        textarea{width:100%;box-sizing:border-box;min-height:44px;font:inherit}
        button{font:inherit;padding:6px 16px;border-radius:6px;border:1px solid #888;cursor:pointer;margin-right:8px}
        .approve{background:#176b2c;color:#fff;border-color:#176b2c}.reject{background:#fff;color:#a33;border-color:#a33}
        .meta{color:#56607a;font-size:13px}.flash{background:#e8f3ea;border-color:#9cc8a6}.error{background:#fbeaea;border-color:#e0a4a4}
        input[type=password]{font:inherit;padding:6px;width:100%;box-sizing:border-box;margin:8px 0}
        """

    static func document(title: String, body: String, script: Bool = false) -> String {
        """
        <!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
        <title>\(escape(title))</title><style>\(style)</style>\(script ? "<script src=\"/app.js\" defer></script>" : "")</head>
        <body>\(body)</body></html>
        """
    }

    static func signIn(csrf: String, message: String? = nil) -> String {
        document(title: "konektor — sign in", body: """
            <header><strong>konektor supervision</strong></header><main>
            \(message.map { "<div class=\"card error\">\(escape($0))</div>" } ?? "")
            <form class="card" method="post" action="/sign-in" id="sign-in">
            <label for="token">Your server token (agents:approve)</label>
            <input type="password" id="token" name="token" autocomplete="off" required>
            <input type="hidden" name="csrf" value="\(escape(csrf))">
            <button type="submit" class="approve" id="sign-in-button">Sign in</button></form></main>
            """)
    }

    static func dashboard(name: String, csrf: String, list: String, flash: String?) -> String {
        document(title: "konektor — pending actions", body: """
            <header><strong>konektor supervision</strong><form method="post" action="/sign-out" style="margin:0">
            <span class="meta" style="color:#ccd">signed in as \(escape(name))</span>
            <input type="hidden" name="csrf" value="\(escape(csrf))"> <button type="submit">Sign out</button></form></header>
            <main>\(flash.map { "<div class=\"card flash\" id=\"flash\">\(escape($0))</div>" } ?? "")
            <h2>Waiting for a decision</h2><div id="pending" data-version="\(version(of: list))">\(list)</div></main>
            """, script: true)
    }

    static func errorPage(_ failure: SupervisionError) -> String {
        document(title: "konektor — \(failure.code.rawValue)", body: """
            <header><strong>konektor supervision</strong></header><main><div class="card error">
            <strong>\(failure.code.status) \(escape(failure.code.rawValue))</strong><p>\(escape(failure.message))</p><a href="/">Back</a></div></main>
            """)
    }

    static func display(_ value: JSONValue?) -> String {
        guard let value else { return "—" }
        if case .string(let s) = value { return s }
        return value.jsonString()
    }

    /// The pending list: one card per action, with what changes and a decision form.
    static func list(_ runs: [RunRecord], csrf: String, now: Date) -> String {
        var cards: [String] = []
        for run in runs {
            for stored in run.actions where stored.action.state == .pending && stored.action.expiresAt > now {
                cards.append(card(stored.action, request: run.request, csrf: csrf))
            }
        }
        return cards.isEmpty ? "<p class=\"meta\" id=\"empty\">Nothing waits for a decision.</p>" : cards.joined(separator: "\n")
    }

    static func card(_ a: PendingAction, request: String, csrf: String) -> String {
        let changes = a.body ?? a.arguments
        let rows = changes.filter { $0.key != "id" }.map { key, value -> String in
            let old = a.current?[key]
            let oldCell = old.map { "<span class=\"old\">\(escape(display($0)))</span> → " } ?? ""
            return "<tr><th>\(escape(key))</th><td>\(oldCell)<span class=\"new\">\(escape(display(value)))</span></td></tr>"
        }.joined()
        let target = a.arguments["id"].map { " on " + escape(display($0)) } ?? ""
        let expires = UTCTimestamp.format(millis: PendingAction.millis(a.expiresAt))
        let id = "action-\(escape(a.run))-\(a.index)"
        return """
            <div class="card action" id="\(id)" data-reference="\(escape(a.reference))">
            <div class="ref">\(escape(a.reference))</div><div class="req">“\(escape(request))”</div>
            <div><strong>\(escape(a.tool))</strong>\(target) <span class="meta">\(escape(a.method)) \(escape(a.path))</span></div>
            <table>\(rows)</table>
            <div class="meta">proposed by \(escape(a.proposer.identity)) (\(escape(a.proposer.user))@\(escape(a.proposer.host)), session \(escape(a.proposer.session)))
            · rule \(escape(a.rule.isEmpty ? "—" : a.rule))\(a.reason.isEmpty ? "" : " · " + escape(a.reason)) · policy \(escape(a.policyName))
            · expires <time datetime="\(expires)">\(expires)</time></div>
            <form method="post" action="/web/decide" style="margin-top:10px">
            <input type="hidden" name="csrf" value="\(escape(csrf))"><input type="hidden" name="run" value="\(escape(a.run))">
            <input type="hidden" name="action" value="\(a.index)">
            <textarea name="note" placeholder="Note (optional): why" maxlength="2000"></textarea>
            <button type="submit" name="verdict" value="approved" class="approve">Approve</button>
            <button type="submit" name="verdict" value="rejected" class="reject">Reject</button></form></div>
            """
    }

    /// A short fingerprint of a rendering of the pending list: the page and `/web/pending` carry it, so the poller can tell
    /// a changed list from the one on screen without comparing markup the browser has re-serialised.
    static func version(of list: String) -> String {
        String(Hex.encode(SHA256.hash(data: Data(list.utf8))).prefix(16))
    }

    /// Polls `/web/pending` and swaps the list in when it changed, unless the person is typing in it.
    ///
    /// The list on screen starts as the one the page was rendered with: replacing it with an identical copy at the first
    /// poll would swap the elements out from under a click or a selection made in the first moments.
    static let script = """
        (function () {
          var last = null;
          function poll() {
            fetch('/web/pending', {credentials: 'same-origin', headers: {'Accept': 'application/json'}})
              .then(function (r) { if (r.status === 401) { location.href = '/'; return null; } return r.json(); })
              .then(function (j) {
                if (!j) return;
                var list = document.getElementById('pending');
                if (!list) return;
                if (last === null) last = list.getAttribute('data-version');
                if (j.version === last) return;
                if (list.contains(document.activeElement) && document.activeElement.tagName === 'TEXTAREA') return;
                list.innerHTML = j.html; last = j.version;
                document.title = (j.count ? '(' + j.count + ') ' : '') + 'konektor — pending actions';
              })
              .catch(function () {});
          }
          setInterval(poll, 2000);
          document.addEventListener('DOMContentLoaded', poll);
        })();
        """
}
