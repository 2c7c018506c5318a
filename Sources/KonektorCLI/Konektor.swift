import ArgumentParser

/// The root command: `konektor`.
public struct Konektor: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "konektor",
        abstract: "Talk to the Konektor Agent API in plain language, safely.",
        discussion: """
            konektor reads the API's SKILL.md as its tool catalog. Every call is \
            checked against the catalog before it is sent.
            """,
        version: "0.1.0",
        subcommands: [AskCommand.self, CatalogCommand.self, PolicyCommand.self, AuditCommand.self, SandboxCommand.self, BenchCommand.self]
    )

    public init() {}

    public mutating func run() async throws {
        print(Konektor.helpMessage())
    }
}
