import Foundation
import Synchronization

/// A throwaway PostgreSQL cluster on a free loopback port in a temp folder, shared by the tests of one process.
///
/// Started once (initdb about 1 s), with `fsync=off`; each test gets a database
/// of its own from ``database()``. The cluster is stopped and its folder
/// removed when the test process exits. As root (CI, this machine) it runs as
/// the `postgres` user, since initdb refuses root.
public final class PostgresCluster: Sendable {
    public let port: Int
    public let user = "konektor"
    let folder: URL
    let bin: URL

    init(port: Int, folder: URL, bin: URL) {
        self.port = port
        self.folder = folder
        self.bin = bin
    }

    /// The binaries folder of the newest PostgreSQL installed from Debian's packages; nil when none is.
    public static var binaries: URL? {
        let root = URL(fileURLWithPath: "/usr/lib/postgresql")
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        return versions.compactMap { Int($0) }.sorted().last.map { root.appendingPathComponent("\($0)/bin") }
            .flatMap { FileManager.default.isExecutableFile(atPath: $0.appendingPathComponent("initdb").path) ? $0 : nil }
    }

    static let shared = Mutex<Task<PostgresCluster, any Error>?>(nil)

    /// The process's cluster, started on first use.
    public static func start() async throws -> PostgresCluster {
        let task = shared.withLock { current -> Task<PostgresCluster, any Error> in
            if let current { return current }
            let task = Task { try await CommandLineRunner.offload { try PostgresCluster.launch() } }
            current = task
            return task
        }
        return try await task.value
    }

    static var isRoot: Bool { getuid() == 0 }

    static func launch() throws -> PostgresCluster {
        guard let bin = binaries else { throw Failure("PostgreSQL is not installed (scripts/test installs the postgresql package)") }
        let folder = URL(fileURLWithPath: "/tmp").appendingPathComponent("konektor-pg-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        if isRoot { try FileManager.default.setAttributes([.ownerAccountName: "postgres"], ofItemAtPath: folder.path) }
        try run(bin.appendingPathComponent("initdb").path, ["-D", folder.appendingPathComponent("data").path, "-A", "trust", "-U", "konektor", "--no-sync"])
        var lastError: (any Error)?
        for _ in 0..<5 {
            let port = freePort()
            do {
                try run(bin.appendingPathComponent("pg_ctl").path, [
                    "-D", folder.appendingPathComponent("data").path, "-l", folder.appendingPathComponent("log").path, "-w", "-t", "30", "start",
                    "-o", "-p \(port) -k \(folder.path) -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200",
                ])
                let cluster = PostgresCluster(port: port, folder: folder, bin: bin)
                atexit(stopAtExit)
                stopping.withLock { $0 = (folder, bin) }
                return cluster
            } catch {
                lastError = error
            }
        }
        throw lastError ?? Failure("the cluster did not start")
    }

    static let stopping = Mutex<(URL, URL)?>(nil)

    static let stopAtExit: @convention(c) () -> Void = {
        guard let (folder, bin) = PostgresCluster.stopping.withLock({ $0 }) else { return }
        _ = try? PostgresCluster.run(bin.appendingPathComponent("pg_ctl").path, ["-D", folder.appendingPathComponent("data").path, "-m", "immediate", "stop"])
        try? FileManager.default.removeItem(at: folder)
    }

    /// A new, empty database in the cluster; its name.
    public func database() async throws -> String {
        let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
        let psql = bin.appendingPathComponent("psql").path
        let port = port
        _ = try await CommandLineRunner.offload {
            try PostgresCluster.run(psql, ["-h", "127.0.0.1", "-p", "\(port)", "-U", "konektor", "-d", "postgres", "-q", "-c", "CREATE DATABASE \(name)"], asPostgres: false)
        }
        return name
    }

    /// `postgres://konektor@127.0.0.1:PORT/NAME`.
    public func url(_ database: String) -> String { "postgres://konektor@127.0.0.1:\(port)/\(database)" }

    /// Runs SQL in a database with psql and returns what it printed (unaligned, tuples only).
    public func sql(_ database: String, _ statement: String) async throws -> String {
        let psql = bin.appendingPathComponent("psql").path
        let port = port
        return try await CommandLineRunner.offload {
            try PostgresCluster.run(psql, ["-h", "127.0.0.1", "-p", "\(port)", "-U", "konektor", "-d", database, "-qAt", "-v", "ON_ERROR_STOP=1", "-c", statement], asPostgres: false)
        }
    }

    /// Runs a program to its end and returns what it printed; as root, `asPostgres` runs it as the postgres user.
    ///
    /// posix_spawn and waitpid, not Foundation's Process: the postmaster that
    /// `pg_ctl start` leaves behind inherits the output, and Process's exit
    /// monitor was seen to miss runuser's exit. Output goes to a file, so no
    /// pipe can fill.
    @discardableResult
    static func run(_ executable: String, _ arguments: [String], asPostgres: Bool = true) throws -> String {
        let argv = asPostgres && isRoot ? ["/usr/sbin/runuser", "-u", "postgres", "--", executable] + arguments : [executable] + arguments
        let output = URL(fileURLWithPath: "/tmp/konektor-pg-out-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: output) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // Nothing else this process has open reaches the child: the postmaster pg_ctl leaves behind lives to the end of the
        // run, and a pipe it inherited from a test spawning a process at the same moment would never reach its end.
        SpawnedProcess.closeInheritedDescriptors(in: &actions)
        var cArguments = argv.map { strdup($0) } + [nil]
        defer { cArguments.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, argv[0], &actions, nil, &cArguments, environ)
        guard spawned == 0 else { throw Failure("cannot run \(argv[0]): errno \(spawned)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
        let exited = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        guard exited == 0 else { throw Failure("\(URL(fileURLWithPath: executable).lastPathComponent) failed (\(exited)): \(text)") }
        return text
    }

    /// A TCP port free on loopback right now.
    public static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
        public init(_ description: String) { self.description = description }
    }
}
