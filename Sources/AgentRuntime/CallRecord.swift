import AgentCore
import Approvals

/// One planned call as `ask --json` reports it.
public struct CallRecord: Sendable, Hashable {
    public var tool: String
    public var method: String?
    public var path: String?
    public var query: JSONObject
    public var body: JSONObject?
    /// The gate's verdict for the call (after `--supervised` made a write wait for approval).
    public var decision: Decision.Verdict
    public var rule: String
    /// True when a person (or `--yes`) confirmed the write; nil when no confirmation was asked.
    public var confirmed: Bool?
    /// Nil when nothing was sent (denied, invalid, declined, dry run).
    public var status: Int?
    public var requestId: String?
    public var error: String?
    /// The catalog's field-by-field reasons when the arguments were invalid (what `validation-failure` records).
    public var validationDetails: JSONObject?
    /// The API's error envelope (`code`, `message`, `details`, `requestId`), scrubbed, when the API refused the call.
    public var apiError: JSONObject?
    /// The call was sent, or meant to be, and did not succeed: an API error, a dropped connection, invalid arguments.
    public var failed = false
    /// Time from the plan to the result, and the part of it spent in the client (network and the API); for benchmarks.
    public var elapsed: Duration = .zero
    /// `RUN/ACTION` of the pending action this write became, and its state when the turn ended.
    public var approval: String?
    public var approvalState: PendingAction.State?
    public var expiresAt: String?
    public var network: Duration = .zero
    /// Time the client waited for the API's rate limit before the answer came (`rateLimitWaitSeconds` in `ask --json`).
    public var rateLimitWait: Duration = .zero

    /// The rate-limit wait in whole seconds, rounded up, as `ask --json` reports it.
    public var rateLimitWaitSeconds: Int {
        Int(rateLimitWait.components.seconds) + (rateLimitWait.components.attoseconds > 0 ? 1 : 0)
    }

    /// A pending write as `ask --json` lists it: the call, its approval reference, when it expires, and how to decide it.
    public var pendingJSON: JSONValue {
        guard case .object(var object) = jsonValue else { return jsonValue }
        object["approval"] = approval.map(JSONValue.string) ?? .null
        object["state"] = approvalState.map { .string($0.rawValue) } ?? .null
        object["expiresAt"] = expiresAt.map(JSONValue.string) ?? .null
        object["approve"] = approval.map { .string("konektor approvals approve \($0)") } ?? .null
        object["reject"] = approval.map { .string("konektor approvals reject \($0)") } ?? .null
        return .object(object)
    }

    public var jsonValue: JSONValue {
        [
            "tool": .string(tool),
            "method": method.map(JSONValue.string) ?? .null,
            "path": path.map(JSONValue.string) ?? .null,
            "query": .object(query),
            "body": body.map(JSONValue.object) ?? .null,
            "decision": .string(decision.rawValue),
            "rule": .string(rule),
            "confirmed": confirmed.map(JSONValue.bool) ?? .null,
            "status": status.map(JSONValue.int) ?? .null,
            "requestId": requestId.map(JSONValue.string) ?? .null,
            "rateLimitWaitSeconds": .int(rateLimitWaitSeconds),
        ]
    }
}

/// What a turn produced.
public struct TurnResult: Sendable {
    public var answer: String
    public var calls: [CallRecord]
    /// Writes still waiting for a person's approval when the turn ended.
    public var pending: [CallRecord]
    /// Tokens the planner's model used in this turn; nil for a planner without one.
    public var usage: TokenUsage? = nil
    /// Whether the answer answers the request, or says why it does not.
    public var outcome: TurnOutcome = .answered

    /// `{"answer", "outcome", "understood", "calls", "pending"}`: the `ask --json` contract.
    public var jsonValue: JSONValue {
        [
            "answer": .string(answer), "outcome": .string(outcome.rawValue), "understood": .bool(outcome.understood),
            "calls": .array(calls.map(\.jsonValue)), "pending": .array(pending.map(\.pendingJSON)),
        ]
    }

    public var anyDenied: Bool { calls.contains { $0.decision == .deny } }
}
