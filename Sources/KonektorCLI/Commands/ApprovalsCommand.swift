import AgentCore
import AgentRuntime
import Approvals
import ArgumentParser
import AuditLog
import Foundation
import KonektorKit

/// `konektor approvals`: the writes supervised sessions proposed, and a person's decisions on them.
struct ApprovalsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approvals",
        abstract: "List, inspect, approve or reject writes that wait for a person.",
        discussion: """
            A session under a policy whose writes need approval (supervised, supervisor) or run with --supervised stores \
            each write as a pending action RUN/ACTION in $XDG_STATE_HOME/konektor/approvals.sqlite. The proposing session \
            runs an approved action when it is waiting (ask --wait, or its REPL); approvals run does it from a live session.
            """,
        subcommands: [List.self, Show.self, Approve.self, Reject.self, RunAction.self]
    )

    /// The store and the audit log every subcommand shares.
    static func stores(paths: KonektorPaths = KonektorPaths()) throws -> SessionStores {
        do {
            return try SessionStores(paths: paths)
        } catch {
            throw CommandFailure("\(error)")
        }
    }

    static var person: String {
        let environment = ProcessInfo.processInfo.environment
        return "\(environment["USER"] ?? ProcessInfo.processInfo.userName)@\(ProcessInfo.processInfo.hostName)"
    }

    static func row(_ action: PendingAction) -> [String] {
        let change: String = (action.body ?? [:]).map { (key: String, value: JSONValue) -> String in
            let before: String = action.current?[key].map { ($0.stringValue ?? $0.jsonString()) + "→" } ?? ""
            return key + "=" + before + (value.stringValue ?? value.jsonString())
        }.joined(separator: " ")
        let request: String = action.method + " " + action.path
        let proposer: String = action.proposer.user + "@" + action.proposer.host
        return [action.reference, action.state.rawValue, request, change, proposer, UTCTimestamp.format(millis: Int64(action.expiresAt.timeIntervalSince1970 * 1000))]
    }

    static func table(_ actions: [PendingAction]) -> String {
        let rows = [["ACTION", "STATE", "REQUEST", "CHANGE", "PROPOSED BY", "EXPIRES"]] + actions.map(row)
        let widths = rows[0].indices.map { i in rows.map { $0[i].count }.max() ?? 0 }
        return rows.map { row in row.enumerated().map { i, cell in i == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[i] - cell.count) }
            .joined(separator: "  ") }.joined(separator: "\n") + "\n"
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Actions waiting for a decision (with --all, every action).")

        @Flag(help: "Include decided, expired, executed and failed actions.")
        var all = false

        @Flag(help: "One JSON array.")
        var json = false

        func run() async throws {
            let actions = try ApprovalsCommand.stores().list(all: all)
            if json {
                print(JSONValue.array(actions.map(\.jsonValue)).jsonString())
            } else if actions.isEmpty {
                print(all ? "no actions yet" : "nothing waits for approval")
            } else {
                print(ApprovalsCommand.table(actions), terminator: "")
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One action (RUN/ACTION), or every action of a run (RUN), in full.")

        @Argument(help: ArgumentHelp("RUN or RUN/ACTION", valueName: "reference"))
        var reference: String

        func run() async throws {
            let stores = try ApprovalsCommand.stores()
            do {
                _ = try stores.list(all: false)
                let actions = reference.contains("/") ? [try stores.approvals.action(reference)] : try stores.approvals.actions(ofRun: reference)
                guard !actions.isEmpty else { throw ApprovalError.notFound(reference) }
                print(JSONValue.array(actions.map(\.jsonValue)).jsonString(.pretty))
            } catch let error as ApprovalError {
                throw CommandFailure("\(error)")
            }
        }
    }

    struct Approve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Approve one pending action; the proposing session then runs it, once.")

        @Argument(help: ArgumentHelp("RUN/ACTION", valueName: "reference"))
        var reference: String

        @Option(help: "Why, for the audit log.")
        var note: String?

        func run() async throws { try await ApprovalsCommand.decide(reference, approve: true, note: note) }
    }

    struct Reject: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Reject one pending action; it will never run.")

        @Argument(help: ArgumentHelp("RUN/ACTION", valueName: "reference"))
        var reference: String

        @Option(help: "Why, for the audit log and the proposing session.")
        var note: String?

        func run() async throws { try await ApprovalsCommand.decide(reference, approve: false, note: note) }
    }

    static func decide(_ reference: String, approve: Bool, note: String?) async throws {
        let stores = try ApprovalsCommand.stores()
        do {
            _ = try stores.list(all: false)
            let action = try stores.approvals.decide(reference, approve: approve, by: person, note: note)
            try stores.record(approve ? "approval-approved" : "approval-rejected", [action])
            print("\(approve ? "approved" : "rejected") \(action.reference): \(action.method) \(action.path)"
                  + (approve ? " — the proposing session runs it (or: konektor approvals run \(action.reference))" : ""))
        } catch let error as ApprovalError {
            if case .tampered = error { try? stores.approvals.fail(reference, error: "\(error)") }
            throw CommandFailure("\(error)", exitCode: error.isRefusal ? ExitStatus.denied : ExitStatus.error)
        }
    }

    struct RunAction: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "run",
            abstract: "Run an approved action from this process (its proposer is gone); needs the same API and key it was proposed for."
        )

        @Argument(help: ArgumentHelp("RUN/ACTION", valueName: "reference"))
        var reference: String

        @Option(help: ArgumentHelp("The policy to re-check the action against.", valueName: "name|file"))
        var policy = "default"

        func run() async throws {
            let built = try await SessionFactory.terminal(policyName: policy, dryRun: false, assumeYes: false, confirmer: nil).build()
            do {
                let done = try await built.session.runApproved(reference)
                await SessionFactory.finish(built)
                guard done.state == .executed else {
                    throw CommandFailure("\(done.reference) failed: \(done.error ?? "unknown")")
                }
                print("ran \(done.reference): \(done.method) \(done.path) → \(done.resultStatus.map(String.init) ?? "?")\(done.requestId.map { " (\($0))" } ?? "")")
            } catch let error as ApprovalError {
                await SessionFactory.finish(built)
                throw CommandFailure("\(error)", exitCode: error.isRefusal ? ExitStatus.denied : ExitStatus.error)
            } catch let error as SessionError {
                await SessionFactory.finish(built)
                throw CommandFailure("\(error)")
            }
        }
    }
}

extension ApprovalError {
    /// Whether the store refused the step (decided, expired, tampered, not approved), as opposed to failing.
    var isRefusal: Bool {
        switch self {
        case .alreadyDecided, .expired, .tampered, .notApproved: true
        case .badReference, .notFound, .storage: false
        }
    }
}
