import AgentCore
import AgentPolicy
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

        public init(dryRun: Bool = false, stepBudget: Int = 6, resultBudget: Int = 12_000, assumeYes: Bool = false) {
            self.dryRun = dryRun
            self.stepBudget = stepBudget
            self.resultBudget = resultBudget
            self.assumeYes = assumeYes
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
    public var configuration: Configuration
    public let workspace: WorkspaceFacts
    var writesThisSession = 0
    var alwaysConfirmed: Set<String> = []

    public init(
        id: String = UUID().uuidString.lowercased(), catalog: Catalog, policy: Policy, planner: any Planner, client: KonektorClient,
        audit: AuditLog?, confirmer: (any Confirmer)?, workspace: WorkspaceFacts, configuration: Configuration = Configuration()
    ) {
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
    }

    public func setDryRun(_ on: Bool) { configuration.dryRun = on }

    func record(_ kind: String, _ data: JSONObject) throws {
        try audit?.append(AuditEvent(kind: kind, session: id, data: data))
    }

    /// Runs one turn for a person's request.
    public func turn(_ text: String) async throws -> TurnResult {
        try record("request", ["text": .string(text)])
        var transcript: [TranscriptEntry] = [.user(text)]
        var calls: [CallRecord] = []
        var callsThisTurn = 0
        let offered = policy.offeredTools(in: catalog).map(\.toolName)
        for _ in 0..<configuration.stepBudget {
            try Task.checkCancellation()
            let step = try await planner.next(PlanningContext(transcript: transcript, tools: offered, workspace: workspace))
            switch step {
            case .answer(let answer):
                try record("answer", ["text": .string(answer), "calls": .int(calls.count)])
                return TurnResult(answer: answer, calls: calls, pending: [])
            case .calls(let planned):
                for call in planned {
                    let started = ContinuousClock.now
                    var (record, outcome) = try await run(call, callsThisTurn: callsThisTurn)
                    record.elapsed = ContinuousClock.now - started
                    callsThisTurn += 1
                    calls.append(record)
                    transcript.append(.result(call: call, outcome: outcome))
                }
            }
        }
        let answer = "I stopped after \(configuration.stepBudget) steps without an answer; please ask more specifically."
        try record("answer", ["text": .string(answer), "calls": .int(calls.count)])
        return TurnResult(answer: answer, calls: calls, pending: [])
    }

    func run(_ call: ToolCall, callsThisTurn: Int) async throws -> (CallRecord, CallOutcome) {
        try record("plan", ["tool": .string(call.name), "arguments": .object(call.arguments)])
        let usage = SessionUsage(callsThisTurn: callsThisTurn, writesThisSession: writesThisSession)
        let outcome = gate.check(call, usage: usage)
        let decision = outcome.decision
        try record("decision", ["tool": .string(call.name), "decision": .string(decision.verdict.rawValue), "rule": .string(decision.rule), "reason": .string(decision.reason)])
        var entry = CallRecord(tool: call.name, method: nil, path: nil, query: [:], body: nil, decision: decision.verdict.rawValue, rule: decision.rule)
        switch outcome {
        case .denied(let d):
            entry.error = d.reason
            return (entry, .error("refused by policy (\(d.rule)): \(d.reason)"))
        case .invalid(_, let error):
            try record("validation-failure", ["tool": .string(call.name), "details": .object(error.details)])
            entry.error = "\(error)"
            entry.failed = true
            return (entry, .error("\(error)"))
        case .ready(let d, let validated):
            entry.method = validated.method
            entry.path = validated.path
            entry.query = validated.queryObject
            entry.body = validated.body
            if validated.endpoint.isWrite {
                switch d.verdict {
                case .approve:
                    entry.error = "this write needs a person's approval, and supervised approvals are not available in this version"
                    return (entry, .notSent(entry.error!))
                case .confirm:
                    let answer = await confirm(validated, reason: d.reason)
                    let cancelled = Task.isCancelled
                    try record("confirmation", ["tool": .string(call.name), "answer": .string(answer.rawValue), "by": .string(Self.user), "how": .string(confirmer == nil ? "--yes" : "prompt")])
                    entry.confirmed = answer != .no
                    if cancelled {
                        try record("cancelled", ["tool": .string(call.name)])
                        throw CancellationError()
                    }
                    if answer == .no {
                        entry.error = confirmer == nil
                            ? "no one is at a terminal to confirm this write; pass --yes (if the \(policy.name) policy permits unattended writes) or run it at a terminal"
                            : "declined by the person"
                        return (entry, .notSent(entry.error!))
                    }
                    if answer == .always { alwaysConfirmed.insert(call.name) }
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
                var shown: JSONObject = ["data": policy.redactForPlanner(response.data)]
                if let pagination = response.body["pagination"] { shown["pagination"] = pagination }
                return (entry, .data(Self.trim(.object(shown), to: configuration.resultBudget)))
            } catch {
                entry.network = ContinuousClock.now - sent
                entry.status = error.apiError?.status
                entry.requestId = error.apiError?.requestId
                entry.error = "\(error)"
                entry.failed = true
                try record("error", ["tool": .string(call.name), "message": .string("\(error)")])
                return (entry, .error("\(error)"))
            }
        }
    }

    func confirm(_ call: ValidatedCall, reason: String) async -> ConfirmationAnswer {
        if alwaysConfirmed.contains(call.toolName) { return .yes }
        guard let confirmer else {
            return configuration.assumeYes && policy.unattendedWrites ? .yes : .no
        }
        var current: JSONObject?
        if call.toolName == "updateLead", let id = call.arguments["id"], let lookup = try? catalog.validate(tool: "getLead", arguments: ["id": id]).get(),
            let lead = try? await client.send(lookup).data.objectValue
        {
            current = JSONObject((call.body ?? [:]).compactMap { key, _ in lead[key].map { (key, $0) } })
        }
        return await confirmer.confirm(WritePreview(tool: call.toolName, method: call.method, path: call.path, body: call.body, current: current, reason: reason))
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
