import AgentCore
import AgentPolicy
import AgentRuntime
import ArgumentParser
import Foundation
import KonektorKit
import Planners
import SkillCatalog

/// `konektor bench prompt`: what an LLM planner sends each turn (tool definitions and system prompt), per shipped policy,
/// against the raw SKILL.md a skill loader would paste in.
struct PromptBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prompt",
        abstract: "Bytes and estimated tokens of the tool definitions and system prompt per policy, against the raw SKILL.md."
    )

    @Option(name: .long, help: ArgumentHelp("A SKILL.md file instead of the bundled one.", valueName: "path"))
    var skill: String?

    /// The usual rough rule for English and JSON with GPT- and Claude-style tokenizers: about four bytes a token.
    static func tokens(_ bytes: Int) -> Int { (bytes + 3) / 4 }

    func run() async throws {
        let source = try await SkillSource.load(skill)
        let catalog = SkillParser.parse(source.text).catalog
        let library = PolicyLoading.library(catalog: catalog, paths: KonektorPaths(environment: [:]), extra: [])
        let raw = source.text.utf8.count
        let workspace = WorkspaceFacts(name: "Toko Budi Online", timezone: "Asia/Jakarta", currency: "IDR", language: "id", dateFormat: "DD/MM/YYYY",
                                       now: "2026-11-23T03:00:00.000Z")
        print("raw SKILL.md (\(source.name)): \(raw) bytes ≈ \(Self.tokens(raw)) tokens, sent as a system prompt by a skill loader")
        print("per turn, tools offered by each policy + system prompt (≈ 4 bytes a token):")
        let header = ["policy", "tools", "openai tools", "anthropic tools", "system prompt", "openai total", "ratio", "anthropic total", "ratio"]
        var rows: [[String]] = [header]
        for name in ShippedPolicies.all.map(\.name) {
            let policy = try library.resolve(name)
            let offered = Set(policy.offeredTools(in: catalog).map(\.toolName))
            let summary = Session.summary(of: policy, catalog: catalog)
            let context = PlanningContext(transcript: [], tools: Array(offered), workspace: workspace, policySummary: summary)
            let system = SystemPrompt.shipped.render(context).utf8.count
            let openAI = offered.isEmpty ? 0 : catalog.openAITools(only: offered).jsonString().utf8.count
            let anthropic = offered.isEmpty ? 0 : catalog.anthropicTools(only: offered).jsonString().utf8.count
            func cell(_ bytes: Int) -> String { "\(bytes) B ≈ \(Self.tokens(bytes)) tok" }
            func ratio(_ bytes: Int) -> String { String(format: "%.2f×", Double(bytes) / Double(raw)) }
            rows.append([name, "\(offered.count)/\(catalog.tools.count)", cell(openAI), cell(anthropic), cell(system),
                         cell(openAI + system), ratio(openAI + system), cell(anthropic + system), ratio(anthropic + system)])
        }
        let widths = header.indices.map { i in rows.map { $0[i].count }.max() ?? 0 }
        for row in rows {
            print(row.enumerated().map { i, cell in cell + String(repeating: " ", count: widths[i] - cell.count) }.joined(separator: "  "))
        }
    }
}
