import AgentCore
import Foundation

extension Session {
    /// Runs one call that a client chose itself, with no planner: the same gate, validation, confirmation or approval,
    /// shared client and audit records as a planned call.
    ///
    /// An MCP client is such a caller: its model plans, and konektor decides. What comes back is what a planner would
    /// see (redacted per policy, scrubbed of every secret, cut to the result budget) and the call's record.
    /// - Parameters:
    ///   - request: What the call stands for in the audit log and a pending action's run (the client and the tool).
    ///   - callsThisTurn: Calls the caller already made in its current turn, for the policy's `limits.callsPerTurn`.
    public func perform(_ call: ToolCall, request: String, callsThisTurn: Int) async throws -> (record: CallRecord, outcome: CallOutcome) {
        try record("request", ["text": .string(secrets.scrub(request))])
        // Each call is its own run: a pending action of one call is never grouped with another's.
        currentRun = nil
        currentRequest = request
        let started = ContinuousClock.now
        var (entry, outcome): (CallRecord, CallOutcome)
        do {
            (entry, outcome) = try await run(call, callsThisTurn: callsThisTurn)
        } catch {
            try? audit?.flush()
            throw error
        }
        outcome = scrub(outcome)
        entry.error = entry.error.map { secrets.scrub($0) }
        entry.elapsed = ContinuousClock.now - started
        // The result goes back to the caller now: whatever was staged for it (a read's response, a refusal) goes to disk first.
        try audit?.flush()
        return (entry, outcome)
    }
}
