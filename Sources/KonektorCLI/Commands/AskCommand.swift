import AgentCore
import AgentRuntime
import ArgumentParser
import Foundation
import KonektorKit
import LineEditor

#if canImport(Glibc)
import Glibc
#endif

/// `konektor ask "QUESTION"`: one turn, for scripts and other agents.
struct AskCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ask",
        abstract: "Ask one question (or make one request) and print the answer.",
        discussion: """
            Without KONEKTOR_API_KEY it runs against an embedded sandbox. The answer goes to standard output only when \
            the request was answered (exit 0); refusals, errors and warnings go to standard error, so `ask … > out.txt` \
            holds only the answer. With --json the JSON object is always on standard output.

            EXIT CODES:
            \(ExitStatus.summary)

            EXAMPLES:
              konektor ask "How many new leads this week?"
              konektor ask "berapa lead baru minggu ini?" --json
              konektor ask "Update lead CRM-1024 status to qualified" --yes
              konektor ask "Update lead CRM-1024 status to won" --dry-run
              konektor ask "Update lead CRM-1024 status to won" --policy supervised --wait 600
              konektor ask "…" --planner anthropic:claude-sonnet-4-5
              konektor ask - < question.txt
            """
    )

    @Argument(help: ArgumentHelp("The question; '-' reads it from standard input.", valueName: "question"))
    var question: String

    @Flag(help: "Print one JSON object: {\"answer\", \"outcome\", \"understood\", \"calls\", \"pending\"}.")
    var json = false

    @Flag(name: .customLong("dry-run"), help: "Run reads, plan writes without sending them.")
    var dryRun = false

    @Flag(help: "Confirm writes without asking, when the policy permits unattended writes.")
    var yes = false

    @OptionGroup var session: SessionOptions

    @Option(help: ArgumentHelp("Wait for pending writes to be decided, then finish the turn; alone, until they expire.", valueName: "seconds"))
    var wait: Int?

    @Option(name: .customLong("expires-in"), help: ArgumentHelp("How long a pending write waits for a decision before it expires.", valueName: "seconds"))
    var expiresIn = 1800

    func validate() throws {
        guard (1...7 * 24 * 3600).contains(expiresIn) else { throw ValidationError("--expires-in must be between 1 second and 7 days") }
        if let wait, wait < -1 { throw ValidationError("--wait takes a number of seconds (or nothing: until the action expires)") }
    }

    func run() async throws {
        var text = question
        if text == "-" {
            var lines: [String] = []
            while let line = readLine(strippingNewline: false) { lines.append(line) }
            text = lines.joined()
        }
        text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw CommandFailure("the question is empty", exitCode: ExitStatus.usage) }
        let interactive = isatty(0) == 1 && !json
        let confirmer = interactive ? TerminalConfirmer(read: { prompt in
            writeStandardError(prompt)
            return readLine().map(LineEditor.Input.line) ?? .endOfInput
        }, style: TerminalStyle.forDescriptor(2)) : nil
        let (policy, policyOrigin, planner) = try session.resolveSettings()
        var factory = SessionFactory.terminal(policyName: policy, planner: planner, dryRun: dryRun, assumeYes: yes, confirmer: confirmer)
        factory.policyOrigin = policyOrigin
        factory.supervised = session.supervised
        factory.approvalLifetime = .seconds(expiresIn)
        factory.approvalWait = wait.map { $0 < 0 ? .seconds(expiresIn + 5) : .seconds($0) }
        let tellWaits = isatty(2) == 1
        factory.onRateLimitWait = { wait in
            if tellWaits { writeStandardError("waiting \(wait.seconds) s for the API's rate limit (Ctrl-C to stop)\n") }
        }
        factory.stageSessionStart = true
        let built = try await factory.build()
        // Nothing is shown before the session's start is on disk.
        if !built.warnings.isEmpty { try? built.audit.flush() }
        for warning in built.warnings { writeStandardError("warning: \(warning)\n") }
        let result: TurnResult
        do {
            result = try await built.session.turn(text)
        } catch {
            await SessionFactory.finish(built)
            throw CommandFailure("\(error)")
        }
        await SessionFactory.finish(built)
        let status = Self.status(of: result, interactive: interactive)
        if json {
            writeStandardOutput(result.jsonValue.jsonString() + "\n")
        } else if status == .answered {
            writeStandardOutput(result.answer + "\n" + (dryRun ? Self.plannedWrites(result) : ""))
        } else {
            // Not an answer (an error, a refusal, a question back): standard output stays empty for the script that reads it.
            writeStandardError(result.answer + "\n")
        }
        if !result.pending.isEmpty {
            let lines = result.pending.map { "  \($0.approval ?? "?")  \($0.method ?? "") \($0.path ?? "")  (expires \($0.expiresAt ?? "?"))" }
            writeStandardError("\(result.pending.count) write\(result.pending.count == 1 ? " is" : "s are") waiting for a person's approval:\n"
                + lines.joined(separator: "\n") + "\nDecide with: konektor approvals approve RUN/ACTION [--note …] (or reject); "
                + "see them with: konektor approvals list\n")
        }
        // Everything is written and on disk (the session ended above): the process ends here, without freeing the
        // session's tables object by object on the way out (a millisecond of a one-shot ask).
        Foundation.exit(status.rawValue)
    }

    /// The writes a dry run planned and did not send, one exact request a line.
    static func plannedWrites(_ result: TurnResult) -> String {
        let planned = result.calls.filter { $0.status == nil && $0.method != nil && $0.method != "GET" && !$0.failed }
        guard !planned.isEmpty else { return "" }
        return "dry run, not sent:\n" + planned.map { call in
            "  \(call.method!) \(call.path ?? "")" + (call.body.map { " " + JSONValue.object($0).jsonString() } ?? "")
        }.joined(separator: "\n") + "\n"
    }

    /// The exit status of a turn: pending before refused before not acted on before failed.
    ///
    /// A refusal by policy exits 4 wherever it was decided: by the planner (from what the policy offers) or by the gate.
    static func status(of result: TurnResult, interactive: Bool) -> ExitStatus {
        if !result.pending.isEmpty { return .pendingApproval }
        if result.outcome == .denied { return .denied }
        let refused = result.calls.contains {
            $0.decision == .deny || ($0.confirmed == false && !interactive) || $0.approvalState == .rejected || $0.approvalState == .expired
        }
        if refused { return .denied }
        switch result.outcome {
        case .notUnderstood, .clarify, .unsupported: return .notAnswered
        case .answered, .denied: break
        }
        if result.calls.contains(where: \.failed) { return .error }
        return .answered
    }
}
