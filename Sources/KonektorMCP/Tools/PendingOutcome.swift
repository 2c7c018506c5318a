import AgentCore
import AgentPolicy
import AgentRuntime
import Approvals
import MCP

/// The outcome of a pending action, for a client that calls its tool again with the action's id.
enum PendingOutcome {
    static func look(reference: String, tool: String, session: Session) async -> CallTool.Result {
        guard let approvals = await session.approvals else {
            return ToolResult.error(.failed, "this session has no approvals store, so it has no pending actions", tool: tool)
        }
        let sessionId = await session.id
        guard let action = try? await approvals.action(reference), action.proposer.session == sessionId, action.tool == tool else {
            return ToolResult.error(.failed, "no pending action \(reference.prefix(80)) of \(tool) was proposed in this MCP session", tool: tool)
        }
        let expires = UTCTimestamp.format(millis: Int64(action.expiresAt.timeIntervalSince1970 * 1000))
        switch action.state {
        case .pending, .executing:
            let message = action.state == .pending ? "still waiting for a person's approval; not sent yet" : "approved and being sent now"
            return ToolResult.success(["pending": ToolResult.pending(reference: reference, tool: tool, state: action.state.rawValue, expiresAt: expires, message: message)])
        case .approved:
            do {
                let done = try await session.runApproved(reference)
                return finished(done, tool: tool, policy: await session.policy)
            } catch {
                return ToolResult.error(.approval, "\(reference) was approved but could not run: \(error)", tool: tool)
            }
        case .executed, .rejected, .expired, .failed:
            return finished(action, tool: tool, policy: await session.policy)
        }
    }

    static func finished(_ action: PendingAction, tool: String, policy: Policy) -> CallTool.Result {
        switch action.state {
        case .executed:
            var value: JSONObject = ["approval": .string(action.reference), "state": .string(action.state.rawValue), "decidedBy": action.decidedBy.map(JSONValue.string) ?? .null]
            value["status"] = action.resultStatus.map(JSONValue.int) ?? .null
            value["requestId"] = action.requestId.map(JSONValue.string) ?? .null
            value["data"] = action.result.map { policy.redactForPlanner($0) } ?? .null
            return ToolResult.success(.object(value))
        case .rejected:
            return ToolResult.error(.approval, "\(action.reference) was rejected by \(action.decidedBy ?? "a person")\(action.note.map { ": \($0)" } ?? ""); it was not sent", tool: tool)
        case .expired:
            return ToolResult.error(.approval, "no one approved \(action.reference) before it expired; it was not sent", tool: tool)
        case .failed:
            return ToolResult.error(.approval, "\(action.reference) was approved but failed: \(action.error ?? "unknown error")", tool: tool)
        default:
            return ToolResult.success(["pending": ToolResult.pending(reference: action.reference, tool: tool, state: action.state.rawValue, expiresAt: nil, message: "not finished")])
        }
    }
}
