import Synchronization

/// Fixed one-minute windows, one per bucket (a workspace, or an address for failed authentication).
final class RateLimiter: Sendable {
    struct Decision {
        var allowed: Bool
        var limit: Int
        var remaining: Int
        /// Unix seconds when the window ends.
        var reset: Int64
        /// Seconds until the window ends, for `Retry-After`.
        var retryAfter: Int64
    }

    private struct Window {
        var start: Int64
        var count: Int
    }

    private let windows = Mutex<[String: Window]>([:])

    /// Counts one request against `bucket` at `now` (Unix seconds).
    func consume(bucket: String, limit: Int, now: Int64) -> Decision {
        let start = now - ((now % 60) + 60) % 60
        return windows.withLock { windows in
            var window = windows[bucket] ?? Window(start: start, count: 0)
            if window.start != start { window = Window(start: start, count: 0) }
            let allowed = window.count < limit
            if allowed { window.count += 1 }
            windows[bucket] = window
            let reset = start + 60
            return Decision(allowed: allowed, limit: limit, remaining: max(0, limit - window.count), reset: reset, retryAfter: max(1, reset - now))
        }
    }
}
