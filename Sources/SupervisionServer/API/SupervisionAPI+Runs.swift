import AgentCore
import Approvals
import Foundation

extension SupervisionAPI {
    /// `POST /v1/runs`: a new run, with its first proposals when the body carries them.
    func createRun(_ caller: Caller, _ body: JSONValue) async throws -> JSONValue {
        try caller.require(.propose)
        guard let o = body.objectValue else { throw SupervisionError.validation(["body": "must be an object {session, request, actions?}"]) }
        var problems = JSONObject()
        let session = o["session"]?.stringValue ?? ""
        if session.isEmpty || session.count > 200 { problems["session"] = "required, a string of 1–200 characters" }
        let request = o["request"]?.stringValue
        if request == nil || request!.count > 10_000 { problems["request"] = "required, a string of at most 10000 characters" }
        var proposals: [Proposal] = []
        switch o["actions"] {
        case nil, .null?: break
        case .array(let items)?:
            for (offset, item) in items.enumerated() {
                do { proposals.append(try Proposal(json: item, now: now(), maxLifetime: options.maxLifetime)) } catch {
                    problems["actions[\(offset)]"] = error.details
                }
            }
        default: problems["actions"] = "must be an array of proposals"
        }
        guard problems.isEmpty else { throw SupervisionError.validation(problems, message: "The run is not valid") }
        let run = RunRecord(id: TokenIssuer.identifier("run_"), session: session, request: request ?? "", identity: caller.name,
                            createdAt: Date(millis: PendingAction.millis(now())))
        try await store.createRun(run)
        for proposal in proposals { _ = try await record(proposal, run: run.id, caller: caller) }
        guard let created = try await store.run(id: run.id) else { throw SupervisionError.internal("the run \(run.id) vanished") }
        return ActionWire.json(created)
    }

    /// `POST /v1/runs/{run}/actions`: one more proposal for the caller's own run.
    func appendAction(_ caller: Caller, run id: String, _ body: JSONValue) async throws -> StoredAction {
        try caller.require(.propose)
        let run = try await ownRun(caller, id)
        let proposal = try Proposal(json: body, now: now(), maxLifetime: options.maxLifetime)
        return try await record(proposal, run: run.id, caller: caller)
    }

    func record(_ proposal: Proposal, run: String, caller: Caller) async throws -> StoredAction {
        let moment = now()
        let identity = caller.name
        let stored = try await store.appendAction(run: run, maxPending: options.maxPendingPerSession, now: moment) { index in
            proposal.action(run: run, index: index, identity: identity, now: moment)
        }
        // Announced in the background: a slow or dead webhook never delays the proposer.
        webhook?.announce(stored)
        return stored
    }

    /// The caller's run, header only (no actions): ownership costs the same however many actions the run has.
    func ownRun(_ caller: Caller, _ id: String) async throws -> RunRecord {
        guard let run = try await store.runHeader(id: id) else { throw SupervisionError.notFound("no run \(id)") }
        guard run.identity == caller.name else { throw SupervisionError.forbidden("run \(id) was proposed by another identity") }
        return run
    }

    func visibleRun(_ caller: Caller, _ id: String) async throws -> RunRecord {
        _ = try await store.expireDue(now: now())
        guard let run = try await store.run(id: id) else { throw SupervisionError.notFound("no run \(id)") }
        guard TokenScope.readsAll(caller.scopes) || run.identity == caller.name else { throw SupervisionError.notFound("no run \(id)") }
        return run
    }

    func visibleAction(_ caller: Caller, run id: String, index: Int) async throws -> StoredAction {
        _ = try await store.expireDue(now: now())
        guard let run = try await store.runHeader(id: id) else { throw SupervisionError.notFound("no run \(id)") }
        guard TokenScope.readsAll(caller.scopes) || run.identity == caller.name else { throw SupervisionError.notFound("no run \(id)") }
        guard let action = try await store.action(run: id, index: index) else { throw SupervisionError.notFound("no action \(id)/\(index)") }
        return action
    }

