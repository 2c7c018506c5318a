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
        var cArguments = argv.map { strdup($0) } + [nil]
        defer { cArguments.forEach { free($0) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, argv[0], &actions, nil, &cArguments, environ)
        guard result == 0 else { throw PostgresCluster.Failure("cannot start \(argv[0]): errno \(result)") }
        return SpawnedProcess(pid: pid)
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
