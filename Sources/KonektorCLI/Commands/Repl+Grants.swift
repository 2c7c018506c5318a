import AgentRuntime
import Foundation

extension Repl {
    /// `/grants` lists the session's "always" answers; `/grants revoke TOOL` takes one back (recorded in the audit log).
    static func grants(_ arguments: [String], session: Session) async -> String {
        if arguments.first == "revoke" {
            guard arguments.count == 2 else { return "usage: /grants revoke TOOL" }
            do {
                return try await session.revokeGrant(tool: arguments[1])
                    ? "revoked: writes of \(arguments[1]) are confirmed again"
                    : "no \"always\" answer for \(arguments[1]) in this session; /grants lists them"
            } catch {
                return "error: \(error)"
            }
        }
        guard arguments.isEmpty else { return "usage: /grants or /grants revoke TOOL" }
        let grants = await session.grants
        guard !grants.isEmpty else { return "no \"always\" answers in this session" }
        return grants.map { "\($0.tool): always, granted at \($0.time)\($0.seq.map { " (audit record #\($0))" } ?? "")" }.joined(separator: "\n")
    }
}
