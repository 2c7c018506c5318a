import ArgumentParser

/// The root command: `konektor`.
public struct Konektor: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "konektor",
        abstract: "Talk to the Konektor Agent API in plain language, safely.",
        discussion: """
            With no subcommand, konektor opens a REPL: ask in English or Bahasa Indonesia. \
            Without KONEKTOR_API_KEY it runs on an embedded sandbox with demo data.

            EXAMPLES:
              konektor                                            the REPL
              konektor --policy analyst                           … under another policy
              konektor ask "How many new leads this week?" --json one turn, for scripts
              konektor ask "Update lead CRM-1024 status to qualified" --yes
              konektor ask "…" --planner anthropic:claude-sonnet-4-5
              konektor catalog --format openapi                   the tools read from SKILL.md
              konektor sandbox serve --port 8080                  a local Konektor API with demo data
              konektor policy explain --policy analyst updateLead '{"id":"lead_1","status":"won"}'
              konektor audit verify
              konektor approvals list

            MORE HELP:
              konektor help environment     every environment variable konektor reads
              konektor help exit-codes      what each exit status means
              konektor --generate-completion-script bash|zsh|fish   shell completion (see README)
            """,
        version: "0.1.0",
        subcommands: [ReplCommand.self, AskCommand.self, CatalogCommand.self, PolicyCommand.self, AuditCommand.self, SandboxCommand.self, ServerCommand.self, ApprovalsCommand.self, BenchCommand.self],
        defaultSubcommand: ReplCommand.self
    )

    public init() {}
}
