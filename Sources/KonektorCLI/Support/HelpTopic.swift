import KonektorKit
/// `konektor help TOPIC` for what is not a command: the environment konektor reads and its exit codes.
enum HelpTopic: String, CaseIterable {
    case environment
    case exitCodes = "exit-codes"

    /// One variable konektor reads, and what it does.
    struct Variable {
        var name: String
        var meaning: String
    }

    /// Every environment variable konektor reads (a test checks this against the sources).
    static let variables: [Variable] = [
        Variable(name: "KONEKTOR_API_KEY", meaning: "your workspace's API key; without it konektor runs on an embedded sandbox with demo data"),
        Variable(name: "KONEKTOR_BASE_URL", meaning: "the API's scheme, host and port (default https://konektor.id; plain http only to this machine)"),
        Variable(name: "KONEKTOR_POLICY", meaning: "the policy when --policy is not given: a name (konektor policy list) or a YAML file"),
        Variable(name: "KONEKTOR_PLANNER", meaning: "the planner when --planner is not given: builtin, openai[:MODEL], anthropic[:MODEL], script:FILE"),
        Variable(name: "KONEKTOR_MODEL", meaning: "the model for an LLM planner when --model is not given"),
        Variable(name: "KONEKTOR_SERVER_URL", meaning: "a supervision server (konektor server serve): writes that need approval wait there, not in the local store"),
        Variable(name: "KONEKTOR_SERVER_TOKEN", meaning: "this runtime's or person's token for that server (a secret, like the API key)"),
        Variable(name: "KONEKTOR_SERVER_PUBLIC_KEY", meaning: "the server's decision key (base64), pinned instead of trusting it on first use"),
        Variable(name: "KONEKTOR_SERVER_POSTGRES", meaning: "for konektor server: the PostgreSQL database when --postgres and --db are not given"),
        Variable(name: "OPENAI_API_KEY", meaning: "the key for --planner openai (never sent to the Konektor API, never in the audit log)"),
        Variable(name: "OPENAI_BASE_URL", meaning: "an OpenAI-compatible server (Ollama, vLLM, llama.cpp, LM Studio, OpenRouter); default https://api.openai.com/v1"),
        Variable(name: "ANTHROPIC_API_KEY", meaning: "the key for --planner anthropic (never sent to the Konektor API, never in the audit log)"),
        Variable(name: "ANTHROPIC_BASE_URL", meaning: "an Anthropic Messages API server; default https://api.anthropic.com"),
        Variable(name: "XDG_CONFIG_HOME", meaning: "config folder (default ~/.config): konektor/config.yaml, policies/, prompts/, the audit keys"),
        Variable(name: "XDG_STATE_HOME", meaning: "state folder (default ~/.local/state): konektor/audit/, approvals.sqlite, the REPL history"),
        Variable(name: "HOME", meaning: "where the XDG defaults above live when the XDG variables are not set"),
        Variable(name: "NO_COLOR", meaning: "set to anything but the empty string for no colour, even at a terminal"),
        Variable(name: "TERM", meaning: "TERM=dumb turns colour off as well"),
        Variable(name: "USER", meaning: "who asked, confirmed or approved, as the audit log and the approvals record it"),
    ]

    var text: String {
        switch self {
        case .environment:
            let width = Self.variables.map(\.name.count).max() ?? 0
            return "Environment variables konektor reads (command-line options win over them; they win over config.yaml):\n\n"
                + Self.variables.map { "  \($0.name)\(String(repeating: " ", count: width - $0.name.count))  \($0.meaning)" }.joined(separator: "\n")
        case .exitCodes:
            return "Exit codes of konektor (ask, and every other command where they apply):\n\n" + ExitStatus.summary
        }
    }
}
