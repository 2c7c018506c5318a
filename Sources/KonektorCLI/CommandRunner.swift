import ArgumentParser
import Foundation
import KonektorKit
import Planners

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs the `konektor` command line and maps outcomes to the documented exit codes.
///
/// ArgumentParser exits 64 on a usage error; the contract says 2, so the
/// runner parses and reports errors itself.
public enum CommandRunner {
    public static func main(arguments: [String]? = nil) async -> Never {
        TerminalOutput.registerSecrets(in: ProcessInfo.processInfo.environment)
        let arguments = normalize(arguments ?? Array(CommandLine.arguments.dropFirst()))
        if let early = preflight(arguments) { exit(early) }
        if arguments.first == "ask", !arguments.contains(where: isHelpWord) { startAsking(arguments) }
        await run(root: Konektor.self) { try parse(arguments) }
    }

    /// Runs another root command (`konektor-mcp`) with the same error reports and exit codes as `konektor`.
    package static func main(root: any ParsableCommand.Type, arguments: [String]? = nil) async -> Never {
        TerminalOutput.registerSecrets(in: ProcessInfo.processInfo.environment)
        await run(root: root) { try root.parseAsRoot(arguments ?? Array(CommandLine.arguments.dropFirst())) }
    }

    /// Parses with `parse`, runs the command and exits with its code, or reports the error the way `root` words it.
    static func run(root: any ParsableCommand.Type, _ parse: () throws -> any ParsableCommand) async -> Never {
        do {
            var command = try parse()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            exit(0)
        } catch {
            exit(report(error, root: root))
        }
    }

    /// Starts what a one-shot `ask` will need while its command line is parsed (ArgumentParser's reflection is a tenth of
    /// the process): the built-in planner's data on the other core (SessionFactory would start it later), and SKILL.md
    /// (no key is sent; SessionFactory judges the base URL as ever).
    static func startAsking(_ arguments: [String]) {
        let environment = ProcessInfo.processInfo.environment
        if !arguments.contains(where: { $0.hasPrefix("--planner") }), environment["KONEKTOR_PLANNER"] == nil {
            Task.detached(priority: .userInitiated) { BuiltinPlanner.prewarm() }
        }
        SkillPrefetch.start(environment: environment)
    }

    /// Parses the command line. `ask`, the command scripts run in loops, is parsed on its own: building the whole command tree
    /// costs more start-up time than the rest of a turn (every option of every command is reflected on). Its help, and
    /// every other command, goes through the root, so usage lines and help pages are the same as ever.
    static func parse(_ arguments: [String]) throws -> any ParsableCommand {
        if arguments.first == "ask", !arguments.contains(where: isHelpWord) {
            do {
                return try AskCommand.parseAsRoot(Array(arguments.dropFirst()))
            } catch {
                // Errors are reported with the root's usage line: parse again the slow way, which throws the same error in full.
                return try Konektor.parseAsRoot(arguments)
            }
        }
        return try Konektor.parseAsRoot(arguments)
    }

    static let helpWords: Set<String> = ["-h", "--help", "-help", "help", "--version", "--generate-completion-script", "--experimental-dump-help"]

    /// Whether an argument asks for help or the version instead of a command's run.
    static func isHelpWord(_ argument: String) -> Bool { helpWords.contains(argument) }

    /// Handles what ArgumentParser cannot: `help TOPIC`, and a misspelt command (`konektor aks`) with a suggestion.
    /// Returns the exit code when it handled the command line, nil to parse it as usual.
    static func preflight(_ arguments: [String]) -> Int32? {
        guard let first = arguments.first, !first.hasPrefix("-") else { return nil }
        let commands = Konektor.configuration.subcommands.map { $0._commandName }
        if first == "help", arguments.count == 2, !commands.contains(arguments[1]) {
            guard let topic = HelpTopic(rawValue: arguments[1]) else {
                let known = commands + HelpTopic.allCases.map(\.rawValue)
                writeStandardError("konektor: no help on '\(arguments[1])'\(Suggestion.hint(for: arguments[1], among: known)) "
                    + "(commands: \(commands.joined(separator: ", ")); topics: \(HelpTopic.allCases.map(\.rawValue).joined(separator: ", ")))\n")
                return ExitStatus.usage.rawValue
            }
            writeStandardOutput(topic.text + "\n")
            return ExitStatus.answered.rawValue
        }
        guard first != "help", !commands.contains(first) else { return nil }
        writeStandardError("konektor: unknown command '\(first)'\(Suggestion.hint(for: first, among: commands + ["help"])) "
            + "(commands: \(commands.joined(separator: ", ")); konektor --help describes them)\n")
        return ExitStatus.usage.rawValue
    }

    /// Lets `--wait` stand alone (`ask --wait "…"`): without a number after it, it means until the action expires.
    static func normalize(_ arguments: [String]) -> [String] {
        var out: [String] = []
        for (i, argument) in arguments.enumerated() {
            if argument == "--wait", !(i + 1 < arguments.count && Int(arguments[i + 1]) != nil) {
                out.append("--wait=-1")
            } else {
                out.append(argument)
            }
        }
        return out
    }

    /// Prints an error the way a person can act on it and returns the exit code.
    static func report(_ error: any Error, root: any ParsableCommand.Type = Konektor.self) -> Int32 {
        if let exitCode = error as? ExitCode { return exitCode.rawValue }
        if let failure = error as? CommandFailure {
            if !failure.message.isEmpty { writeStandardError("konektor: \(failure.message)\n") }
            return failure.exitCode.rawValue
        }
        let code = root.exitCode(for: error)
        let message = root.fullMessage(for: error)
        if code == .success {
            if !message.isEmpty { print(message) }
            return 0
        }
        if code == .validationFailure {
            writeStandardError(message + "\n")
            return ExitStatus.usage.rawValue
        }
        writeStandardError("konektor: \(String(describing: error))\n")
        return ExitStatus.error.rawValue
    }
}

extension ExitCode {
    init(_ status: ExitStatus) { self.init(status.rawValue) }
}

package func writeStandardError(_ text: String) { writeAll(text, to: 2) }

/// Writes unbuffered, so a line reaches a pipe before the process blocks (the sandbox's banner).
package func writeStandardOutput(_ text: String) { writeAll(text, to: 1) }

/// Swift 6 forbids touching the C `stdout`/`stderr` globals; write to the descriptor instead.
func writeAll(_ text: String, to descriptor: Int32) {
    var text = TerminalOutput.scrub(text)
    text.withUTF8 { buffer in
        var offset = 0
        while offset < buffer.count {
            let written = write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
            if written <= 0 { break }
            offset += written
        }
    }
}
