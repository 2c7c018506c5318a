import Foundation
import Synchronization

/// A one-line activity indicator on standard error while a turn waits on the network; silent when stderr is no TTY.
///
/// It can be suspended while something else owns the terminal (a
/// confirmation prompt) and clears its line whenever it stops, so answers
/// and prompts never land after a half-drawn frame.
public final class Spinner: Sendable {
    static let frames = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"]
    struct State {
        var running = false
        var suspended = false
        var drawn = false
        var generation = 0
    }

    let enabled: Bool
    let label: String
    let state = Mutex(State())

    public init(label: String = "working", enabled: Bool = isatty(2) == 1) {
        self.enabled = enabled
        self.label = label
    }

    public func start() {
        guard enabled else { return }
        let generation = state.withLock { s -> Int in
            s.running = true
            s.suspended = false
            s.generation += 1
            return s.generation
        }
        Thread.detachNewThread { [self] in
            var frame = 0
            // A short delay first: quick answers never flash a spinner.
            Thread.sleep(forTimeInterval: 0.15)
            while true {
                let keepGoing = state.withLock { s -> Bool in
                    guard s.running, s.generation == generation else { return false }
                    if !s.suspended {
                        Self.write("\r\(Self.frames[frame % Self.frames.count]) \(label)…\u{1B}[K")
                        s.drawn = true
                    }
                    return true
                }
                guard keepGoing else { return }
                frame += 1
                Thread.sleep(forTimeInterval: 0.1)
            }
        }
    }

    /// Stops and clears the line.
    public func stop() {
        guard enabled else { return }
        state.withLock { s in
            s.running = false
            Self.clear(&s)
        }
    }

    /// Hides the spinner while another part writes to the terminal.
    public func suspend() {
        guard enabled else { return }
        state.withLock { s in
            s.suspended = true
            Self.clear(&s)
        }
    }

    public func resume() {
        guard enabled else { return }
        state.withLock { $0.suspended = false }
    }

    static func clear(_ s: inout State) {
        if s.drawn { write("\r\u{1B}[K") }
        s.drawn = false
    }

    static func write(_ text: String) {
        var text = text
        text.withUTF8 { _ = Foundation.write(2, $0.baseAddress, $0.count) }
    }
}
