/// The exit codes other tools rely on (README "Exit codes", `ask --help`, DESIGN.md).
public enum ExitStatus: Int32, Sendable, CaseIterable {
    /// The request was answered (or the command did what it was asked).
    case answered = 0
    /// An error: a failed call, an unreachable server, a bad file.
    case error = 1
    /// The command line was wrong.
    case usage = 2
    /// A write is waiting for a person's approval (`konektor approvals`).
    case pendingApproval = 3
    /// Refused by policy (by the planner or the gate), an unconfirmed write, or a write a person rejected or let expire.
    case denied = 4
    /// The request was not acted on: not understood, a question back, or beyond what the API can do.
    case notAnswered = 5

    /// One line per code, for `--help` pages and `konektor help exit-codes`.
    public static var summary: String {
        allCases.map { "  \($0.rawValue)  \($0.meaning)" }.joined(separator: "\n")
    }

    public var meaning: String {
        switch self {
        case .answered: "answered"
        case .error: "error (a failed call, an unreachable server, a bad file)"
        case .usage: "usage (unknown command or option, bad value)"
        case .pendingApproval: "a write is waiting for a person's approval (konektor approvals)"
        case .denied: "refused by the policy, an unconfirmed write, or a write a person rejected (or that expired)"
        case .notAnswered: "not acted on: not understood, a question back, or beyond what the API can do (`outcome` in --json)"
        }
    }
}
