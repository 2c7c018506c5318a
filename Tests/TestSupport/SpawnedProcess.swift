import Foundation

/// A background program started with posix_spawn and ended with kill + waitpid (Foundation's Process was seen to miss exits).
public struct SpawnedProcess: Sendable {
    public let pid: pid_t

    /// Starts `argv` with its output discarded.
    public static func start(_ argv: [String]) throws -> SpawnedProcess {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        // chromedriver (and the browser it starts) outlives this call: a pipe another test had open at this moment would
        // stay open in it, and that test's reader would wait for the browser instead of its own process (seen in CI).
        closeInheritedDescriptors(in: &actions)
        var cArguments = argv.map { strdup($0) } + [nil]
        defer { cArguments.forEach { free($0) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, argv[0], &actions, nil, &cArguments, environ)
        guard result == 0 else { throw PostgresCluster.Failure("cannot start \(argv[0]): errno \(result)") }
        return SpawnedProcess(pid: pid)
    }

    typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

    /// Makes the child start with no descriptor of the test process above standard error.
    ///
    /// `posix_spawn_file_actions_addclosefrom_np` (glibc 2.34+) closes them in the child itself, so a descriptor another
    /// thread opens while the child is being started cannot slip through; it is looked up at run time because the header
    /// declares it only for GNU sources. Without it, the descriptors open now are listed from /proc (glibc ignores a close of
    /// one that was closed meanwhile).
    public static func closeInheritedDescriptors(in actions: inout posix_spawn_file_actions_t) {
        if let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") {
            _ = unsafeBitCast(symbol, to: AddCloseFrom.self)(&actions, 3)
            return
        }
        for name in (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? [] {
            if let fd = Int32(name), fd > 2 { posix_spawn_file_actions_addclose(&actions, fd) }
        }
    }

    /// Ends the program and reaps it, off the cooperative pool.
    public func stop() async {
        let pid = pid
        _ = try? await CommandLineRunner.offload {
            kill(pid, SIGKILL)
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        }
    }
}
