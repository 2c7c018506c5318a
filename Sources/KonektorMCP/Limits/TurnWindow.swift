import Foundation

/// Where one MCP "turn" ends, for the policy's `limits.callsPerTurn`.
///
/// MCP has no turns: a client calls tools whenever its model decides to. konektor
/// counts calls that follow each other with less than `gap` between them as one
/// turn, so a flood of calls meets the same per-turn limit a planner's turn does,
/// and a client that pauses starts a new one.
public struct TurnWindow: Sendable {
    public var gap: TimeInterval
    var lastCall: Date?
    var calls = 0

    public init(gap: TimeInterval) { self.gap = gap }

    /// Counts a call at `now`, and returns how many calls the turn had before it.
    public mutating func begin(at now: Date) -> Int {
        if let lastCall, now.timeIntervalSince(lastCall) >= gap { calls = 0 }
        lastCall = now
        defer { calls += 1 }
        return calls
    }
}
