import ArgumentParser

/// The root command: `konektor`.
public struct Konektor: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "konektor",
        abstract: "Talk to the Konektor Agent API in plain language, safely.",
        discussion: """
            With no subcommand, konektor opens a REPL: ask in English or Bahasa Indonesia. \
            Without KONEKTOR_API_KEY it runs on an embedded sandbox with demo data.
            """,
        version: "0.1.0",
        subcommands: [ReplCommand.self, AskCommand.self, CatalogCommand.self, PolicyCommand.self, AuditCommand.self, SandboxCommand.self, ApprovalsCommand.self, BenchCommand.self],
        defaultSubcommand: ReplCommand.self
    )

    public init() {}
}
