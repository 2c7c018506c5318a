import AgentCore
import AgentPolicy
import AgentRuntime
import Approvals
import AuditLog
import Crypto
import Foundation
import KonektorClient
import Planners
import Sandbox
import SkillCatalog

/// Builds a session from the environment: the live API when `KONEKTOR_API_KEY` is set, else an embedded sandbox.
struct SessionFactory {
    var policyName: String
    var planner = PlannerChoice(spec: "builtin", model: nil)
    var dryRun: Bool
    var assumeYes: Bool
    /// Approval settings for the session (`--supervised`, `--wait`, `--expires-in`).
    var supervised = false
    var approvalWait: Duration? = nil
    var approvalLifetime: Duration = .seconds(30 * 60)
    /// Who answers confirmations; nil when no one is at a terminal.
    var confirmer: (any Confirmer)?
    var environment: [String: String] = ProcessInfo.processInfo.environment
    var paths = KonektorPaths()
    /// Where the policy name came from (`--policy`, `KONEKTOR_POLICY`, config.yaml), so an error about it names the place to fix.
    var policyOrigin = "--policy"
    /// Whether a base URL where nothing listens ends the command at once (`ask`) or leaves a session that says so (the REPL).
    var failWhenUnreachable = true
    /// Whether the workspace facts (and with them the key check) are fetched after `build` returns, so a REPL shows its prompt at once.
    var workspaceInBackground = false
    /// Told before the client waits for the API's rate limit.
    var onRateLimitWait: @Sendable (RateLimitWaitRecord) -> Void = { _ in }

    /// Everything a running session holds, to shut down in order.
    struct Built {
        var session: Session
        var client: KonektorClient
        var sandbox: RunningSandbox?
        var audit: AuditLog
        var banner: String
        /// Problems the session started despite (a SKILL.md that could not be fetched), one line each.
        var warnings: [String]
        /// The workspace fetch (one cheap call that also checks the key): the problem it found, or nil.
        var startupCheck: Task<String?, Never>
    }

    func build() async throws -> Built {
        var sandbox: RunningSandbox?
        let key: String
        let baseURL: String
        if let live = environment["KONEKTOR_API_KEY"], !live.isEmpty {
            key = live
            baseURL = ClientConfiguration.baseURL(environment: environment)
        } else {
            let running = try await SandboxServer.start(SandboxConfiguration(port: 0, seed: 42, leadCount: 2000))
            sandbox = running
            key = running.key("full")
            baseURL = running.baseURL
        }
        var source: SkillSource
        var warnings: [String] = []
        var saidUnreachable = false
        do {
            source = try await SkillSource.fetch(baseURL + "/api/v2/agent/SKILL.md")
        } catch let unreachable as UnreachableServer {
            if failWhenUnreachable {
                await sandbox?.shutdown()
                throw CommandFailure(unreachable.description)
            }
            source = .bundled
            warnings.append("\(unreachable.description); using the bundled SKILL.md")
            saidUnreachable = true
        } catch {
            source = .bundled
            warnings.append("could not fetch SKILL.md from \(baseURL) (\(error)); using the bundled copy")
        }
        var catalog = SkillParser.parse(source.text, file: source.name).catalog
        if catalog.tools.isEmpty {
            warnings.append("\(source.name) describes no endpoints; using the bundled copy")
            source = .bundled
            catalog = SkillParser.parse(source.text, file: source.name).catalog
        }
        let policy: Policy
        do {
            var extra: [PolicyLibrary.Source] = []
            var name = policyName
            if policyName.hasSuffix(".yaml") || policyName.hasSuffix(".yml") || policyName.contains("/") {
                let file = try PolicyLoading.source(path: policyName)
                extra.append(file)
                name = file.name
            }
            let library = PolicyLoading.library(catalog: catalog, paths: paths, extra: extra)
            guard library.names.contains(name) else {
                await sandbox?.shutdown()
                throw CommandFailure("unknown policy '\(name)' (from \(policyOrigin))\(Suggestion.hint(for: name, among: library.names)) "
                    + "(known: \(library.names.joined(separator: ", ")); see konektor policy list)", exitCode: .usage)
            }
            policy = try library.resolve(name)
        } catch let failure as CommandFailure {
            throw failure
        } catch {
            await sandbox?.shutdown()
            throw CommandFailure("\(error)")
        }
        let apiKey = APIKey(key)
        let sessionId = UUID().uuidString.lowercased()
        let audit: AuditLog
        let approvals: ApprovalStore
        do {
            let keys = try AuditKeys.loadOrCreate(in: paths.configDirectory)
            approvals = ApprovalStore(path: paths.approvalsFile.path, secret: keys.hmac)
            audit = try AuditLog(configuration: .init(directory: paths.stateDirectory.appendingPathComponent("audit")), keys: keys,
                                 hashedFields: policy.hashInAudit, secrets: Self.secrets(konektorKey: key, fingerprint: apiKey.fingerprint, environment: environment))
        } catch {
            await sandbox?.shutdown()
            throw CommandFailure("cannot open the audit log: \(error)")
        }
        let client: KonektorClient
        do {
            client = try KonektorClient(configuration: ClientConfiguration(baseURL: baseURL, apiKey: apiKey), catalog: catalog,
                                        observer: NoticingObserver(audit: AuditObserver(log: audit, session: sessionId), onRateLimitWait: onRateLimitWait))
        } catch {
            await sandbox?.shutdown()
            throw CommandFailure("\(error)")
        }
        let defaults = Self.defaultFacts()
        let workspace: WorkspaceFacts
        let startupCheck: Task<String?, Never>
        if workspaceInBackground {
            workspace = defaults
            startupCheck = Task { nil }
        } else {
            let (facts, problem) = await Self.workspaceFacts(catalog: catalog, client: client, defaults: defaults)
            workspace = facts
            startupCheck = Task { problem }
        }
        let planner: any Planner
        do {
            planner = try self.planner.make(catalog: catalog, environment: environment, paths: paths)
        } catch {
            await client.shutdown()
            await sandbox?.shutdown()
            throw error
        }
        try audit.append(AuditEvent(kind: "session-start", session: sessionId, data: [
            "user": .string(environment["USER"] ?? ProcessInfo.processInfo.userName),
            "host": .string(ProcessInfo.processInfo.hostName),
            "policy": .string(policy.name),
            "policyHash": .string(Hex.encode(SHA256.hash(data: Data(policy.lineage.joined(separator: ",").utf8)))),
            "planner": .string(planner.name),
            "catalogVersion": .string(catalog.version ?? "unknown"),
            "catalogHash": .string(Hex.encode(SHA256.hash(data: Data(source.text.utf8)))),
            "baseURL": .string(baseURL),
            "sandbox": .bool(sandbox != nil),
            "keyFingerprint": .string(apiKey.fingerprint),
        ]))
        let session = Session(
            id: sessionId, catalog: catalog, policy: policy, planner: planner, client: client, audit: audit,
            confirmer: confirmer, workspace: workspace,
            configuration: configuration(), approvals: approvals)
        let check: Task<String?, Never> = workspaceInBackground
            ? Task { [catalog, client, saidUnreachable] in
                let (facts, problem) = await Self.workspaceFacts(catalog: catalog, client: client, defaults: defaults)
                if problem == nil { await session.updateWorkspace(facts) }
                // A dead server was already named in a warning; saying it again in other words helps no one.
                return saidUnreachable ? nil : problem
            }
            : startupCheck
        var banner = sandbox != nil
            ? "konektor on the embedded sandbox (\(workspace.name), demo data) at \(baseURL); set KONEKTOR_API_KEY to use your workspace."
            : "konektor on \(baseURL) (\(workspace.name))."
        banner += " Policy \(policy.name), planner \(planner.name)."
        for warning in warnings { banner += "\nwarning: \(warning)" }
        return Built(session: session, client: client, sandbox: sandbox, audit: audit, banner: banner, warnings: warnings, startupCheck: check)
    }

