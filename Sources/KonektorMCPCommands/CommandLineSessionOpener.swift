import AgentCore
import AgentRuntime
import Foundation
import KonektorCLI
import KonektorKit
import KonektorMCP

/// Opens a konektor session for each MCP session, the way `ask` does: the environment's API (or an embedded sandbox), the policy, the audit log.
struct CommandLineSessionOpener: SessionOpening {
    var policyName: String
    var policyOrigin: String
    var supervised: Bool
    var assumeYes: Bool
    var approvalLifetime: Duration
    var environment: [String: String] = ProcessInfo.processInfo.environment

    func open(_ request: MCPSessionRequest) async throws -> OpenedSession {
        var factory = SessionFactory.terminal(policyName: policyName, dryRun: false, assumeYes: assumeYes, confirmer: request.confirmer,
                                     environment: environment, paths: KonektorPaths(environment: environment))
        factory.policyOrigin = policyOrigin
        factory.supervised = supervised
        factory.approvalLifetime = approvalLifetime
        factory.plannerOverride = request.planner
        factory.unconfirmableWrite = request.unconfirmableWrite
        factory.confirmerChannel = "elicitation"
        let built = try await factory.build()
        for warning in built.warnings { writeStandardError("warning: \(warning)\n") }
        let session = built.session
        return OpenedSession(
            session: session, skillText: built.skillText, policyText: PolicyText.render(await session.policy, catalog: await session.catalog),
            supervised: supervised, close: { await SessionFactory.finish(built) })
    }
}
