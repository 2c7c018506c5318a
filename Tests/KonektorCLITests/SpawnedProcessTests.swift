import Foundation
import Testing
import TestSupport

/// The background programs the tests start (chromedriver, tmux's server, PostgreSQL) must not keep another test's pipe
/// open: that test's reader would then wait for the background program instead of its own process (seen in CI, where
/// `konektor server token create` "exited with 0, but another process still holds its output open").
@Suite struct SpawnedProcessTests {
    /// Whether the read end of a pipe reaches its end within `seconds`.
    static func reachesEnd(_ fd: Int32, within seconds: Int32) -> Bool {
        var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        var buffer = [UInt8](repeating: 0, count: 64)
        let deadline = Date().addingTimeInterval(TimeInterval(seconds))
        while Date() < deadline {
            guard poll(&entry, 1, 100) > 0 else { continue }
            if read(fd, &buffer, buffer.count) == 0 { return true }
        }
        return false
    }

    @Test func aBackgroundProgramDoesNotHoldAPipeTheTestProcessHadOpen() async throws {
        // Foundation's Pipe is not close-on-exec, like the pipes CommandLineRunner gives each konektor it runs.
        let pipe = Pipe()
        let sleeper = try SpawnedProcess.start(["/bin/sleep", "30"])
        try pipe.fileHandleForWriting.close()
        let fd = pipe.fileHandleForReading.fileDescriptor
        let ended = try await CommandLineRunner.offload { Self.reachesEnd(fd, within: 5) }
        await sleeper.stop()
        #expect(ended, "the background program kept the pipe's write end open")
    }
}
