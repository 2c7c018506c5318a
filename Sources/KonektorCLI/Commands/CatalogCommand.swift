import AgentCore
import ArgumentParser
import KonektorKit
import SkillCatalog

/// `konektor catalog`: what the runtime reads from a SKILL.md, and the pinned catalog of the API.
struct CatalogCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalog",
        abstract: "Show the tool catalog read from a SKILL.md; review and accept changes to the pinned one.",
        subcommands: [Show.self, CatalogDiffCommand.self, CatalogAcceptCommand.self],
        defaultSubcommand: Show.self
    )
}

extension CatalogCommand {
/// `konektor catalog [show]`: the catalog a SKILL.md yields, in several renderings.
struct Show: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show the tool catalog read from a SKILL.md.",
        discussion: "With no --skill, the SKILL.md bundled in this binary is read."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json, openapi
        case openaiTools = "openai-tools"
        case anthropicTools = "anthropic-tools"
    }

    @Option(name: .long, help: ArgumentHelp("A SKILL.md file path or http(s) URL.", valueName: "path|url"))
    var skill: String?

    @Option(name: .long, help: "Output: text, json, openapi, openai-tools or anthropic-tools.")
    var format: Format = .text

    @Flag(name: .long, help: "Print what the reader had to guess or recover (file:line: severity: message) to standard error.")
    var diagnostics = false

    func run() async throws {
        let source = try await SkillSource.load(skill)
        let result = SkillParser.parse(source.text, file: source.name)
        let shown = result.diagnostics.filter { diagnostics || $0.severity == .error }
        for diagnostic in shown { writeStandardError("\(diagnostic)\n") }
        if result.catalog.endpoints.isEmpty {
            throw CommandFailure("\(source.name) describes no endpoints; nothing to show")
        }
        print(CatalogCommand.Show.render(result.catalog, format: format), terminator: "")
        if result.hasErrors { throw ExitCode(ExitStatus.error) }
    }

    static func render(_ catalog: Catalog, format: Format) -> String {
        switch format {
        case .text: catalog.textTable()
        case .json: catalog.jsonValue.jsonString(.pretty) + "\n"
        case .openapi: catalog.openAPIDocument().jsonString(.pretty) + "\n"
        case .openaiTools: catalog.openAITools().jsonString(.pretty) + "\n"
        case .anthropicTools: catalog.anthropicTools().jsonString(.pretty) + "\n"
        }
    }
}
}
