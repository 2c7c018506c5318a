import Foundation
import Yams

/// `$XDG_CONFIG_HOME/konektor/config.yaml`: the defaults a person sets once (planner, model, policy).
///
/// ```yaml
/// planner: anthropic        # builtin | openai | anthropic | script:FILE (openai:MODEL works too)
/// model: claude-sonnet-4-5  # for the LLM planners
/// policy: analyst           # a shipped name, a name in policies/, or a YAML file
/// server: https://approvals.example   # a supervision server (konektor server); its token: KONEKTOR_SERVER_TOKEN
/// ```
///
/// Command-line options win over the environment (`KONEKTOR_PLANNER`,
/// `KONEKTOR_MODEL`, `KONEKTOR_POLICY`), which wins over this file.
public struct KonektorConfig: Equatable, Sendable {
    /// Composes nodes and constructs no values: the default constructor's tables cost a start-up half a millisecond.
    static var nodesOnly: Constructor { Constructor([:], [:], [:]) }

    public var planner: String?
    public var model: String?
    public var policy: String?
    /// The supervision server's URL; the token is never read from this file (it is a secret: KONEKTOR_SERVER_TOKEN).
    public var server: String?

    public init() {}

    public static let keys = ["planner", "model", "policy", "server"]

    /// Reads the file when it exists; a problem in it is an error naming file and line.
    public static func load(_ url: URL) throws -> KonektorConfig {
        guard let data = FileManager.default.contents(atPath: url.path) else { return KonektorConfig() }
        return try parse(String(decoding: data, as: UTF8.self), file: url.path)
    }

    public static func parse(_ text: String, file: String) throws -> KonektorConfig {
        let root: Node?
        do {
            // The basic resolver: every value here is read as text (see PolicyParser).
            root = try Yams.compose(yaml: text, .basic, Self.nodesOnly)
        } catch let error as YamlError {
            throw CommandFailure("\(file):\(Self.line(of: error)): error: the file is not valid YAML")
        }
        guard let root else { return KonektorConfig() }
        guard let mapping = root.mapping else {
            throw CommandFailure("\(file):\(root.mark?.line ?? 1): error: config.yaml is a mapping of settings (\(keys.joined(separator: ", ")))")
        }
        var config = KonektorConfig()
        for (keyNode, value) in mapping {
            let line = keyNode.mark?.line ?? 1
            guard let key = keyNode.string, keys.contains(key) else {
                throw CommandFailure("\(file):\(line): error: unknown setting '\(keyNode.string ?? "?")'; known: \(keys.joined(separator: ", "))")
            }
            guard let text = value.scalar?.string, !text.isEmpty else {
                throw CommandFailure("\(file):\(value.mark?.line ?? line): error: '\(key)' must be text")
            }
            switch key {
            case "planner": config.planner = text
            case "model": config.model = text
            case "server": config.server = text
            default: config.policy = text
            }
        }
        return config
    }

    public static func line(of error: YamlError) -> Int {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): mark.line
        default: 1
        }
    }
}
