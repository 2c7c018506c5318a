import AgentCore
import AgentPolicy
import AgentRuntime
import Approvals
import AsyncHTTPClient
import AuditLog
import Crypto
import Foundation
import KonektorClient
import Planners
import Sandbox
import SkillCatalog
import SupervisionClient

/// Builds a session from the environment: the live API when `KONEKTOR_API_KEY` is set, else an embedded sandbox.
public struct SessionFactory: Sendable {
    public var policyName: String
    public var planner = PlannerChoice(spec: "builtin", model: nil)
    public var dryRun: Bool
    public var assumeYes: Bool
    /// Approval settings for the session (`--supervised`, `--wait`, `--expires-in`).
    public var supervised = false
    public var approvalWait: Duration? = nil
    public var approvalLifetime: Duration = .seconds(30 * 60)
    /// Who answers confirmations; nil when no one is at a terminal.
    public var confirmer: (any Confirmer)?
    public var environment: [String: String] = ProcessInfo.processInfo.environment
    public var paths = KonektorPaths()
    /// Where the policy name came from (`--policy`, `KONEKTOR_POLICY`, config.yaml), so an error about it names the place to fix.
    public var policyOrigin = "--policy"
    /// Whether a base URL where nothing listens ends the command at once (`ask`) or leaves a session that says so (the REPL).
    public var failWhenUnreachable = true
    /// Whether the workspace facts (and with them the key check) are fetched after `build` returns, so a REPL shows its prompt at once.
    public var workspaceInBackground = false
    /// Told before the client waits for the API's rate limit.
    public var onRateLimitWait: @Sendable (RateLimitWaitRecord) -> Void = { _ in }
    /// Told every secret the session holds as soon as it is known (the terminal's scrubber, a server's log filter).
    public var registerSecrets: @Sendable (SecretScrubber) -> Void = { _ in }
    /// A planner chosen by the caller instead of `planner` (an MCP client, which plans by itself).
    public var plannerOverride: (any Planner)? = nil
    /// What a write that needs confirmation says when no one can be asked (nil: the terminal's wording).
    public var unconfirmableWrite: String? = nil
    /// Whether the session-start record may wait for the first turn's durable record (a one-shot `ask`, whose turn
    /// follows at once); a REPL or server writes it at once, since its first turn may never come.
    public var stageSessionStart = false
    /// How the confirmer asks, for the audit log (`prompt`, `elicitation`).
    public var confirmerChannel = "prompt"

    public init(policyName: String, planner: PlannerChoice = PlannerChoice(spec: "builtin", model: nil), dryRun: Bool, assumeYes: Bool,
                confirmer: (any Confirmer)?, environment: [String: String] = ProcessInfo.processInfo.environment, paths: KonektorPaths = KonektorPaths()) {
        self.policyName = policyName
        self.planner = planner
        self.dryRun = dryRun
        self.assumeYes = assumeYes
        self.confirmer = confirmer
        self.environment = environment
        self.paths = paths
    }

    /// Everything a running session holds, to shut down in order.
    public struct Built: Sendable {
        public var session: Session
        public var client: KonektorClient
        public var sandbox: RunningSandbox?
        public var audit: AuditLog
        /// Where this session's pending actions go: the local store, or the supervision server.
        public var approvals: any ApprovalBackend
        public var banner: String
        /// Problems the session started despite (a SKILL.md that could not be fetched), one line each.
        public var warnings: [String]
        /// The SKILL.md the catalog was read from.
        public var skillText: String = ""
        /// The workspace fetch (one cheap call that also checks the key): the problem it found, or nil.
        public var startupCheck: Task<String?, Never>
    }

