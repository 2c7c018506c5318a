import ArgumentParser
import Foundation

/// The options `ask` and `repl` share: which policy and which planner.
struct SessionOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The policy: a name or a YAML file (default: KONEKTOR_POLICY, config.yaml, then 'default').", valueName: "name|file"))
    var policy: String?

    @Option(help: ArgumentHelp("The planner: builtin, openai[:MODEL], anthropic[:MODEL] or script:FILE (default: KONEKTOR_PLANNER, config.yaml, then builtin).",
                               valueName: "name"))
    var planner: String?

    @Option(help: ArgumentHelp("The model for an LLM planner (default: KONEKTOR_MODEL, config.yaml, then the provider's default).", valueName: "name"))
    var model: String?

    @Flag(help: "Every write waits for a person's approval (konektor approvals), whatever the policy says.")
    var supervised = false

    func validate() throws {
        if let planner, !PlannerChoice.isKnown(planner) {
            throw ValidationError("unknown planner '\(planner)'; choose one of: \(PlannerChoice.names)")
        }
    }

    /// The session's settings: options, then the environment, then config.yaml.
    func resolve(environment: [String: String] = ProcessInfo.processInfo.environment, paths: KonektorPaths = KonektorPaths()) throws
        -> (policy: String, planner: PlannerChoice)
    {
        let config = try KonektorConfig.load(paths.configDirectory.appendingPathComponent("config.yaml"))
        let policy = policy ?? environment["KONEKTOR_POLICY"].flatMap { $0.isEmpty ? nil : $0 } ?? config.policy ?? "default"
        let choice = PlannerChoice.resolve(option: planner, model: model, environment: environment, config: config)
        guard PlannerChoice.isKnown(choice.spec) else {
            throw CommandFailure("unknown planner '\(choice.spec)' (from KONEKTOR_PLANNER or config.yaml); choose one of: \(PlannerChoice.names)", exitCode: ExitStatus.usage)
        }
        return (policy, choice)
    }
}
