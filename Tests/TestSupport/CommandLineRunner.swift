import Foundation

/// Runs the built `konektor` binary the way a person or a script would, and collects what it printed.
public struct CommandLineRunner {
    public struct Result: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    /// `.build/debug/konektor` of this package (`swift build --build-tests` builds it).
    public static var executable: URL {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        let candidates = [".build/debug/konektor", ".build/release/konektor"].map { url.appendingPathComponent($0) }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[0]
    }

    /// Runs blocking work (waiting on a process, a pipe, a file lock) on a thread of its own, never on the cooperative pool,
    /// so that tests waiting on processes cannot starve the tests that await in-process servers (2 cores give the pool 2 threads).
    public static func offload<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread { continuation.resume(with: Swift.Result { try body() }) }
        }
    }

    /// Waits for a process to end, off the cooperative pool.
    public static func wait(_ process: Process) async {
        let box = Unchecked(process)
        _ = try? await offload { box.value.waitUntilExit() }
    }

    /// Everything a pipe or file gives until its end, read off the cooperative pool.
    public static func readToEnd(_ handle: FileHandle) async -> Data {
        let box = Unchecked(handle)
        return (try? await offload { box.value.readDataToEndOfFile() }) ?? Data()
    }

    /// The first line a handle gives (without its newline), or nil at its end or after `timeout` seconds.
    public static func firstLine(_ handle: FileHandle, timeout: TimeInterval) async -> String? {
        let box = Unchecked(handle)
        return try? await offload { () -> String? in
            var data = Data()
            let deadline = Date().addingTimeInterval(timeout)
            while Date() < deadline {
                let chunk = box.value.availableData
                if chunk.isEmpty { return data.isEmpty ? nil : String(decoding: data, as: UTF8.self) }
                data.append(chunk)
                if let newline = data.firstIndex(of: 0x0A) { return String(decoding: data[..<newline], as: UTF8.self) }
            }
            return nil
        }
    }

    /// Runs `konektor` (the REPL unless `arguments` say otherwise) with `input` piped to it, as a script would.
    public static func pipe(_ input: String, arguments: [String] = [], environment extra: [String: String]) async throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = ["PATH": "/usr/bin:/bin", "HOME": NSTemporaryDirectory(), "NO_COLOR": "1"].merging(extra) { _, new in new }
        let stdin = Pipe(), stdout = Pipe()
        // Standard error goes to a file, which never fills up and blocks the process while only stdout is read.
        let errorFile = FileManager.default.temporaryDirectory.appendingPathComponent("konektor-stderr-\(UUID().uuidString)")
        FileManager.default.createFile(atPath: errorFile.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errorFile) }
        let stderr = try FileHandle(forWritingTo: errorFile)
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        try? stderr.close()
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        let text = String(decoding: await readToEnd(stdout.fileHandleForReading), as: UTF8.self)
        await wait(process)
        let errors = (try? String(contentsOf: errorFile, encoding: .utf8)) ?? ""
        return Result(status: process.terminationStatus, stdout: text, stderr: errors)
    }

    /// Runs `konektor` with `arguments` and a clean, temporary XDG environment; waits at most `timeout` seconds.
    public static func run(_ arguments: [String], environment extra: [String: String] = [:], timeout: TimeInterval = 60) async throws -> Result {
        try await offload { try runBlocking(arguments, environment: extra, timeout: timeout) }
    }

    static func runBlocking(_ arguments: [String], environment extra: [String: String], timeout: TimeInterval) throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        var environment = ["PATH": "/usr/bin:/bin", "HOME": NSTemporaryDirectory(), "NO_COLOR": "1"]
        for (k, v) in extra { environment[k] = v }
        process.environment = environment
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        // Read both pipes while the process runs, so a full pipe cannot block it.
        let group = DispatchGroup()
        nonisolated(unsafe) var stdoutData = Data()
        nonisolated(unsafe) var stderrData = Data()
        group.enter()
        DispatchQueue.global().async { stdoutData = out.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        group.enter()
        DispatchQueue.global().async { stderrData = err.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        // Another process that inherited the pipes (a daemon started meanwhile) would hold them open for good: a clear
        // failure after a while, not a run that never ends.
        guard group.wait(timeout: .now() + 15) == .success else {
            return Result(status: -1, stdout: "", stderr: "konektor exited with \(process.terminationStatus), but another process still holds its output open")
        }
        return Result(status: process.terminationStatus, stdout: String(decoding: stdoutData, as: UTF8.self), stderr: String(decoding: stderrData, as: UTF8.self))
    }
}

/// A value carried across a concurrency boundary that the test itself keeps single-threaded (a Process, a FileHandle).
public struct Unchecked<T>: @unchecked Sendable {
    public let value: T
    public init(_ value: T) { self.value = value }
}
