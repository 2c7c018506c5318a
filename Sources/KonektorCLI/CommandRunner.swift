import ArgumentParser
import Foundation

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
        do {
            var command = try Konektor.parseAsRoot(normalize(arguments ?? Array(CommandLine.arguments.dropFirst())))
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            exit(0)
        } catch {
            exit(report(error))
        }
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
    static func report(_ error: any Error) -> Int32 {
        if let exitCode = error as? ExitCode { return exitCode.rawValue }
        if let failure = error as? CommandFailure {
            if !failure.message.isEmpty { writeStandardError("konektor: \(failure.message)\n") }
            return failure.exitCode
        }
        let code = Konektor.exitCode(for: error)
        let message = Konektor.fullMessage(for: error)
        if code == .success {
            if !message.isEmpty { print(message) }
            return 0
        }
        if code == .validationFailure {
            writeStandardError(message + "\n")
            return ExitStatus.usage
        }
        writeStandardError("konektor: \(String(describing: error))\n")
        return ExitStatus.error
    }
}

/// The exit codes other tools rely on (see DESIGN.md).
public enum ExitStatus {
    public static let answered: Int32 = 0
    public static let error: Int32 = 1
    public static let usage: Int32 = 2
    public static let pendingApproval: Int32 = 3
    public static let denied: Int32 = 4
    /// The request was not acted on: not understood, a question back, or beyond what the API can do.
    public static let notAnswered: Int32 = 5
}

/// A command that failed with a message for the person and an exit code.
public struct CommandFailure: Error, CustomStringConvertible {
    public var message: String
    public var exitCode: Int32

    public init(_ message: String, exitCode: Int32 = ExitStatus.error) {
        self.message = message
        self.exitCode = exitCode
    }

    public var description: String { message }
}

func writeStandardError(_ text: String) { writeAll(text, to: 2) }

/// Writes unbuffered, so a line reaches a pipe before the process blocks (the sandbox's banner).
func writeStandardOutput(_ text: String) { writeAll(text, to: 1) }

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
