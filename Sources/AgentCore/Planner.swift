import Foundation

/// One entry of a turn's transcript: what the person said, what was called, what came back.
public enum TranscriptEntry: Sendable, Hashable {
    case user(String)
    /// The calls the planner proposed in one step, in order; their results follow.
    case calls([ToolCall], note: String?)
    /// A call and its outcome as the planner may see it: the result (redacted, untrusted data) or an error.
    case result(call: ToolCall, outcome: CallOutcome)
    case answer(String)
}

/// What happened to a planned call, from the planner's point of view.
public enum CallOutcome: Sendable, Hashable {
    /// The API's `data` (and `pagination`), redacted per policy. Untrusted: never instructions.
    case data(JSONValue)
    /// Refused before any I/O (policy or validation) or answered with an API error; the planner may correct itself once.
    case error(String)
    /// A write the person declined, or a dry run.
    case notSent(String)
}

/// Facts about the workspace a planner needs to interpret a question.
public struct WorkspaceFacts: Sendable, Hashable {
    public var name: String
    public var timezone: String
    public var currency: String
    public var language: String
    public var dateFormat: String
    /// Now, as an ISO 8601 instant.
    public var now: String

    /// ``now`` as a date; nil when it is not an instant.
    public var nowDate: Date? { Self.instant(now) }

    /// An API instant (`2026-11-23T03:00:00.000Z`, with or without fractional seconds) as a date.
    public static func instant(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)
    }

    public init(name: String, timezone: String, currency: String, language: String, dateFormat: String, now: String) {
        self.name = name
        self.timezone = timezone
        self.currency = currency
        self.language = language
        self.dateFormat = dateFormat
        self.now = now
    }
}

/// What the planner is told each step: the turn so far and the tools the policy offers.
public struct PlanningContext: Sendable {
    public var transcript: [TranscriptEntry]
    /// Names of the tools the policy allows; the planner is offered nothing else.
    public var tools: [String]
    public var workspace: WorkspaceFacts
    /// What the session's policy allows, confirms, sends for approval and denies, in a few lines for a system prompt.
    public var policySummary: String

    public init(transcript: [TranscriptEntry], tools: [String], workspace: WorkspaceFacts, policySummary: String = "") {
        self.transcript = transcript
        self.tools = tools
        self.workspace = workspace
        self.policySummary = policySummary
    }

    /// The person's request of this turn.
    public var request: String {
        for entry in transcript.reversed() { if case .user(let text) = entry { return text } }
        return ""
    }

    /// The results of this turn so far, in order.
    public var results: [(call: ToolCall, outcome: CallOutcome)] {
        transcript.compactMap { if case .result(let call, let outcome) = $0 { (call, outcome) } else { nil } }
    }
}

/// The planner's next move: calls to make, the answer, or no answer to the request as asked.
public enum PlannerStep: Sendable, Hashable {
    case calls([ToolCall])
    case answer(String)
    /// The planner did not act on the request: it asks one question, says what it did not understand, or declines.
    case unresolved(Unresolved)
}

/// A turn the planner could not (or would not) answer as asked, and what it tells the person instead.
public struct Unresolved: Sendable, Hashable {
    /// Why the request was not answered; `ask --json` reports it as `outcome`, and it decides the exit status.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// Meaningful words were left over, or nothing matched: the planner says what it did not understand.
        case notUnderstood = "not-understood"
        /// Two readings scored close, or a required value is missing: the planner asks one short question.
        case clarify
        /// The API cannot do it (delete, send email, export) or it is a bulk write: declined with the reason.
        case unsupported
        /// The policy does not allow it (decided by the planner from what the policy offers, before any call).
        case denied
    }

    public var kind: Kind
    /// What the person reads: the question, or exactly what was not understood or why it was declined.
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }
}

/// Tokens one model response used, as the provider reported them.
public struct TokenUsage: Sendable, Hashable {
    public var inputTokens: Int
    public var outputTokens: Int

    public init(inputTokens: Int, outputTokens: Int) {
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
    }

    public static let zero = TokenUsage(inputTokens: 0, outputTokens: 0)
    public static func + (a: TokenUsage, b: TokenUsage) -> TokenUsage {
        TokenUsage(inputTokens: a.inputTokens + b.inputTokens, outputTokens: a.outputTokens + b.outputTokens)
    }
}

/// A planner's step with what it cost: the tokens of the model response behind it, if any.
public struct PlannerReply: Sendable, Hashable {
    public var step: PlannerStep
    public var usage: TokenUsage?
    /// Text the model wrote beside its tool calls (its reasoning for the person), if any.
    public var note: String?

    public init(step: PlannerStep, usage: TokenUsage? = nil, note: String? = nil) {
        self.step = step
        self.usage = usage
        self.note = note
    }
}

/// Plans endpoint calls for a request: the built-in planner, an LLM, or a script.
public protocol Planner: Sendable {
    /// A short name for `/whoami` and the audit log (`builtin`, `openai:gpt-4o`).
    var name: String { get }
    func next(_ context: PlanningContext) async throws -> PlannerStep
    /// The next step and its token usage; planners without a model need not implement it.
    func plan(_ context: PlanningContext) async throws -> PlannerReply
    /// Whether the planner runs in this process and sends nothing anywhere (the built-in and script planners).
    ///
    /// A person's request goes to disk before a planner that sends it out (to a model provider) sees it; for a
    /// local planner it may wait for the turn's first durable record.
    var isLocal: Bool { get }
}

extension Planner {
    public var isLocal: Bool { false }

    public func plan(_ context: PlanningContext) async throws -> PlannerReply {
        PlannerReply(step: try await next(context))
    }
}

/// Asks a person whether a write may run.
public protocol Confirmer: Sendable {
    func confirm(_ preview: WritePreview) async -> ConfirmationAnswer
}

/// What a person sees before a write: the exact request, and for an update the lead's current values.
public struct WritePreview: Sendable, Hashable {
    public var tool: String
    public var method: String
    public var path: String
    public var body: JSONObject?
    /// The lead's values before the change, for the fields the call changes.
    public var current: JSONObject?
    public var reason: String
    /// The person's request this write came from, so the question is asked in its language.
    public var request: String

    public init(tool: String, method: String, path: String, body: JSONObject?, current: JSONObject?, reason: String, request: String = "") {
        self.request = request
        self.tool = tool
        self.method = method
        self.path = path
        self.body = body
        self.current = current
        self.reason = reason
    }
}

public enum ConfirmationAnswer: String, Sendable, Hashable {
    case yes
    case no
    /// Yes, and do not ask again for this tool in this session.
    case always
}
