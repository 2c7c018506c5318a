import Foundation

/// Which policy and planner a session uses: an explicit choice, then the environment, then config.yaml, then the defaults.
public struct SessionSettings: Equatable, Sendable {
    public var policy: String
    /// Where the policy name came from (`--policy`, `KONEKTOR_POLICY`, the config file, the default), so an error about it names the place to fix.
    public var policyOrigin: String
    public var planner: PlannerChoice

    /// Resolves the settings; an explicit value (a command-line option) wins over `KONEKTOR_POLICY` / `KONEKTOR_PLANNER` / `KONEKTOR_MODEL`, which win over config.yaml.
    public static func resolve(policy: String?, planner: String?, model: String?, environment: [String: String] = ProcessInfo.processInfo.environment,
                               paths: KonektorPaths = KonektorPaths()) throws -> SessionSettings {
        let configFile = paths.configDirectory.appendingPathComponent("config.yaml")
        let config = try KonektorConfig.load(configFile)
        let fromEnvironment = environment["KONEKTOR_POLICY"].flatMap { $0.isEmpty ? nil : $0 }
        let (name, origin): (String, String) =
            if let policy { (policy, "--policy") }
            else if let fromEnvironment { (fromEnvironment, "KONEKTOR_POLICY") }
            else if let fromConfig = config.policy { (fromConfig, configFile.path) }
            else { ("default", "the default") }
        let choice = PlannerChoice.resolve(option: planner, model: model, environment: environment, config: config)
        guard PlannerChoice.isKnown(choice.spec) else {
            let origin = environment["KONEKTOR_PLANNER"].flatMap { $0.isEmpty ? nil : $0 } != nil ? "KONEKTOR_PLANNER" : configFile.path
            throw CommandFailure(PlannerChoice.unknownMessage(choice.spec, origin: origin), exitCode: .usage)
        }
        return SessionSettings(policy: name, policyOrigin: origin, planner: choice)
    }
}