    public func build() async throws -> Built {
        // The built-in planner's data is read on the other core while SKILL.md is fetched and parsed.
        if plannerOverride == nil, planner.spec == "builtin" { Task.detached(priority: .userInitiated) { BuiltinPlanner.prewarm() } }
        var sandbox: RunningSandbox?
        let key: String
        let baseURL: String
        let secrets = try Self.secrets(environment: environment)
        if let live = try Self.credential("KONEKTOR_API_KEY", environment) {
            key = live
            baseURL = ClientConfiguration.baseURL(environment: environment)
        } else {
            let running = try await SandboxServer.start(SandboxConfiguration(port: 0, seed: 42, leadCount: 2000))
            sandbox = running
            key = running.key("full")
            baseURL = running.baseURL
        }
        // The base URL is judged before any connection: no user info, plain HTTP only to this machine.
        let service: ServiceURL
        do {
            service = try ServiceURL(parsing: baseURL, variable: "KONEKTOR_BASE_URL", allowPath: false)
        } catch {
            await sandbox?.shutdown()
            throw CommandFailure("\(error)", exitCode: ExitStatus.usage)
        }
        // One connection pool for SKILL.md, the workspace check and the calls: the connection opened for the first is reused
        // (the pool of a SKILL.md fetch started while the command line was parsed, when there is one).
        let early = sandbox == nil ? SkillPrefetch.take(baseURL: baseURL, key: key) : nil
        let http = early?.http ?? KonektorClient.makeHTTPClient(ClientConfiguration(baseURL: baseURL, apiKey: APIKey(key)))
        func abandon() async {
            try? await http.shutdown()
            await sandbox?.shutdown()
        }
        let choice: CatalogChoice
        do {
            choice = try await Self.catalog(for: service, embedded: sandbox != nil, paths: paths, failWhenUnreachable: failWhenUnreachable, using: http,
                                            prefetched: early?.fetch)
        } catch {
            await abandon()
            throw error
        }
        let source = choice.source
        let catalog = choice.catalog
        let warnings = choice.warnings
        let policy: Policy
        let library: PolicyLibrary
        do {
            (policy, library) = try Self.resolvePolicy(named: policyName, origin: policyOrigin, catalog: catalog, paths: paths)
        } catch {
            await abandon()
            throw error
        }
        let apiKey = APIKey(key)
        let scrubber = secrets.merging(SecretScrubber([apiKey.scrubbed]))
        registerSecrets(scrubber)
        let sessionId = UUID().uuidString.lowercased()
        let audit: AuditLog
        let approvals: any ApprovalBackend
        let stores: SessionStores
        do {
            stores = try SessionStores(paths: paths, hashedFields: policy.hashInAudit, secrets: scrubber)
            audit = stores.audit
        } catch {
            await abandon()
            throw CommandFailure("cannot open the audit log: \(error)")
        }
        do {
            approvals = try await SupervisionSettings.backend(environment: environment, paths: paths, local: stores.approvals)
        } catch {
            await abandon()
            throw error
        }
        let client: KonektorClient
        do {
            var clientConfiguration = ClientConfiguration(baseURL: baseURL, apiKey: apiKey)
            clientConfiguration.scrubber = scrubber
            client = try KonektorClient(configuration: clientConfiguration, catalog: catalog, http: http,
                                        observer: NoticingObserver(audit: AuditObserver(log: audit, session: sessionId), onRateLimitWait: onRateLimitWait))
        } catch {
            await approvals.shutdown()
            await abandon()
            throw CommandFailure("\(error)")
        }
        let defaults = Self.defaultFacts()
        var workspace = defaults
        var startupCheck: Task<String?, Never> = Task { nil }
        // The workspace call is in flight while the planner is built: one waits on the network, the other on the CPU.
        let fetching: Task<(WorkspaceFacts, problem: String?), Never>? = workspaceInBackground ? nil
            : Task { [catalog, client] in await Self.workspaceFacts(catalog: catalog, client: client, defaults: defaults) }
        let planner: any Planner
        do {
            planner = try plannerOverride ?? self.planner.make(catalog: catalog, environment: environment, paths: paths)
        } catch {
            _ = await fetching?.value
            await client.shutdown()
            await approvals.shutdown()
            await sandbox?.shutdown()
            throw error
        }
        if let fetching {
            let (facts, problem) = await fetching.value
            workspace = facts
            startupCheck = Task { problem }
        }
        let start = AuditEvent(kind: "session-start", session: sessionId, data: [
            "user": .string(environment["USER"] ?? ProcessInfo.processInfo.userName),
            "host": .string(ProcessInfo.processInfo.hostName),
            "policy": .string(policy.name),
            "policyHash": .string(PolicyFingerprint.hash(of: policy, in: library)),
            "planner": .string(planner.name),
            "catalogVersion": .string(catalog.version ?? "unknown"),
            "catalogHash": .string(Hex.encode(SHA256.hash(data: Data(source.text.utf8)))),
            "catalogPinned": .bool(sandbox == nil),
            "catalogChangesHeld": .array(choice.heldChanges.map { .string($0.description) }),
            "baseURL": .string(baseURL),
            "sandbox": .bool(sandbox != nil),
            "keyFingerprint": .string(apiKey.fingerprint),
            "timezone": .string(workspace.timezone),
        ])
        if stageSessionStart {
            audit.stage(start)
        } else {
            do {
                try audit.append(start)
            } catch {
                await client.shutdown()
                await approvals.shutdown()
                await sandbox?.shutdown()
                throw CommandFailure("cannot write to the audit log: \(error)")
            }
        }
        let session = Session(
            id: sessionId, catalog: catalog, policy: policy, planner: planner, client: client, audit: audit,
            confirmer: confirmer, workspace: workspace,
            configuration: configuration(policy: policy, library: library), approvals: approvals, secrets: scrubber)
        let check: Task<String?, Never> = workspaceInBackground
            ? Task { [catalog, client, saidUnreachable = choice.serverUnreachable] in
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
        if approvals is SupervisionClient { banner += "\nApprovals: the supervision server at \(approvals.location)." }
        return Built(session: session, client: client, sandbox: sandbox, audit: audit, approvals: approvals, banner: banner, warnings: warnings,
                     skillText: source.text, startupCheck: check)
    }

    /// The policy a session runs under: a shipped name, a name in `policies/`, or a YAML file (named after the file).
    /// - Parameter origin: where the name came from (`--policy`, `KONEKTOR_POLICY`, config.yaml), for the error about an unknown one.
    public static func policy(named policyName: String, origin: String, catalog: Catalog, paths: KonektorPaths) throws -> Policy {
        try resolvePolicy(named: policyName, origin: origin, catalog: catalog, paths: paths).policy
    }

    /// The policy and the library it was found in (the shipped profiles, `policies/`, and the file when one was named).
    public static func resolvePolicy(named policyName: String, origin: String, catalog: Catalog, paths: KonektorPaths) throws
        -> (policy: Policy, library: PolicyLibrary)
    {
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
                throw CommandFailure("unknown policy '\(name)' (from \(origin))\(Suggestion.hint(for: name, among: library.names)) "
                    + "(known: \(library.names.joined(separator: ", ")); see konektor policy list)", exitCode: .usage)
            }
            return (try library.resolve(name), library)
        } catch let failure as CommandFailure {
            throw failure
        } catch {
            throw CommandFailure("\(error)")
        }
    }

    /// The catalog for an API origin: the SKILL.md it serves, held to the pinned endpoint table.
    ///
    /// The embedded sandbox is part of this binary, so its SKILL.md is trusted as served and not pinned.
    /// - Parameter failWhenUnreachable: a dead server ends the start-up (one sentence) instead of a warning.
    /// - Parameter http: the client to fetch with (its connection is then reused by the session); nil: a client of its own.
    public static func catalog(for service: ServiceURL, embedded: Bool, paths: KonektorPaths, failWhenUnreachable: Bool,
                               using http: HTTPClient? = nil, prefetched: Task<Result<SkillSource, any Error>, Never>? = nil) async throws -> CatalogChoice {
        var fetched: SkillSource?
        var problem: String?
        var unreachable = false
        do {
            if let prefetched {
                fetched = try await prefetched.value.get()
            } else {
                fetched = try await SkillSource.fetch(service.origin + "/api/v2/agent/SKILL.md", using: http)
            }
        } catch let dead as UnreachableServer {
            if failWhenUnreachable { throw CommandFailure(dead.description) }
            problem = dead.description
            unreachable = true
        } catch {
            problem = "could not fetch SKILL.md from \(service.origin) (\(error))"
        }
        let store = CatalogPinStore(paths: paths)
        var choice = CatalogChoice.choose(origin: service.origin, fetched: fetched, fetchProblem: problem, pin: embedded ? nil : try store.load(origin: service.origin))
        choice.serverUnreachable = unreachable
        if !embedded, let pin = choice.pinToSave { try store.save(pin) }
        return choice
    }

    /// The model providers' keys, normalised: no output, log or planner context may hold one.
    public static func secrets(environment: [String: String]) throws -> SecretScrubber {
        var scrubber = SecretScrubber()
        for name in SecretVariables.names where name != "KONEKTOR_API_KEY" {
            if let value = try credential(name, environment) { scrubber.add(.init(name: name, value: value)) }
        }
        return scrubber
    }

    /// A secret from the environment, trimmed; a usage error naming the variable when it cannot be a key.
    public static func credential(_ name: String, _ environment: [String: String]) throws -> String? {
        do {
            return try Credential.read(name, from: environment)
        } catch {
            throw CommandFailure("\(error)", exitCode: ExitStatus.usage)
        }
    }

    /// Indonesian defaults, for a workspace whose facts are not (yet) known.
    public static func defaultFacts() -> WorkspaceFacts {
        let now = UTCTimestamp.format(millis: Int64(Date().timeIntervalSince1970 * 1000))
        return WorkspaceFacts(name: "the workspace", timezone: "Asia/Jakarta", currency: "IDR", language: "id", dateFormat: "DD/MM/YYYY", now: now)
    }

    /// Reads the workspace's name, timezone and currency once (the defaults when it cannot), and what stood in the way:
    /// a refused key, a missing scope, an unreachable server. One cheap call that tells a person at start-up, not at the first question.
    public static func workspaceFacts(catalog: Catalog, client: KonektorClient, defaults: WorkspaceFacts) async -> (WorkspaceFacts, problem: String?) {
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

    /// The session's settings; proposals record the policy's hash, and approved actions are re-checked under the policy
    /// they were proposed under, found in `library`.
    public func configuration(policy: Policy, library: PolicyLibrary) -> Session.Configuration {
        var configuration = Session.Configuration(dryRun: dryRun, assumeYes: assumeYes)
        configuration.policyHash = PolicyFingerprint.hash(of: policy, in: library)
        configuration.policyLookup = PolicyFingerprint.lookup(in: library)
        configuration.clock = { Date() }
        configuration.supervised = supervised
        configuration.approvalWait = approvalWait
        configuration.approvalLifetime = approvalLifetime
        configuration.unconfirmableWrite = unconfirmableWrite
        configuration.confirmerChannel = confirmerChannel
        return configuration
    }

    public static func finish(_ built: Built) async {
        let id = await built.session.id
        // A workspace check still in flight (a REPL closed at once) ends first, so its records come before session-end.
        built.startupCheck.cancel()
        await built.client.shutdown()
        _ = await built.startupCheck.value
        _ = try? built.audit.appendAndCheckpoint([AuditEvent(kind: "session-end", session: id, data: [:])], session: id)
        await built.approvals.shutdown()
        await built.sandbox?.shutdown()
    }
}

/// The audit observer, plus a word to the person before the client waits for the rate limit.
public struct NoticingObserver: ClientObserver {
    public let audit: AuditObserver
    public let onRateLimitWait: @Sendable (RateLimitWaitRecord) -> Void

    public func willSend(_ request: RequestRecord) async throws { try await audit.willSend(request) }
    public func didReceive(_ response: ResponseRecord) async { await audit.didReceive(response) }
    public func willWaitForRateLimit(_ wait: RateLimitWaitRecord) async {
        // The 429 that caused the wait is on disk before the person is told.
        audit.flush()
        onRateLimitWait(wait)
    }
}
