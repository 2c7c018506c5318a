import AgentCore
import AgentPolicy
import AgentRuntime
import AuditLog
import Foundation
import KonektorClient
import KonektorKit
import Planners
import SkillCatalog
import Synchronization

/// A person at the prompt, scripted: answers each confirmation in turn and remembers what was shown.
public final class ScriptedConfirmer: Confirmer, Sendable {
    let answers: Mutex<[ConfirmationAnswer]>
    public let shown = Mutex<[WritePreview]>([])
    public init(_ answers: [ConfirmationAnswer]) { self.answers = Mutex(answers) }
    public func confirm(_ preview: WritePreview) async -> ConfirmationAnswer {
        shown.withLock { $0.append(preview) }
        return answers.withLock { $0.isEmpty ? .no : $0.removeFirst() }
    }
}

/// A session over the sandbox with a pinned clock and seed, the built-in planner and a real audit log.
public struct RuntimeFixture: Sendable {
    public let h: SandboxHarness
    public let client: KonektorClient
    public let catalog: Catalog
    public let temp: TemporaryDirectory
    public let audit: AuditLog
    public let keys: AuditKeys
    /// The session wiring's stores in the temporary folder: keys in `config/`, the log in `audit/`, approvals in `state/`.
    public let stores: SessionStores
    public let paths: KonektorPaths

    public init(leads: Int = 400) async throws {
        h = try await SandboxHarness(leads: leads)
        let reply = try await h.get("/api/v2/agent/SKILL.md", key: nil)
        catalog = SkillParser.parse(reply.text).catalog
        temp = try TemporaryDirectory("konektor-runtime")
        let clock = h.clock
        paths = KonektorPaths(configDirectory: temp.appending("config"), stateDirectory: temp.appending("state"))
        stores = try SessionStores(configDirectory: paths.configDirectory, auditDirectory: temp.appending("audit"), approvalsFile: paths.approvalsFile,
                                   secrets: SecretScrubber([.init(name: "KONEKTOR_API_KEY", value: h.key("full"), replacement: "[key]")]),
                                   now: { clock.now() })
        keys = stores.keys
        audit = stores.audit
        client = try KonektorClient(configuration: ClientConfiguration(baseURL: h.baseURL, apiKey: APIKey(h.key("full"))), catalog: catalog,
                                    observer: AuditObserver(log: audit, session: "test"), now: { clock.now() })
    }

    public static let workspace = WorkspaceFacts(name: "Toko Budi Online", timezone: "Asia/Jakarta", currency: "IDR", language: "id", dateFormat: "DD/MM/YYYY",
                                                 now: "2026-11-23T03:00:00.000Z")

    public func session(policy name: String = "default", planner: (any Planner)? = nil, confirmer: (any Confirmer)? = nil, assumeYes: Bool = false,
                        dryRun: Bool = false) throws -> Session {
        let policy = try SessionFactory.policy(named: name, origin: "the test", catalog: catalog, paths: paths)
        return Session(id: "test", catalog: catalog, policy: policy, planner: planner ?? BuiltinPlanner(catalog: catalog), client: client, audit: audit,
                       confirmer: confirmer, workspace: Self.workspace, configuration: .init(dryRun: dryRun, assumeYes: assumeYes))
    }

    public func shutdown() async {
        await client.shutdown()
        await h.shutdown()
        temp.remove()
    }
}

