import AgentCore
import AgentRuntime
import Approvals
import MCP

/// A call's outcome as an MCP tool result: the data, a pending action, or an error a client can act on.
///
/// Every result is one JSON text (and the same value as `structuredContent`), so a model reads
/// what a program reads: `{"data", "pagination"}` as the policy lets a planner see it, or
/// `{"pending": …}`, or `{"error": {"kind", "message", "rule", "details" | "api"}}`.
public enum ToolResult {
    /// The kinds of error a tool call can end in.
    public enum ErrorKind: String, Sendable {
        /// The policy refused it; `rule` names the file:line that decided.
        case denied
        /// The arguments do not fit the catalog; `details` says which field and why.
        case invalid
        /// A write that needs confirmation was declined, or no one could be asked.
        case notConfirmed = "not-confirmed"
        /// The API answered with an error; `api` is its envelope.
        case api
        /// A pending action was rejected, expired or failed.
        case approval
        /// The call could not be made (no connection, an unknown pending action, a call too large).
        case failed
    }

    public static func make(record: CallRecord, outcome: CallOutcome) -> CallTool.Result {
        switch outcome {
        case .data(let value):
            return success(value)
        case .notSent(let message):
            if record.approvalState == .pending, let reference = record.approval {
                return success(["pending": pending(reference: reference, tool: record.tool, state: "pending", expiresAt: record.expiresAt, message: message)])
            }
            if record.decision == .approve, record.approvalState != nil {
                return error(.approval, message, record: record)
            }
            return error(record.confirmed == false || record.decision == .confirm ? .notConfirmed : .failed, message, record: record)
        case .error(let message):
            if record.decision == .deny { return error(.denied, message, record: record) }
            if record.validationDetails != nil { return error(.invalid, message, record: record) }
            if record.apiError != nil { return error(.api, message, record: record) }
            return error(.failed, message, record: record)
        }
    }

    /// What a client is told about a pending action: its id, state, expiry, and how to decide it and learn the outcome.
    static func pending(reference: String, tool: String, state: String, expiresAt: String?, message: String) -> JSONValue {
        [
            "approval": .string(reference), "state": .string(state), "expiresAt": expiresAt.map(JSONValue.string) ?? .null,
            "approve": .string("konektor approvals approve \(reference)"), "reject": .string("konektor approvals reject \(reference)"),
            "outcome": .string("call \(tool) again with {\"\(ToolListing.pendingArgument)\": \"\(reference)\"}"),
            "message": .string(message),
        ]
    }

    static func success(_ value: JSONValue) -> CallTool.Result {
        CallTool.Result(content: [.text(text: value.jsonString(), annotations: nil, _meta: nil)], structuredContent: Optional(value.mcpValue), isError: false)
    }

    static func error(_ kind: ErrorKind, _ message: String, record: CallRecord) -> CallTool.Result {
        var body: JSONObject = ["kind": .string(kind.rawValue), "message": .string(message), "tool": .string(record.tool)]
        if kind == .denied || kind == .notConfirmed { body["rule"] = .string(record.rule) }
        if let details = record.validationDetails { body["details"] = .object(details) }
        if let api = record.apiError { body["api"] = .object(api) }
        if let approval = record.approval { body["approval"] = .string(approval) }
        return error(body)
    }

    static func error(_ kind: ErrorKind, _ message: String, tool: String) -> CallTool.Result {
        error(["kind": .string(kind.rawValue), "message": .string(message), "tool": .string(tool)])
    }

    static func error(_ body: JSONObject) -> CallTool.Result {
        let value: JSONValue = ["error": .object(body)]
        return CallTool.Result(content: [.text(text: value.jsonString(), annotations: nil, _meta: nil)], structuredContent: Optional(value.mcpValue), isError: true)
    }
}
