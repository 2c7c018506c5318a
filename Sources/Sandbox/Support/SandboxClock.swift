import Foundation
import Synchronization

/// The sandbox's notion of now: the system clock, a clock started at a chosen instant, or one moved by hand.
///
/// Every timestamp the sandbox writes or compares comes from here, so tests
/// and demos are reproducible.
public final class SandboxClock: Sendable {
    private enum Mode {
        case system
        /// Runs forward in real time from `start`, begun at `began` (monotonic).
        case startingAt(Date, ContinuousClock.Instant)
        case manual(Date)
    }

    private let mode: Mutex<Mode>

    private init(_ mode: Mode) { self.mode = Mutex(mode) }

    /// The machine's clock.
    public static func system() -> SandboxClock { SandboxClock(.system) }

    /// Starts at `date` and runs forward in real time: `--now` for demos.
    public static func starting(at date: Date) -> SandboxClock { SandboxClock(.startingAt(date, ContinuousClock.now)) }

    /// Stands still at `date` until ``advance(by:)`` moves it: for tests.
    public static func manual(_ date: Date) -> SandboxClock { SandboxClock(.manual(date)) }

    public func now() -> Date {
        mode.withLock { mode in
            switch mode {
            case .system: return Date()
            case .startingAt(let start, let began):
                let elapsed = ContinuousClock.now - began
                return start.addingTimeInterval(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
            case .manual(let date): return date
            }
        }
    }

    /// Moves a manual clock forward; other clocks ignore it.
    public func advance(by seconds: TimeInterval) {
        mode.withLock { mode in
            if case .manual(let date) = mode { mode = .manual(date.addingTimeInterval(seconds)) }
        }
    }
}
