import AgentCore
import AgentRuntime
import ArgumentParser
import Foundation
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
            Without KONEKTOR_API_KEY it runs against an embedded sandbox. Exit codes: 0 answered, 1 error, \
            2 usage, 3 a write is waiting for approval (konektor approvals), 4 a call was denied by the policy, \
            a write could not be confirmed, or a person rejected it; 5 the request was not acted on (not understood, \
            a question back, or beyond what the API can do — `outcome` in --json says which).
            """
    )

    @Argument(help: ArgumentHelp("The question; '-' reads it from standard input.", valueName: "question"))
    var question: String

    @Flag(help: "Print one JSON object: {\"answer\", \"calls\", \"pending\"}.")
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
        let (policy, planner) = try session.resolve()
        var factory = SessionFactory(policyName: policy, planner: planner, dryRun: dryRun, assumeYes: yes, confirmer: confirmer)
        factory.supervised = session.supervised
        factory.approvalLifetime = .seconds(expiresIn)
        factory.approvalWait = wait.map { $0 < 0 ? .seconds(expiresIn + 5) : .seconds($0) }
        let built = try await factory.build()
        for warning in built.warnings { writeStandardError("warning: \(warning)\n") }
        let result: TurnResult
        do {
            result = try await built.session.turn(text)
        } catch {
            await SessionFactory.finish(built)
            throw CommandFailure("\(error)")
        }
        await SessionFactory.finish(built)
        if json {
            print(result.jsonValue.jsonString())
        } else {
            print(result.answer)
        }
        if !result.pending.isEmpty {
            let lines = result.pending.map { "  \($0.approval ?? "?")  \($0.method ?? "") \($0.path ?? "")  (expires \($0.expiresAt ?? "?"))" }
            writeStandardError("\(result.pending.count) write\(result.pending.count == 1 ? " is" : "s are") waiting for a person's approval:\n"
                + lines.joined(separator: "\n") + "\nDecide with: konektor approvals approve RUN/ACTION [--note …] (or reject); "
                + "see them with: konektor approvals list\n")
            throw ExitCode(ExitStatus.pendingApproval)
        }
        switch result.outcome {
        case .denied: throw ExitCode(ExitStatus.denied)
        case .notUnderstood, .clarify, .unsupported: throw ExitCode(ExitStatus.notAnswered)
        case .answered: break
        }
        let refused = result.calls.contains { $0.decision == "deny" || ($0.confirmed == false && !interactive) || $0.approvalState == "rejected" || $0.approvalState == "expired" }
        if refused { throw ExitCode(ExitStatus.denied) }
        if result.calls.contains(where: \.failed) { throw ExitCode(ExitStatus.error) }
    }
}