    /// Every secret the audit log must never hold: the Konektor key (shown by fingerprint) and the model providers' keys.
    static func secrets(konektorKey: String, fingerprint: String, environment: [String: String]) -> [(String, String)] {
        var secrets = [(konektorKey, "[\(fingerprint)]")]
        for name in ["OPENAI_API_KEY", "ANTHROPIC_API_KEY"] {
            if let value = environment[name], value.count >= 8 { secrets.append((value, "[\(name)]")) }
        }
        return secrets
    }

    /// Indonesian defaults, for a workspace whose facts are not (yet) known.
    static func defaultFacts() -> WorkspaceFacts {
        let now = UTCTimestamp.format(millis: Int64(Date().timeIntervalSince1970 * 1000))
        return WorkspaceFacts(name: "the workspace", timezone: "Asia/Jakarta", currency: "IDR", language: "id", dateFormat: "DD/MM/YYYY", now: now)
    }

    /// Reads the workspace's name, timezone and currency once (the defaults when it cannot), and what stood in the way:
    /// a refused key, a missing scope, an unreachable server. One cheap call that tells a person at start-up, not at the first question.
    static func workspaceFacts(catalog: Catalog, client: KonektorClient, defaults: WorkspaceFacts) async -> (WorkspaceFacts, problem: String?) {
        var facts = defaults
        guard let call = try? catalog.validate(tool: "getWorkspace", arguments: [:]).get() else { return (facts, nil) }
        let data: JSONValue
        do {
            data = try await client.send(call).data
        } catch {
            // A key without the workspace scope can still do what it may; only a refused key or no server is worth a word.
            if let api = error.apiError, api.status == 403 { return (facts, nil) }
            return (facts, "\(error)")
        }
        facts.name = data["displayName"]?.stringValue ?? facts.name
        facts.timezone = data["timezone"]?.stringValue ?? facts.timezone
        facts.currency = data["currency"]?.stringValue ?? facts.currency
        facts.language = data["language"]?.stringValue ?? facts.language
        facts.dateFormat = data["dateFormat"]?.stringValue ?? facts.dateFormat
        return (facts, nil)
    }

    func configuration() -> Session.Configuration {
        var configuration = Session.Configuration(dryRun: dryRun, assumeYes: assumeYes)
        configuration.clock = { Date() }
        configuration.supervised = supervised
        configuration.approvalWait = approvalWait
        configuration.approvalLifetime = approvalLifetime
        return configuration
    }

    static func finish(_ built: Built) async {
        try? built.audit.append(AuditEvent(kind: "session-end", session: await built.session.id, data: [:]))
        _ = try? built.audit.checkpoint(session: await built.session.id)
        await built.client.shutdown()
        await built.sandbox?.shutdown()
    }
}

/// The audit observer, plus a word to the person before the client waits for the rate limit.
struct NoticingObserver: ClientObserver {
    let audit: AuditObserver
    let onRateLimitWait: @Sendable (RateLimitWaitRecord) -> Void

    func willSend(_ request: RequestRecord) async { await audit.willSend(request) }
    func didReceive(_ response: ResponseRecord) async { await audit.didReceive(response) }
    func willWaitForRateLimit(_ wait: RateLimitWaitRecord) async { onRateLimitWait(wait) }
}
