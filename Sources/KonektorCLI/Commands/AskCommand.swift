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
            2 usage, 4 a call was denied by the policy or a write could not be confirmed.
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
        let built = try await SessionFactory(policyName: policy, planner: planner, dryRun: dryRun, assumeYes: yes, confirmer: confirmer).build()
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
        let refused = result.calls.contains { $0.decision == "deny" || ($0.confirmed == false && !interactive) }
        if refused { throw ExitCode(ExitStatus.denied) }
        if result.calls.contains(where: \.failed) { throw ExitCode(ExitStatus.error) }
    }
}
