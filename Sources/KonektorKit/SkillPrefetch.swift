import AgentCore
import AsyncHTTPClient
import KonektorClient
import Synchronization

/// SKILL.md asked for while a one-shot command's arguments are still being parsed: the request and the parse of the
/// command line (ArgumentParser's reflection, a tenth of an `ask`) then take their time side by side.
///
/// The request carries no key and goes only where ``SessionFactory`` itself would send it: the environment's base URL,
/// judged by the same rule first (no user info, plain HTTP only to this machine). ``SessionFactory/build()`` uses it,
/// and its connection, when it is for the same base URL and key; otherwise it is left alone.
public final class SkillPrefetch: Sendable {
    let baseURL: String
    let key: String
    let http: HTTPClient
    let fetch: Task<Result<SkillSource, any Error>, Never>

    init(baseURL: String, key: String, http: HTTPClient, fetch: Task<Result<SkillSource, any Error>, Never>) {
        self.baseURL = baseURL
        self.key = key
        self.http = http
        self.fetch = fetch
    }

    static let waiting = Mutex<SkillPrefetch?>(nil)

    /// Starts the fetch for a live workspace (`KONEKTOR_API_KEY` set); does nothing for the embedded sandbox or a base
    /// URL the session would refuse.
    public static func start(environment: [String: String]) {
        guard let key = try? Credential.read("KONEKTOR_API_KEY", from: environment) else { return }
        let baseURL = ClientConfiguration.baseURL(environment: environment)
        guard let service = try? ServiceURL(parsing: baseURL, variable: "KONEKTOR_BASE_URL", allowPath: false) else { return }
        let http = KonektorClient.makeHTTPClient(ClientConfiguration(baseURL: baseURL, apiKey: APIKey(key)))
        let url = service.origin + "/api/v2/agent/SKILL.md"
        let fetch = Task { () -> Result<SkillSource, any Error> in
            do { return .success(try await SkillSource.fetch(url, using: http)) } catch { return .failure(error) }
        }
        waiting.withLock { $0 = SkillPrefetch(baseURL: baseURL, key: key, http: http, fetch: fetch) }
    }

    /// The waiting fetch, if it is for this base URL and key (once).
    static func take(baseURL: String, key: String) -> SkillPrefetch? {
        waiting.withLock { waiting in
            guard let early = waiting, early.baseURL == baseURL, early.key == key else { return nil }
            waiting = nil
            return early
        }
    }
}
