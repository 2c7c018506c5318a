/// A command that failed with a message for the person and an exit code.
public struct CommandFailure: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var exitCode: ExitStatus

    public init(_ message: String, exitCode: ExitStatus = .error) {
        self.message = message
        self.exitCode = exitCode
    }

    public var description: String { message }
}
