import AgentCore
import AgentPolicy
import Approvals
import AuditLog
import Foundation
import KonektorClient
import SkillCatalog

/// One conversation with the API: the catalog, the effective policy, the planner, the client, the audit log.
///
/// A turn asks the planner for calls, passes each through the ``CallGate``
/// (policy, then validation), confirms writes when the policy says so,
/// sends them through the shared client, records every step in the audit
/// log before it proceeds, and gives the planner the redacted result as
/// untrusted data, until the planner answers or the turn's budget ends.
public actor Session {
    public struct Configuration: Sendable {
        public var dryRun: Bool
        /// Steps (planner rounds) a turn may take.
        public var stepBudget: Int
        /// Characters of a result the planner sees.
        public var resultBudget: Int
        /// Whether `--yes` was given: confirmations become yes when the policy permits unattended writes.
        public var assumeYes: Bool
        /// Refusals and failed calls a turn tolerates before it ends: each goes back to the planner once to correct.
        public var correctionBudget: Int
        /// Earlier turns (request and answer) the planner sees, for follow-up questions.
        public var rememberedTurns: Int
        /// Where "now" comes from at each turn; nil keeps the workspace facts' instant (tests pin it).
        public var clock: (@Sendable () -> Date)? = nil
        /// Every write waits for a person's approval, whatever the policy says (`--supervised`); denials stay denials.
        public var supervised = false
        /// How long a pending action may wait for a decision before it expires (counts as rejected).
        public var approvalLifetime: Duration = .seconds(30 * 60)
        /// How long a turn waits in place for a decision on its pending writes; nil returns at once with them pending.
        public var approvalWait: Duration? = nil
        /// How often a waiting turn looks at the approvals store.
        public var approvalPoll: Duration = .milliseconds(200)
        /// SHA-256 (hex) of the session policy's documents, stored with each proposal so the runner re-checks under the same text.
        public var policyHash = ""
        /// Finds a policy by name, with its document hash, to re-check an approved action under the policy it was proposed
        /// under; nil (or a nil answer) means only the session's own policy, with ``policyHash``, can be found.
        public var policyLookup: (@Sendable (String) -> PolicyReference?)? = nil
        /// What a write that needs confirmation says when no one can be asked; nil says there is no terminal (`ask`, a pipe).
        public var unconfirmableWrite: String? = nil
        /// How the confirmer asks, as the audit log's `how` records it (`prompt` at a terminal, `elicitation` through an MCP client).
        public var confirmerChannel = "prompt"

        public init(dryRun: Bool = false, stepBudget: Int = 8, resultBudget: Int = 12_000, assumeYes: Bool = false, correctionBudget: Int = 3,
                    rememberedTurns: Int = 6) {
            self.dryRun = dryRun
            self.stepBudget = stepBudget
            self.resultBudget = resultBudget
            self.assumeYes = assumeYes
            self.correctionBudget = correctionBudget
            self.rememberedTurns = rememberedTurns
        }
    }

    public let id: String
    public let catalog: Catalog
    public let policy: Policy
    let gate: CallGate
    let planner: any Planner
    let client: KonektorClient
    let audit: AuditLog?
    let confirmer: (any Confirmer)?
    /// Where writes that need approval wait; nil when this session cannot propose any.
    public let approvals: (any ApprovalBackend)?
    var currentRun: String?
    /// Whether this session ever stored a pending action (only then is there anything of its own to run later).
    var hasProposed = false
    public var configuration: Configuration
    public private(set) var workspace: WorkspaceFacts
    var writesThisSession = 0
    /// Tools the person answered "always" for in this session, with the seq of the confirmation record that granted it.
    var alwaysGrants: [String: AlwaysGrant] = [:]
    /// Calls made in this session, for call ids.
    var callCount = 0
    var history: [TranscriptEntry] = []
    var currentRequest = ""
    var usageTotals = TokenUsage.zero
    var plannerRequests = 0
    let policySummary: String
    /// Every secret of the process: nothing the planner sees, and no answer, may carry one.
    let secrets: SecretScrubber
    public var plannerName: String { planner.name }

    public init(
        id: String = UUID().uuidString.lowercased(), catalog: Catalog, policy: Policy, planner: any Planner, client: KonektorClient,
        audit: AuditLog?, confirmer: (any Confirmer)?, workspace: WorkspaceFacts, configuration: Configuration = Configuration(),
        approvals: (any ApprovalBackend)? = nil, secrets: SecretScrubber? = nil
    ) {
        self.approvals = approvals
        self.secrets = (secrets ?? SecretScrubber()).merging(client.configuration.scrubber)
        self.id = id
        self.catalog = catalog
        self.policy = policy
        self.gate = CallGate(catalog: catalog, policy: policy)
        self.planner = planner
        self.client = client
        self.audit = audit
        self.confirmer = confirmer
        self.workspace = workspace
        self.configuration = configuration
        self.policySummary = Self.summary(of: policy, catalog: catalog)
    }

    /// One line per tool: what the policy does with it, for the planner's system prompt.
    public static func summary(of policy: Policy, catalog: Catalog) -> String {
        var lines = ["Policy \(policy.name): \(policy.description)"]
        for tool in catalog.tools {
            let decision = policy.decide(tool: tool.toolName, arguments: [:], catalog: catalog)
            let what = switch decision.verdict {
            case .allow: "runs"
            case .confirm: "runs after the person confirms"
            case .approve: "waits for a person's approval"
            case .deny: "denied (\(decision.reason))"
            }
            lines.append("- \(tool.toolName): \(what)")
        }
        return lines.joined(separator: "\n")
    }

    public func setDryRun(_ on: Bool) { configuration.dryRun = on }

    /// Replaces the workspace facts once they arrive (a REPL fetches them after showing its prompt); the turn clock keeps running.
    public func updateWorkspace(_ facts: WorkspaceFacts) {
        let now = workspace.now
        workspace = facts
        if configuration.clock != nil { workspace.now = now }
    }

    func record(_ kind: String, _ data: JSONObject) throws {
        try audit?.append(AuditEvent(kind: kind, session: id, data: data))
    }

    /// Records a step that has no effect outside this process: it reaches the disk with the next durable record, which
    /// always comes before anything is sent, proposed or shown (the request, the confirmation, the answer).
    func stage(_ kind: String, _ data: JSONObject) {
        audit?.stage(AuditEvent(kind: kind, session: id, data: data))
    }

    /// Appends a record and returns its seq (nil without a log).
    func recordSeq(_ kind: String, _ data: JSONObject) throws -> Int? {
        try audit?.append(AuditEvent(kind: kind, session: id, data: data)).seq
    }

    /// Runs one turn for a person's request.
    public func turn(_ text: String) async throws -> TurnResult {
        do {
            return try await runTurn(text)
        } catch {
            // A turn that ends in an error (Ctrl-C, a planner that failed) still leaves its steps on disk.
            try? audit?.flush()
            throw error
        }
    }

    func runTurn(_ text: String) async throws -> TurnResult {
        // A local planner sends the request nowhere, so it may go to disk with the turn's first durable record.
        if planner.isLocal { stage("request", ["text": .string(text)]) } else { try record("request", ["text": .string(text)]) }
        if let clock = configuration.clock {
            workspace.now = UTCTimestamp.format(millis: Int64(clock().timeIntervalSince1970 * 1000))
        }
        currentRun = nil
        currentRequest = text
        var transcript: [TranscriptEntry] = history + [.user(text)]
        var calls: [CallRecord] = []
        var callsThisTurn = 0
        var failures = 0
        var usage: TokenUsage?
        let offered = policy.offeredTools(in: catalog).map(\.toolName)
        func finish(_ answer: String, outcome: TurnOutcome = .answered) throws -> TurnResult {
            let answer = secrets.scrub(answer)
            try record("answer", ["text": .string(answer), "calls": .int(calls.count), "outcome": .string(outcome.rawValue)])
            history.append(contentsOf: [.user(text), .answer(answer)])
            if history.count > 2 * configuration.rememberedTurns { history.removeFirst(history.count - 2 * configuration.rememberedTurns) }
            return TurnResult(answer: answer, calls: calls, pending: calls.filter { $0.approvalState == .pending }, usage: usage, outcome: outcome)
        }
        for _ in 0..<configuration.stepBudget {
            try Task.checkCancellation()
            let reply: PlannerReply
            // What a planner that sends the transcript out is about to see (results, refusals) is on disk first.
            if !planner.isLocal { try audit?.flush() }
            do {
                reply = try await planner.plan(PlanningContext(transcript: transcript, tools: offered, workspace: workspace, policySummary: policySummary))
            } catch {
                if !(error is CancellationError) { try record("planner-error", ["planner": .string(planner.name), "message": .string("\(error)")]) }
                throw error
            }
            if let used = reply.usage {
                usage = (usage ?? .zero) + used
                usageTotals = usageTotals + used
                plannerRequests += 1
                stage("planner-usage", ["planner": .string(planner.name), "inputTokens": .int(used.inputTokens), "outputTokens": .int(used.outputTokens)])
            }
            switch reply.step {
            case .answer(let answer):
                return try finish(answer)
            case .unresolved(let unresolved):
                return try finish(unresolved.message, outcome: TurnOutcome(unresolved.kind))
            case .calls(let planned):
                transcript.append(.calls(planned, note: reply.note))
                for call in planned {
                    let started = ContinuousClock.now
                    var (record, outcome) = try await run(call, callsThisTurn: callsThisTurn)
                    // What the planner sees is scrubbed here, once, whatever produced it: an API error, a result, a refusal.
                    outcome = scrub(outcome)
                    record.error = record.error.map { secrets.scrub($0) }
                    record.elapsed = ContinuousClock.now - started
                    callsThisTurn += 1
                    calls.append(record)
                    transcript.append(.result(call: call, outcome: outcome))
                    if case .error(let message) = outcome {
                        failures += 1
                        // A planner gets a bounded number of corrections, so a confused model cannot loop on refusals.
                        if failures > configuration.correctionBudget {
                            return try finish("I stopped: the planner's calls kept failing (last: \(message)).")
                        }
                    }
                }
            }
        }
        return try finish("I stopped after \(configuration.stepBudget) steps without an answer; please ask more specifically.")
    }

    func scrub(_ outcome: CallOutcome) -> CallOutcome {
        switch outcome {
        case .data(let value): .data(secrets.scrub(value))
        case .error(let message): .error(secrets.scrub(message))
        case .notSent(let message): .notSent(secrets.scrub(message))
        }
    }

    /// Tokens the planner's model used in this session, and in how many responses.
    public var tokenUsage: (requests: Int, usage: TokenUsage) { (plannerRequests, usageTotals) }

    func run(_ call: ToolCall, callsThisTurn: Int) async throws -> (CallRecord, CallOutcome) {
        callCount += 1
        // One id links the call's plan, decision, confirmation or approval, request and response records.
        let callId = "\(id.prefix(8))-\(callCount)"
        return try await AuditContext.$callId.withValue(callId) { try await run(call, callId: callId, callsThisTurn: callsThisTurn) }
    }

    func run(_ call: ToolCall, callId: String, callsThisTurn: Int) async throws -> (CallRecord, CallOutcome) {
        var linked: JSONObject = ["call": .string(callId)]
        if let lead = Self.leadReference(call) { linked["lead"] = .string(lead) }
        func record(_ kind: String, _ data: JSONObject) throws { try self.record(kind, Self.linking(data, linked)) }
        // The plan and the gate's decision are staged: whatever follows them (a request, a proposal, a confirmation
        // prompt, a refusal's answer) writes them to disk first.
        stage("plan", Self.linking(["tool": .string(call.name), "arguments": .object(call.arguments)], linked))
        let usage = SessionUsage(callsThisTurn: callsThisTurn, writesThisSession: writesThisSession)
        let outcome = gate.check(call, usage: usage)
        let decision = outcome.decision
        stage("decision", Self.linking(["tool": .string(call.name), "decision": .string(decision.verdict.rawValue), "rule": .string(decision.rule), "reason": .string(decision.reason)], linked))
        var entry = CallRecord(tool: call.name, method: nil, path: nil, query: [:], body: nil, decision: decision.verdict, rule: decision.rule)
        if let raw = call.malformedArguments, decision.verdict != .deny {
            let message = "the arguments of \(call.name) are not a JSON object: \(raw.prefix(200))"
            try record("validation-failure", ["tool": .string(call.name), "details": ["arguments": .string(message)]])
            entry.error = message
            entry.failed = true
            return (entry, .error(message))
        }
        switch outcome {
        case .denied(let d):
            entry.error = d.reason
            return (entry, .error("refused by policy (\(d.rule)): \(d.reason)"))
        case .invalid(_, let error):
            try record("validation-failure", ["tool": .string(call.name), "details": .object(error.details)])
            entry.error = "\(error)"
            entry.validationDetails = error.details
            entry.failed = true
            return (entry, .error("\(error)"))
        case .ready(let d, let validated):
            entry.method = validated.method
            entry.path = validated.path
            entry.query = validated.queryObject
            entry.body = validated.body
            if validated.endpoint.mayChangeState {
                let verdict = configuration.supervised && d.verdict != .deny ? Decision.Verdict.approve : d.verdict
                if verdict != d.verdict { entry.decision = verdict }
                switch verdict {
                case .approve:
                    if configuration.dryRun {
                        entry.decision = .approve
                        return (entry, .notSent("dry run: this write would wait for a person's approval; nothing was proposed or sent"))
                    }
                    return try await propose(validated, decision: d, entry: entry)
                case .confirm:
                    // A dry run sends no write, so there is nothing to confirm: it shows the plan, at a terminal or not.
                    if configuration.dryRun { return (entry, .notSent("dry run: the write was planned, not sent")) }
                    // A person is asked only about what the log already holds.
                    try audit?.flush()
                    let (answer, how, current, code) = await confirm(validated, reason: d.reason)
                    if let code { linked["leadCode"] = .string(code) }
                    let cancelled = Task.isCancelled
                    var data: JSONObject = ["tool": .string(call.name), "answer": .string(answer.rawValue), "by": .string(Self.user), "how": .string(how.how == "prompt" ? configuration.confirmerChannel : how.how)]
                    if case .always(let grant) = how {
                        data["grantSeq"] = grant.seq.map(JSONValue.int) ?? .null
                        data["grantedAt"] = .string(grant.time)
                    }
                    data["before"] = current.map(JSONValue.object) ?? .null
                    data["after"] = validated.body.map(JSONValue.object) ?? .null
                    data["method"] = .string(validated.method)
                    data["path"] = .string(validated.path)
                    let seq = try recordSeq("confirmation", Self.linking(data, linked))
                    entry.confirmed = answer != .no
                    if cancelled {
                        try record("cancelled", ["tool": .string(call.name)])
                        throw CancellationError()
                    }
                    if answer == .no {
                        entry.error = confirmer == nil
                            ? configuration.unconfirmableWrite
                                ?? "no one is at a terminal to confirm this write; pass --yes (if the \(policy.name) policy permits unattended writes) or run it at a terminal"
                            : "declined by the person"
                        return (entry, .notSent(entry.error!))
                    }
                    if answer == .always, case .prompt = how {
                        alwaysGrants[call.name] = AlwaysGrant(tool: call.name, seq: seq, time: UTCTimestamp.format(millis: Int64(Date().timeIntervalSince1970 * 1000)))
                    }
                case .allow, .deny:
                    break
                }
                if configuration.dryRun { return (entry, .notSent("dry run: the write was planned, not sent")) }
                writesThisSession += 1
            }
            let sent = ContinuousClock.now
            do {
                let response = try await client.send(validated)
                entry.network = ContinuousClock.now - sent
                entry.status = response.status
                entry.requestId = response.requestId
                entry.rateLimitWait = response.rateLimitWait
                var shown: JSONObject = ["data": policy.redactForPlanner(response.data)]
                if let pagination = response.body["pagination"] { shown["pagination"] = pagination }
                return (entry, .data(Self.trim(.object(shown), to: configuration.resultBudget)))
            } catch {
                entry.network = ContinuousClock.now - sent
                entry.status = error.apiError?.status
                entry.requestId = error.apiError?.requestId
                entry.error = "\(error)"
                if let api = error.apiError {
                    var envelope: JSONObject = ["status": .int(api.status), "code": .string(api.code), "message": .string(api.message), "details": api.details]
                    envelope["requestId"] = api.requestId.map(JSONValue.string) ?? .null
                    entry.apiError = secrets.scrub(envelope)
                }
                entry.failed = true
                try record("error", ["tool": .string(call.name), "message": .string("\(error)")])
                return (entry, .error("\(error)"))
            }
        }
    }

    /// How a write was confirmed, as the audit log records it.
    enum ConfirmedHow {
        case prompt, assumeYes
        case always(AlwaysGrant)

        var how: String {
            switch self {
            case .prompt: "prompt"
            case .assumeYes: "--yes"
            case .always: "always"
            }
        }
    }

    /// Asks for (or finds) the person's answer, with the lead's values before the change for the record.
    func confirm(_ call: ValidatedCall, reason: String) async -> (ConfirmationAnswer, ConfirmedHow, JSONObject?, String?) {
        // The lead is read only when the write can go ahead: a refused unattended write sends nothing at all.
        guard let confirmer, alwaysGrants[call.toolName] == nil else {
            if let grant = alwaysGrants[call.toolName] {
                let (current, code) = await leadSnapshot(of: call)
                return (.yes, .always(grant), current, code)
            }
            guard configuration.assumeYes && policy.unattendedWrites else { return (.no, .assumeYes, nil, nil) }
            let (current, code) = await leadSnapshot(of: call)
            return (.yes, .assumeYes, current, code)
        }
        let (current, code) = await leadSnapshot(of: call)
        let answer = await confirmer.confirm(WritePreview(tool: call.toolName, method: call.method, path: call.path, body: call.body, current: current, reason: reason,
                                                          request: currentRequest))
        return (answer, .prompt, current, code)
    }

    /// The "always" answers given in this session, oldest first.
    public var grants: [AlwaysGrant] { alwaysGrants.values.sorted { ($0.seq ?? 0, $0.tool) < ($1.seq ?? 0, $1.tool) } }

    /// Takes back an "always" answer: the tool's writes are confirmed again. Recorded in the audit log.
    @discardableResult
    public func revokeGrant(tool: String) throws -> Bool {
        guard let grant = alwaysGrants.removeValue(forKey: tool) else { return false }
        try record("grant-revoked", ["tool": .string(tool), "grantSeq": grant.seq.map(JSONValue.int) ?? .null, "by": .string(Self.user)])
        return true
    }

    /// `data` with the call's link fields added where it has none of its own.
    static func linking(_ data: JSONObject, _ linked: JSONObject) -> JSONObject {
        var out = data
        for (key, value) in linked where out[key] == nil { out[key] = value }
        return out
    }

    /// The lead a call is about (its `id` argument), for the trail.
    static func leadReference(_ call: ToolCall) -> String? {
        guard call.name.localizedCaseInsensitiveContains("lead"), let id = call.arguments["id"]?.stringValue else { return nil }
        return id
    }

    /// Cuts a result to a size budget, keeping whole list items and saying how many were left out.
    static func trim(_ value: JSONValue, to budget: Int) -> JSONValue {
        guard value.jsonString().utf8.count > budget, case .object(var object) = value, case .array(let items)? = object["data"] else { return value }
        var kept: [JSONValue] = []
        var size = 0
        for item in items {
            size += item.jsonString().utf8.count
            if size > budget { break }
            kept.append(item)
        }
        object["data"] = .array(kept)
        object["omitted"] = .int(items.count - kept.count)
        return .object(object)
    }

    static var user: String { ProcessInfo.processInfo.environment["USER"] ?? ProcessInfo.processInfo.userName }
}
