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
        do {
            source = try await SkillSource.fetch(baseURL + "/api/v2/agent/SKILL.md")
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
            policy = try PolicyLoading.library(catalog: catalog, paths: paths, extra: extra).resolve(name)
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
            "baseURL": .string(baseURL),
            "sandbox": .bool(sandbox != nil),
            "keyFingerprint": .string(apiKey.fingerprint),
            "timezone": .string(workspace.timezone),
        ]))
        let session = Session(
            id: sessionId, catalog: catalog, policy: policy, planner: planner, client: client, audit: audit,
            confirmer: confirmer, workspace: workspace,
            configuration: configuration(), approvals: approvals)
        var banner = sandbox != nil
            ? "konektor on the embedded sandbox (\(workspace.name), demo data) at \(baseURL); set KONEKTOR_API_KEY to use your workspace."
            : "konektor on \(baseURL) (\(workspace.name))."
        banner += " Policy \(policy.name), planner \(planner.name)."
        for warning in warnings { banner += "\nwarning: \(warning)" }
        return Built(session: session, client: client, sandbox: sandbox, audit: audit, banner: banner, warnings: warnings)
    }

    /// Every secret the audit log must never hold: the Konektor key (shown by fingerprint) and the model providers' keys.
    static func secrets(konektorKey: String, fingerprint: String, environment: [String: String]) -> [(String, String)] {
        var secrets = [(konektorKey, "[\(fingerprint)]")]
        for name in ["OPENAI_API_KEY", "ANTHROPIC_API_KEY"] {
            if let value = environment[name], value.count >= 8 { secrets.append((value, "[\(name)]")) }
        }
        return secrets
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
        let id = await built.session.id
        _ = try? built.audit.appendAndCheckpoint([AuditEvent(kind: "session-end", session: id, data: [:])], session: id)
        await built.client.shutdown()
        await built.sandbox?.shutdown()
    }
}
