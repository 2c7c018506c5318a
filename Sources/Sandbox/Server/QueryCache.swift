import AgentCore
import Synchronization

/// Remembers counts and aggregates until the workspace's leads change.
///
/// Totals and analytics scan many rows; agents ask the same question again
/// and again. Each workspace has a generation that every lead write bumps,
/// and a cached answer is used only while its generation is current.
final class QueryCache: Sendable {
    private struct State {
        var generations: [String: Int] = [:]
        var entries: [String: (generation: Int, value: JSONValue)] = [:]
    }

    private let state = Mutex(State())
    private let capacity: Int

    init(capacity: Int = 512) { self.capacity = capacity }

    /// Marks every cached answer of the workspace as stale.
    func invalidate(workspace: String) {
        state.withLock { $0.generations[workspace, default: 0] += 1 }
    }

    func value(workspace: String, key: String, compute: () throws -> JSONValue) rethrows -> JSONValue {
        let cacheKey = workspace + "\u{1F}" + key
        let generation: Int = state.withLock { state in
            let generation = state.generations[workspace, default: 0]
            if let hit = state.entries[cacheKey], hit.generation == generation { return -1 - hit.generation }
            return generation
        }
        if generation < 0, let hit = state.withLock({ $0.entries[cacheKey] }) { return hit.value }
        let value = try compute()
        state.withLock { state in
            if state.entries.count >= capacity { state.entries.removeAll(keepingCapacity: true) }
            state.entries[cacheKey] = (generation, value)
        }
        return value
    }
}
