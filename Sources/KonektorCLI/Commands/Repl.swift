import AgentCore
import ArgumentParser
import AgentPolicy
import AgentRuntime
import AuditLog
import Foundation
import KonektorKit
import LineEditor
import SkillCatalog
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The conversational REPL: `konektor` with no subcommand.
struct Repl {
    var options = SessionOptions()

    static let slashCommands = ["/help", "/tools", "/policy", "/whoami", "/audit", "/usage", "/approvals", "/grants", "/dry-run", "/exit"]

    func run() async throws {
        let paths = KonektorPaths()
        let editor = LineEditor(historyFile: paths.stateDirectory.appendingPathComponent("history"))
        // A key pasted at the prompt must not be kept in the history file.
        editor.historyFilter = { TerminalOutput.scrub($0) }
        let style = TerminalStyle.forDescriptor(1)
        let notes = TerminalStyle.forDescriptor(2)
        let spinner = Spinner(label: "working", enabled: editor.isInteractive && isatty(2) == 1)
        let confirmer = editor.isInteractive ? TerminalConfirmer(read: { await editor.ask($0) }, style: TerminalStyle.forDescriptor(2), spinner: spinner) : nil
        let (policyName, policyOrigin, planner) = try options.resolveSettings()
        var factory = SessionFactory.terminal(policyName: policyName, planner: planner, dryRun: false, assumeYes: false, confirmer: confirmer)
        factory.policyOrigin = policyOrigin
        factory.supervised = options.supervised
        // The prompt comes at once: a dead server is reported, not waited for, and the workspace is read in the background.
        factory.failWhenUnreachable = false
        factory.workspaceInBackground = true
        let tellWaits = isatty(2) == 1
        factory.onRateLimitWait = { wait in
            if tellWaits { writeStandardError("\r\u{1B}[Kwaiting \(wait.seconds) s for the API's rate limit (Ctrl-C to stop)\n") }
        }
        let built = try await Self.start(factory, editor: editor)
        let session = built.session
        let catalog = await session.catalog
        let policy = await session.policy
        let words = Self.completionWords(catalog: catalog, policy: policy)
        editor.completions = { typed in typed.hasPrefix("/") && !typed.contains(" ") ? Self.slashCommands + ["/dry-run on", "/dry-run off"] : words }
        // The banner and the hints are not answers: standard error, so a piped REPL's standard output holds only answers.
        writeStandardError(notes.dim(built.banner) + "\n")
        writeStandardError(notes.dim("Ask in English or Bahasa Indonesia; /help lists commands; Ctrl-D exits.") + "\n")
        // A wrong key or a dead server is said before the first question; a slow server's answer is not waited for long.
        let checked = CheckOutcome()
        let check = built.startupCheck
        Task { let problem = await check.value; checked.value.withLock { $0 = .some(problem) } }
        var checkReported = false
        func reportCheck(wait: Duration) async {
            guard !checkReported else { return }
            let deadline = ContinuousClock.now + wait
            var outcome = checked.value.withLock { $0 }
            while outcome == nil, ContinuousClock.now < deadline {
                try? await Task.sleep(for: .milliseconds(20))
                outcome = checked.value.withLock { $0 }
            }
            guard let outcome else { return }
            checkReported = true
            if let problem = outcome { writeStandardError(notes.red("warning:") + " \(problem)\n") }
        }
        // Long enough for a loopback or LAN server on a busy machine, short enough that a slow one does not hold the prompt.
        await reportCheck(wait: .seconds(3))
        loop: while true {
            switch await editor.read() {
            case .endOfInput: break loop
            case .interrupted: continue
            case .line(let raw):
                // A start-up check that outlasted the prompt's grace is said at the next line, even an empty one, before any turn.
                await reportCheck(wait: .zero)
                await Self.runApproved(built.session, style: style)
                let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
                if text.isEmpty { continue }
                if text.hasPrefix("/") {
                    // A slash command that fails (an approvals store that cannot be read) is one bad line, not the end of the session.
                    do {
                        if try await slash(text, built: built, catalog: catalog, policy: policy, style: style) == false { break loop }
                    } catch {
                        writeStandardError(notes.red("error:") + " \(error)\n")
                    }
                    continue
                }
                _ = editor.takeInterrupt()
                // The turn needs the workspace's timezone: it waits for the background fetch (Ctrl-C stops that too).
                let turn = Task {
                    _ = await check.value
                    return try await session.turn(text)
                }
                // Ctrl-C during a turn cancels the turn, not the REPL.
                let watcher = Task {
                    while !Task.isCancelled {
                        try? await Task.sleep(for: .milliseconds(50))
                        if editor.takeInterrupt() { turn.cancel(); return }
                    }
                }
                spinner.start()
                let outcome = await turn.result
                spinner.stop()
                watcher.cancel()
                await reportCheck(wait: .zero)
                switch outcome {
                case .success(let result): print(Self.render(result.answer, style: style))
                case .failure(let error) where error is CancellationError || turn.isCancelled: writeStandardError(notes.dim("(cancelled)") + "\n")
                case .failure(let error): writeStandardError(notes.red("error:") + " \(error)\n")
                }
            }
        }
        await SessionFactory.finish(built)
    }

