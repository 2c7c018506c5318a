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

    /// Everything a running session holds, to shut down in order.
    struct Built {
        var session: Session
        var client: KonektorClient
        var sandbox: RunningSandbox?
        var audit: AuditLog
        var banner: String
        /// Problems the session started despite (a SKILL.md that could not be fetched), one line each.
        var warnings: [String]
    }

    func build() async throws -> Built {
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
        let choice: CatalogChoice
        do {
            choice = try await Self.catalog(for: service, embedded: sandbox != nil, paths: paths)
        } catch {
            await sandbox?.shutdown()
            throw error
        }
        let source = choice.source
        let catalog = choice.catalog
        var warnings = choice.warnings
        let policy: Policy
        do {
            var extra: [PolicyLibrary.Source] = []
            var name = policyName
            if policyName.hasSuffix(".yaml") || policyName.hasSuffix(".yml") || policyName.contains("/") {
                let file = try PolicyLoading.source(path: policyName)
                extra.append(file)
                name = file.name
            }
            policy = try PolicyLoading.library(catalog: catalog, paths: paths, extra: extra).resolve(name)
        } catch {
            await sandbox?.shutdown()
            throw CommandFailure("\(error)")
        }
        let apiKey = APIKey(key)
        let scrubber = secrets.merging(SecretScrubber([apiKey.scrubbed]))
        TerminalOutput.register(scrubber)
        let sessionId = UUID().uuidString.lowercased()
        let audit: AuditLog
        let approvals: ApprovalStore
        do {
            let keys = try AuditKeys.loadOrCreate(in: paths.configDirectory)
            approvals = ApprovalStore(path: paths.approvalsFile.path, secret: keys.hmac)
            audit = try AuditLog(configuration: .init(directory: paths.stateDirectory.appendingPathComponent("audit")), keys: keys,
                                 hashedFields: policy.hashInAudit, secrets: scrubber)
        } catch {
            await sandbox?.shutdown()
            throw CommandFailure("cannot open the audit log: \(error)")
        }
        let client: KonektorClient
        do {
            var clientConfiguration = ClientConfiguration(baseURL: baseURL, apiKey: apiKey)
            clientConfiguration.scrubber = scrubber
            client = try KonektorClient(configuration: clientConfiguration, catalog: catalog,
                                        observer: AuditObserver(log: audit, session: sessionId))
        } catch {
            await sandbox?.shutdown()
            throw CommandFailure("\(error)")
        }
        let workspace = await Self.workspaceFacts(catalog: catalog, client: client)
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
            "catalogPinned": .bool(sandbox == nil),
            "catalogChangesHeld": .array(choice.heldChanges.map { .string($0.description) }),
            "baseURL": .string(baseURL),
            "sandbox": .bool(sandbox != nil),
            "keyFingerprint": .string(apiKey.fingerprint),
        ]))
        let session = Session(
            id: sessionId, catalog: catalog, policy: policy, planner: planner, client: client, audit: audit,
            confirmer: confirmer, workspace: workspace,
            configuration: configuration(), approvals: approvals, secrets: scrubber)
        var banner = sandbox != nil
            ? "konektor on the embedded sandbox (\(workspace.name), demo data) at \(baseURL); set KONEKTOR_API_KEY to use your workspace."
            : "konektor on \(baseURL) (\(workspace.name))."
        banner += " Policy \(policy.name), planner \(planner.name)."
        for warning in warnings { banner += "\nwarning: \(warning)" }
        return Built(session: session, client: client, sandbox: sandbox, audit: audit, banner: banner, warnings: warnings)
    }

    /// The catalog for an API origin: the SKILL.md it serves, held to the pinned endpoint table.
    ///
    /// The embedded sandbox is part of this binary, so its SKILL.md is trusted as served and not pinned.
    static func catalog(for service: ServiceURL, embedded: Bool, paths: KonektorPaths) async throws -> CatalogChoice {
        var fetched: SkillSource?
        var problem: String?
        do {
            fetched = try await SkillSource.fetch(service.origin + "/api/v2/agent/SKILL.md")
        } catch {
            problem = "could not fetch SKILL.md from \(service.origin) (\(error))"
        }
        if embedded {
            return CatalogChoice.choose(origin: service.origin, fetched: fetched, fetchProblem: problem, pin: nil)
        }
        let store = CatalogPinStore(paths: paths)
        let choice = CatalogChoice.choose(origin: service.origin, fetched: fetched, fetchProblem: problem, pin: try store.load(origin: service.origin))
        if let pin = choice.pinToSave { try store.save(pin) }
        return choice
    }

    /// The model providers' keys (and the server token), normalised: no output, log or planner context may hold one.
    static func secrets(environment: [String: String]) throws -> SecretScrubber {
        var scrubber = SecretScrubber()
        for name in TerminalOutput.secretVariables where name != "KONEKTOR_API_KEY" {
            if let value = try credential(name, environment) { scrubber.add(.init(name: name, value: value)) }
        }
        return scrubber
    }

    /// A secret from the environment, trimmed; a usage error naming the variable when it cannot be a key.
    static func credential(_ name: String, _ environment: [String: String]) throws -> String? {
        do {
            return try Credential.read(name, from: environment)
        } catch {
            throw CommandFailure("\(error)", exitCode: ExitStatus.usage)
        }
    }

    /// Reads the workspace's name, timezone and currency once; Indonesian defaults when the key may not.
    static func workspaceFacts(catalog: Catalog, client: KonektorClient) async -> WorkspaceFacts {
        let now = UTCTimestamp.format(millis: Int64(Date().timeIntervalSince1970 * 1000))
        var facts = WorkspaceFacts(name: "the workspace", timezone: "Asia/Jakarta", currency: "IDR", language: "id", dateFormat: "DD/MM/YYYY", now: now)
        if let call = try? catalog.validate(tool: "getWorkspace", arguments: [:]).get(), let data = try? await client.send(call).data {
            facts.name = data["displayName"]?.stringValue ?? facts.name
            facts.timezone = data["timezone"]?.stringValue ?? facts.timezone
            facts.currency = data["currency"]?.stringValue ?? facts.currency
            facts.language = data["language"]?.stringValue ?? facts.language
            facts.dateFormat = data["dateFormat"]?.stringValue ?? facts.dateFormat
        }
        return facts
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
