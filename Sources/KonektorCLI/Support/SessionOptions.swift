import ArgumentParser
import Foundation
import KonektorKit

/// The options `ask` and `repl` share: which policy and which planner.
struct SessionOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The policy: a name or a YAML file (default: KONEKTOR_POLICY, config.yaml, then 'default').", valueName: "name|file"),
            completion: .custom { _, _, _ in PolicyLoading.completionNames() })
    var policy: String?

    @Option(help: ArgumentHelp("The planner: builtin, openai[:MODEL], anthropic[:MODEL] or script:FILE (default: KONEKTOR_PLANNER, config.yaml, then builtin).",
                               valueName: "name"),
            completion: .list(["builtin", "openai", "anthropic", "openai:", "anthropic:", "script:"]))
    var planner: String?

    @Option(help: ArgumentHelp("The model for an LLM planner (default: KONEKTOR_MODEL, config.yaml, then the provider's default).", valueName: "name"))
    var model: String?

    @Flag(help: "Every write waits for a person's approval (konektor approvals), whatever the policy says.")
    var supervised = false

    func validate() throws {
        if let planner, !PlannerChoice.isKnown(planner) {
            throw ValidationError(PlannerChoice.unknownMessage(planner))
        }
    }

    /// The session's settings: options, then the environment, then config.yaml.
    func resolve(environment: [String: String] = ProcessInfo.processInfo.environment, paths: KonektorPaths = KonektorPaths()) throws
        -> (policy: String, planner: PlannerChoice)
    {
        let settings = try resolveSettings(environment: environment, paths: paths)
        return (settings.policy, settings.planner)
    }

    /// The session's settings with where the policy name came from, so an error about it names the place to fix.
    func resolveSettings(environment: [String: String] = ProcessInfo.processInfo.environment, paths: KonektorPaths = KonektorPaths()) throws
        -> (policy: String, policyOrigin: String, planner: PlannerChoice)
    {
        let settings = try SessionSettings.resolve(policy: policy, planner: planner, model: model, environment: environment, paths: paths)
        return (settings.policy, settings.policyOrigin, settings.planner)
    }
}