    /// Builds the session while Ctrl-C can still stop start-up (the terminal sends SIGINT until the first prompt).
    static func start(_ factory: SessionFactory, editor: LineEditor) async throws -> SessionFactory.Built {
        let building = Task { try await factory.build() }
        let watcher = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(50))
                if editor.takeInterrupt() {
                    building.cancel()
                    writeStandardError("^C\n")
                    exit(130)
                }
            }
        }
        defer { watcher.cancel() }
        return try await building.value
    }

    /// Handles a slash command; false means exit.
    func slash(_ text: String, built: SessionFactory.Built, catalog: Catalog, policy: Policy, style: TerminalStyle) async throws -> Bool {
        let parts = text.split(separator: " ")
        switch parts[0] {
        case "/exit", "/quit": return false
        case "/help":
            print("""
                /tools          what this policy allows, and why the rest is not
                /policy         the effective policy
                /whoami         workspace, base URL, planner, policy
                /audit          this session's audit events
                /usage          tokens the planner's model used in this session
                /approvals      this session's writes that wait for (or got) a person's approval
                /grants         the "always" answers of this session; /grants revoke TOOL takes one back
                /dry-run on|off plan writes without sending them
                /exit           leave (or Ctrl-D)
                """)
        case "/tools":
            for tool in catalog.tools {
                let decision = policy.decide(tool: tool.toolName, arguments: [:], catalog: catalog)
                let mark = decision.verdict == .deny ? style.red("✗") : style.green("✓")
                print("\(mark) \(tool.toolName) (\(tool.method) \(tool.pathTemplate)) — \(decision.verdict.rawValue): \(decision.reason)")
            }
        case "/policy": print(PolicyCommand.Show.render(policy, catalog: catalog))
        case "/whoami": print(built.banner)
        case "/audit":
            let id = await built.session.id
            print(AuditQuery.table(AuditQuery(session: id).select(in: built.audit.configuration.directory)), terminator: "")
        case "/usage":
            let planner = await built.session.plannerName
            let (requests, used) = await built.session.tokenUsage
            if requests == 0 {
                print(planner == "builtin" ? "the built-in planner runs offline and uses no tokens" : "\(planner): no model responses yet")
            } else {
                print("\(planner): \(requests) model responses, \(used.inputTokens) input + \(used.outputTokens) output = \(used.inputTokens + used.outputTokens) tokens this session")
            }
        case "/approvals":
            await Self.runApproved(built.session, style: style)
            guard let store = await built.session.approvals else { print("this session has no approvals store"); break }
            let mine = try await store.list(all: true, session: await built.session.id)
            print(mine.isEmpty ? "no writes of this session wait for approval" : ApprovalsCommand.table(mine), terminator: mine.isEmpty ? "\n" : "")
        case "/grants":
            print(await Self.grants(Array(parts.dropFirst()).map(String.init), session: built.session))
        case "/dry-run":
            let on = parts.count > 1 && parts[1] == "on"
            await built.session.setDryRun(on)
            print("dry run \(on ? "on: writes are planned, not sent" : "off")")
        default:
            print("unknown command \(parts[0]); /help lists them")
        }
        return true
    }

    /// Runs this session's actions a person approved since the last look, and says what came of them.
    static func runApproved(_ session: Session, style: TerminalStyle) async {
        do {
            for done in try await session.runApprovedOfThisSession() {
                let outcome = done.state == .executed ? style.green("ran") : style.red("failed")
                print("\(outcome) approved \(done.reference): \(done.method) \(done.path) → \(done.resultStatus.map(String.init) ?? done.error ?? "?")")
            }
        } catch {
            print(style.red("error:") + " \(error)")
        }
    }

    /// The answer's first line (the sentence) in bold; the data below it as is.
    static func render(_ answer: String, style: TerminalStyle) -> String {
        guard let newline = answer.firstIndex(of: "\n") else { return style.bold(answer) }
        return style.bold(String(answer[..<newline])) + String(answer[newline...])
    }

    static func completionWords(catalog: Catalog, policy: Policy) -> [String] {
        var words = Set(policy.offeredTools(in: catalog).map(\.toolName))
        for tool in catalog.tools { for p in tool.parameters { for v in p.enumValues ?? [] { words.insert(v) } } }
        return words.sorted()
    }
}

/// `konektor repl` (and `konektor` alone): the conversation, on the embedded sandbox unless KONEKTOR_API_KEY is set.
struct ReplCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repl",
        abstract: "Talk to the API in plain language (the default when no command is given)."
    )

    @OptionGroup var session: SessionOptions

    func run() async throws {
        try await Repl(options: session).run()
    }
}

/// The start-up check's outcome once it is known: nil until then, then the problem (or nil for none).
final class CheckOutcome: Sendable {
    let value = Mutex<String??>(nil)
}
