import AgentCore
import Foundation
import Planners
import SkillCatalog

/// Which planner a session uses, from `--planner`, `KONEKTOR_PLANNER` or config.yaml, and how to build it.
///
/// `builtin` (the default), `openai[:MODEL]`, `anthropic[:MODEL]`, `script:FILE`.
/// The LLM planners read their provider's usual variables: `OPENAI_API_KEY`,
/// `OPENAI_BASE_URL`, `ANTHROPIC_API_KEY`, `ANTHROPIC_BASE_URL`; the model
/// comes from the spec, `--model`, `KONEKTOR_MODEL` or config.yaml.
public struct PlannerChoice: Equatable, Sendable {
    public var spec: String
    public var model: String?

    public init(spec: String, model: String?) {
        self.spec = spec
        self.model = model
    }

    public static let names = "builtin, openai[:MODEL], anthropic[:MODEL], script:FILE"

    public static func resolve(option: String?, model: String?, environment: [String: String], config: KonektorConfig) -> PlannerChoice {
        let spec = option ?? environment["KONEKTOR_PLANNER"].flatMap { $0.isEmpty ? nil : $0 } ?? config.planner ?? "builtin"
        let model = model ?? environment["KONEKTOR_MODEL"].flatMap { $0.isEmpty ? nil : $0 } ?? config.model
        return PlannerChoice(spec: spec, model: model)
    }

    /// "; did you mean 'anthropic'?" for a misspelt planner kind (the part before any colon), or nothing.
    public static func suggestion(for spec: String) -> String {
        let kind = String(spec.prefix { $0 != ":" })
        guard let close = Suggestion.closest(to: kind, among: ["builtin", "openai", "anthropic", "script"]) else { return "" }
        return "; did you mean '\(close)\(spec.dropFirst(kind.count))'?"
    }

    /// "unknown planner 'gtp' (from KONEKTOR_PLANNER); choose one of: …", with a suggestion when one is close.
    public static func unknownMessage(_ spec: String, origin: String? = nil) -> String {
        let head = "unknown planner '\(spec)'" + (origin.map { " (from \($0))" } ?? "")
        let hint = suggestion(for: spec)
        return hint.isEmpty ? "\(head); choose one of: \(names)" : "\(head)\(hint) (choose one of: \(names))"
    }

    /// Checks the spelling only, for argument validation before anything starts.
    public static func isKnown(_ spec: String) -> Bool {
        spec == "builtin" || spec == "openai" || spec == "anthropic" || spec.hasPrefix("openai:") || spec.hasPrefix("anthropic:")
            || (spec.hasPrefix("script:") && spec.count > 7)
    }

    public func make(catalog: Catalog, environment: [String: String], paths: KonektorPaths) throws -> any Planner {
        let (kind, inlineModel) = split()
        switch kind {
        case "builtin":
            return BuiltinPlanner(catalog: catalog)
        case "script":
            do {
                return try ScriptPlanner(contentsOf: inlineModel ?? "")
            } catch {
                throw CommandFailure("\(error)")
            }
        case "openai", "anthropic":
            let openAI = kind == "openai"
            let keyName = openAI ? "OPENAI_API_KEY" : "ANTHROPIC_API_KEY"
            let urlName = openAI ? "OPENAI_BASE_URL" : "ANTHROPIC_BASE_URL"
            let base = environment[urlName].flatMap { $0.isEmpty ? nil : $0 } ?? (openAI ? OpenAIPlanner.defaultBaseURL : AnthropicPlanner.defaultBaseURL)
            let key = try SessionFactory.credential(keyName, environment)
            if key == nil, base == OpenAIPlanner.defaultBaseURL || base == AnthropicPlanner.defaultBaseURL {
                throw CommandFailure("the \(kind) planner needs \(keyName) (or \(urlName) pointing at a server that needs no key)")
            }
            do {
                // Plain HTTP only to this machine when a key travels; the same rule as for the Konektor API.
                _ = try ServiceURL(parsing: base, variable: urlName, allowPath: true, secret: key != nil)
            } catch {
                throw CommandFailure("\(error)", exitCode: ExitStatus.usage)
            }
            let prompt: SystemPrompt
            do {
                prompt = try SystemPrompt.load(overridesIn: paths.configDirectory.appendingPathComponent("prompts"))
            } catch {
                throw CommandFailure("\(error)")
            }
            let model = inlineModel ?? self.model ?? (openAI ? OpenAIPlanner.defaultModel : AnthropicPlanner.defaultModel)
            let configuration = ProviderConfiguration(baseURL: base, apiKey: key, model: model)
            return openAI ? OpenAIPlanner(configuration: configuration, catalog: catalog, prompt: prompt)
                          : AnthropicPlanner(configuration: configuration, catalog: catalog, prompt: prompt)
        default:
            throw CommandFailure(Self.unknownMessage(spec), exitCode: .usage)
        }
    }

    public func split() -> (String, String?) {
        guard let colon = spec.firstIndex(of: ":") else { return (spec, nil) }
        let rest = String(spec[spec.index(after: colon)...])
        return (String(spec[..<colon]), rest.isEmpty ? nil : rest)
    }
}
