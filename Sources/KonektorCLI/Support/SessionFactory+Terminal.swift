import AgentCore
import AgentRuntime
import Foundation
import KonektorKit

extension SessionFactory {
    /// A factory for a command at a terminal: every secret the session learns goes to the terminal's scrubber at once.
    package static func terminal(policyName: String, planner: PlannerChoice = PlannerChoice(spec: "builtin", model: nil), dryRun: Bool, assumeYes: Bool,
                         confirmer: (any Confirmer)?, environment: [String: String] = ProcessInfo.processInfo.environment,
                         paths: KonektorPaths = KonektorPaths()) -> SessionFactory {
        var factory = SessionFactory(policyName: policyName, planner: planner, dryRun: dryRun, assumeYes: assumeYes, confirmer: confirmer,
                                     environment: environment, paths: paths)
        factory.registerSecrets = { TerminalOutput.register($0) }
        return factory
    }
}