    /// `GET /v1/runs?status=…&session=…`.
    func listRuns(_ caller: Caller, _ query: [String: String]) async throws -> JSONValue {
        var filter = RunFilter()
        switch query["status"] {
        case nil, "all"?: filter.state = nil
        case let text?:
            guard let state = PendingAction.State(rawValue: text) else {
                throw SupervisionError.validation(["status": .string("one of all, \(PendingAction.State.allCases.map(\.rawValue).joined(separator: ", "))")])
            }
            filter.state = state
        }
        filter.session = query["session"]
        if !TokenScope.readsAll(caller.scopes) {
            try caller.require(.propose)
            filter.identity = caller.name
        }
        if let limit = query["limit"] {
            guard let value = Int(limit), (1...1000).contains(value) else { throw SupervisionError.validation(["limit": "1–1000"]) }
            filter.limit = value
        }
        _ = try await store.expireDue(now: now())
        return .array(try await store.runs(filter).map(ActionWire.json))
    }

    /// Approves or rejects: the approve scope, never one's own proposal (unless the server allows it), once, before expiry.
    func decide(_ caller: Caller, run: String, index: Int, verdict: SignedDecision.Verdict, note: String?) async throws -> StoredAction {
        try caller.require(.approve)
        // The run's header and this one action: a decision costs the same however many actions the run has.
        guard let record = try await store.runHeader(id: run), let current = try await store.action(run: run, index: index) else {
            throw SupervisionError.notFound("no action \(run)/\(index)")
        }
        if !options.allowSelfApproval {
            let proposer = current.action.proposer
            if proposer.identity == caller.name || proposer.user == caller.name || record.identity == caller.name {
                throw SupervisionError.forbidden("\(caller.name) proposed \(run)/\(index) and cannot decide it; another person must (or start the server with --allow-self-approval)")
            }
        }
        let key = key
        let moment = now()
        let approver = caller.name
        return try await store.transition(run: run, index: index) { stored in
            ActionRules.decide(stored, verdict: verdict, approver: approver, note: note, now: moment, key: key)
        }
    }

    /// `claim`: the approved action passes to exactly one runner of the proposing identity.
    func claim(_ caller: Caller, run: String, index: Int) async throws -> StoredAction {
        try caller.require(.propose)
        _ = try await ownRun(caller, run)
        let moment = now()
        let claimer = caller.name
        return try await store.transition(run: run, index: index) { stored in ActionRules.claim(stored, claimer: claimer, now: moment) }
    }

    /// `complete`: the claimer reports what the API answered.
    func complete(_ caller: Caller, run: String, index: Int, _ body: JSONValue) async throws -> StoredAction {
        try caller.require(.propose)
        guard let o = body.objectValue, let executed = o["executed"]?.boolValue else {
            throw SupervisionError.validation(["executed": "required, true or false"])
        }
        var problems = JSONObject()
        let status = o["status"]?.intValue
        if let value = o["status"], !value.isNull, status == nil { problems["status"] = "must be an integer" }
        let requestId = o["requestId"]?.stringValue
        if let value = o["requestId"], !value.isNull, requestId == nil { problems["requestId"] = "must be a string" }
        let error = o["error"]?.stringValue.map { String($0.prefix(4000)) }
        if let value = o["error"], !value.isNull, error == nil { problems["error"] = "must be a string" }
        guard problems.isEmpty else { throw SupervisionError.validation(problems) }
        let outcome = ActionRules.Outcome(executed: executed, status: status, requestId: requestId, error: error)
        let moment = now()
        let claimer = caller.name
        return try await store.transition(run: run, index: index) { stored in
            ActionRules.complete(stored, claimer: claimer, outcome: outcome, now: moment)
        }
    }

    /// `GET /v1/events?after=SEQ`.
    func events(_ caller: Caller, _ query: [String: String]) async throws -> JSONValue {
        try caller.require(.read)
        var after: Int64 = 0
        if let text = query["after"] {
            guard let value = Int64(text), value >= 0 else { throw SupervisionError.validation(["after": "a sequence number from 0"]) }
            after = value
        }
        return .array(try await store.events(after: after, limit: 500).map(\.jsonValue))
    }
}
