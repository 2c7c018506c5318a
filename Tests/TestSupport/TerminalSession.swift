import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A program running in a real terminal under a private tmux server: keys go in, the screen comes out.
///
/// tmux is started with `posix_spawn` and reaped with `waitpid` on its own
/// pid, with every standard stream on /dev/null or a file and every other
/// descriptor closed: the tmux server daemonises and must not hold the test
/// runner's pipes open.
public final class TerminalSession: Sendable {
    public let socket: String
    let directory: URL

    /// Starts `command` (run by `/bin/sh`) in a detached 160×50 terminal.
    public init(command: String, directory: URL) async throws {
        self.directory = directory
        socket = directory.appendingPathComponent("tmux.sock").path
        try await tmux(["new-session", "-d", "-x", "160", "-y", "50", command])
    }

    /// Stops the terminal and everything in it.
    public func close() async { try? await tmux(["kill-server"]) }

    /// Types `keys` (tmux key names such as `Enter`, `C-c`, `Up`, or literal text).
    public func send(_ keys: String...) async throws { try await tmux(["send-keys", "-t", "0"] + keys) }

    /// Types `text` literally, with no key-name lookup.
    public func type(_ text: String) async throws { try await tmux(["send-keys", "-t", "0", "-l", text]) }

    /// Pastes `text` the way a terminal delivers a paste: all at once, newlines as Enter.
    public func paste(_ text: String) async throws {
        let file = directory.appendingPathComponent("paste.txt")
        try text.write(to: file, atomically: true, encoding: .utf8)
        try await tmux(["load-buffer", file.path])
        try await tmux(["paste-buffer", "-d", "-t", "0"])
    }

    /// The visible screen and scrollback as text; `escapes` keeps colour codes.
    public func screen(escapes: Bool = false) async throws -> String {
        let file = directory.appendingPathComponent("screen.txt")
        try await tmux(["capture-pane", "-p", "-J", "-S", "-200", "-t", "0"] + (escapes ? ["-e"] : []), output: file.path)
        return (try? String(contentsOf: file, encoding: .utf8)) ?? ""
    }

    /// Waits until the screen satisfies `condition`; returns the screen, or throws with the last screen after `timeout`.
    @discardableResult
    public func wait(timeout: TimeInterval = 30, for what: String, until condition: (String) -> Bool) async throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var last = ""
        while Date() < deadline {
            last = try await screen()
            if condition(last) { return last }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw TerminalError(message: "timed out waiting for \(what); the screen was:\n\(last)")
    }

    /// Waits until `text` is on the screen `count` times.
    @discardableResult
    public func wait(for text: String, count: Int = 1, timeout: TimeInterval = 30) async throws -> String {
        try await wait(timeout: timeout, for: "'\(text)' ×\(count)") { $0.components(separatedBy: text).count - 1 >= count }
    }

    public struct TerminalError: Error, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    func tmux(_ arguments: [String], output: String = "/dev/null") async throws {
        let socket = socket, directory = directory
        try await CommandLineRunner.offload { try Self.spawn(arguments, output: output, socket: socket, directory: directory) }
    }

    static func spawn(_ arguments: [String], output: String, socket: String, directory: URL) throws {
        let argv = ["tmux", "-S", socket, "-f", "/dev/null"] + arguments
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        // Nothing else of the test process's may reach tmux: its server outlives this call, and a pipe another test
        // is reading must not stay open in it (that reader would wait for the server instead of its own process).
        SpawnedProcess.closeInheritedDescriptors(in: &actions)
        let environment = ["PATH=/usr/bin:/bin:/usr/local/bin", "TERM=xterm-256color", "HOME=\(directory.path)", "LANG=C.UTF-8"]
        var pid: pid_t = 0
        let cArgs = argv.map { strdup($0) } + [nil]
        let cEnv = environment.map { strdup($0) } + [nil]
        defer { (cArgs + cEnv).forEach { free($0) } }
        let spawned = posix_spawnp(&pid, "tmux", &actions, nil, cArgs, cEnv)
        guard spawned == 0 else { throw TerminalError(message: "cannot start tmux (errno \(spawned)); install it: apt-get install -y tmux") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let exitCode = (status >> 8) & 0xff
        guard status & 0x7f == 0, exitCode == 0 else {
            throw TerminalError(message: "tmux \(arguments.first ?? "") failed (status \(status))")
        }
    }
}
