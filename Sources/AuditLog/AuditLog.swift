import AgentCore
import Crypto
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// An append-only, hash-chained JSONL log of what sessions did.
///
/// Each append takes an exclusive `flock` on the folder's lock file, reads
/// the chain head from the current file's tail (another process may have
/// appended since), writes its records with one `write`, and `fsync`s before
/// returning, so a record is on disk before the step it describes proceeds.
/// A torn last line left by a crash is cut off and recorded as
/// `torn-write-recovered` with its length and hash. Files rotate daily and by
/// size; the chain runs on across them. Every `checkpointEvery` records, and
/// on request, a checkpoint signed with the installation's Ed25519 key is
/// added to the chain.
public final class AuditLog: Sendable {
    public struct Configuration: Sendable {
        public var directory: URL
        public var maxFileBytes: Int
        public var checkpointEvery: Int
        /// Off only for benchmarks that measure what fsync costs.
        public var fsync: Bool
        public var now: @Sendable () -> Date

        public init(directory: URL, maxFileBytes: Int = 64 << 20, checkpointEvery: Int = 1000, fsync: Bool = true, now: @escaping @Sendable () -> Date = { Date() }) {
            self.directory = directory
            self.maxFileBytes = maxFileBytes
            self.checkpointEvery = max(1, checkpointEvery)
            self.fsync = fsync
            self.now = now
        }
    }

    public let configuration: Configuration
    public let keys: AuditKeys
    let redactor: Mutex<AuditRedactor>
    /// Serialises appends within this process; `flock` does it across processes.
    let local = Mutex<Void>(())
    /// Records staged by ``stage(_:)``, already redacted, written ahead of the next append.
    let staged = Mutex<[AuditEvent]>([])

    public init(configuration: Configuration, keys: AuditKeys, hashedFields: Set<String> = ["email", "phone", "firstName", "lastName", "notes"], secrets: SecretScrubber = SecretScrubber()) throws {
        self.configuration = configuration
        self.keys = keys
        self.redactor = Mutex(AuditRedactor(key: keys.hmac, hashedFields: hashedFields, secrets: secrets))
        do {
            try FileManager.default.createDirectory(at: configuration.directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw AuditError.io("cannot create \(configuration.directory.path): \(error.localizedDescription)")
        }
    }

    /// Changes which fields are hashed and which secrets are scrubbed (a session's policy and key).
    public func configureRedaction(hashedFields: Set<String>, secrets: SecretScrubber) {
        // Known values stay: what this process has seen is still PII under the new policy.
        redactor.withLock {
            let known = $0.known
            $0 = AuditRedactor(key: keys.hmac, hashedFields: hashedFields, secrets: secrets)
            $0.known = known
        }
    }

    /// The keyed hash the log uses, for callers that want to compare values with what it recorded.
    public func keyedHash(_ value: String) -> String { redactor.withLock { $0.keyedHash(value) } }

    /// Appends events as consecutive records, durably, and returns them as written.
    ///
    /// Records staged before them are written first, in the same write and `fsync`.
    @discardableResult
    public func append(_ events: [AuditEvent]) throws -> [AuditRecord] {
        guard !events.isEmpty else { return [] }
        return try writeRecords(redacted(events), checkpointSession: nil)
    }

    /// Holds an event in memory until the next durable append (or ``flush()``), which writes it first, in order.
    ///
    /// For records of steps that have no effect outside this process yet — a plan, a decision, the result of a read —
    /// so a turn costs one `fsync` per effect instead of one per record. A staged record is not on disk when this
    /// returns: whoever needs it there before going on appends (or flushes) instead.
    public func stage(_ event: AuditEvent) {
        // Redacted now, in order, so known values learned here still mask what comes after.
        var event = redacted([event])[0]
        // A record's `time` is when it is written; a staged step keeps the instant it happened as `at`.
        if event.data["at"] == nil { event.data["at"] = .string(UTCTimestamp.format(millis: Self.millis(configuration.now()))) }
        local.withLock { _ in staged.withLock { $0.append(event) } }
    }

    /// Writes any staged records, durably.
    public func flush() throws {
        guard local.withLock({ _ in staged.withLock { !$0.isEmpty } }) else { return }
        _ = try writeRecords([], checkpointSession: nil)
    }

    /// Whether records are staged and not yet on disk.
    public var hasStaged: Bool { local.withLock { _ in staged.withLock { !$0.isEmpty } } }

    func redacted(_ events: [AuditEvent]) -> [AuditEvent] {
        // Learning known values and masking happen under one lock, so a value learned in one record masks the next.
        redactor.withLock { redactor in
            events.map { AuditEvent(kind: $0.kind, session: $0.session, data: redactor.redact($0.data)) }
        }
    }

    /// Writes the staged records and then `events`; returns the records of `events` (and a requested checkpoint).
    func writeRecords(_ events: [AuditEvent], checkpointSession: String?) throws -> [AuditRecord] {
        try local.withLock { _ in
            let ahead = staged.withLock { $0 }
            // Another flush may have written them already: nothing to write is not a blank line.
            if ahead.isEmpty, events.isEmpty, checkpointSession == nil { return [] }
            var landed = false
            defer {
                // Staged records leave memory once their bytes are in the file (even if the fsync or the head file failed
                // after), so they are never written twice; a write that did not land keeps them for the next try.
                if landed { staged.withLock { $0.removeFirst(min(ahead.count, $0.count)) } }
            }
            return try withFileLock { try appendLocked(ahead + events, checkpointSession: checkpointSession, staged: ahead.count, landed: &landed) }
        }
    }

    @discardableResult
    public func append(_ event: AuditEvent) throws -> AuditRecord { try append([event])[0] }

    /// Appends events and a signed checkpoint right after them, in one write: how a session ends, so verify can require a checkpoint after every `session-end`.
    @discardableResult
    public func appendAndCheckpoint(_ events: [AuditEvent], session: String) throws -> [AuditRecord] {
        try writeRecords(redacted(events), checkpointSession: session)
    }

    /// Appends a signed checkpoint over the chain so far (staged records first).
    @discardableResult
    public func checkpoint(session: String) throws -> AuditRecord {
        try writeRecords([], checkpointSession: session).last!
    }

    func withFileLock<T>(_ body: () throws -> T) throws -> T {
        let path = configuration.directory.appendingPathComponent(".lock").path
        let fd = open(path, O_RDWR | O_CREAT, 0o600)
        guard fd >= 0 else { throw LogFiles.errno("cannot open", path) }
        defer { close(fd) }
        while flock(fd, LOCK_EX) != 0 {
            guard errno == EINTR else { throw LogFiles.errno("cannot lock", path) }
        }
        defer { flock(fd, LOCK_UN) }
        return try body()
    }

    static func millis(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded(.down)) }

    /// Writes `events` (the first `staged` of them staged earlier) and returns the records from the first unstaged event on.
    func appendLocked(_ events: [AuditEvent], checkpointSession: String?, staged: Int = 0, landed: inout Bool) throws -> [AuditRecord] {
        let now = configuration.now()
        let today = UTCTimestamp.day(millis: Self.millis(now))
        var files = LogFiles.list(configuration.directory)
        var head: (seq: Int, hash: String) = (0, AuditRecord.genesis)
        var records: [AuditRecord] = []
        var current = files.last
        var fd: Int32 = -1
        defer { if fd >= 0 { close(fd) } }

        // Find the chain head: the last complete record of the newest file that has one.
        var torn: [UInt8] = []
        if let file = current {
            fd = open(file.path, O_RDWR | O_APPEND)
            guard fd >= 0 else { throw LogFiles.errno("cannot open", file.path) }
            let tail = try LogFiles.tail(fd: fd, path: file.path)
            torn = tail.torn
            if !torn.isEmpty {
                guard ftruncate(fd, off_t(tail.completeLength)) == 0 else { throw LogFiles.errno("cannot cut the torn line of", file.path) }
            }
            if let line = tail.lastLine, let parsed = Self.head(of: line) {
                head = parsed
            } else {
                for older in files.dropLast().reversed() {
                    let ofd = open(older.path, O_RDONLY)
                    guard ofd >= 0 else { continue }
                    defer { close(ofd) }
                    if let line = try LogFiles.tail(fd: ofd, path: older.path).lastLine, let parsed = Self.head(of: line) {
                        head = parsed
                        break
                    }
                }
            }
        }
        // Rotate daily and by size.
        if let file = current, let parts = LogFiles.parse(file), parts.day != today || LogFiles.size(fd) >= configuration.maxFileBytes {
            close(fd)
            fd = -1
            let index = parts.day == today ? parts.index + 1 : 1
            current = configuration.directory.appendingPathComponent(LogFiles.name(day: today, index: index))
        } else if current == nil {
            current = configuration.directory.appendingPathComponent(LogFiles.name(day: today, index: 1))
        }
        let file = current!
        if fd < 0 {
            fd = open(file.path, O_RDWR | O_APPEND | O_CREAT, 0o600)
            guard fd >= 0 else { throw LogFiles.errno("cannot create", file.path) }
            files.append(file)
            fsyncDirectory()
        }

        let time = UTCTimestamp.format(millis: Self.millis(now))
        var lines: [String] = []
        func add(kind: String, session: String, data: JSONObject) {
            let seq = head.seq + 1
            let body = AuditRecord.body(seq: seq, prev: head.hash, time: time, session: session, kind: kind, data: data)
            let hash = Hex.encode(SHA256.hash(data: Data(body.utf8)))
            records.append(AuditRecord(seq: seq, prev: head.hash, time: time, session: session, kind: kind, data: data, hash: hash))
            // The line is the body already encoded for the hash: encoding a record twice cost a third of an append.
            lines.append(body + ",\"hash\":\"\(hash)\"}")
            head = (seq, hash)
        }
        // A new log names its signing key in its first record: the key is pinned there, so a later key is a failure.
        if head.seq == 0 {
            add(kind: LogStart.kind, session: events.first?.session ?? checkpointSession ?? "", data: LogStart.data(for: keys.publicKey))
        }
        if !torn.isEmpty {
            let digest = Hex.encode(SHA256.hash(data: Data(torn)))
            add(kind: "torn-write-recovered", session: events.first?.session ?? checkpointSession ?? "",
                data: ["bytes": .int(torn.count), "sha256": .string(digest), "file": .string(file.lastPathComponent)])
        }
        // A checkpoint signs the head as it stands before it; it is itself a link of the chain.
        func addCheckpoint(session: String) {
            let signature = (try? keys.signing.signature(for: AuditKeys.checkpointMessage(upTo: head.seq, head: head.hash))) ?? Data()
            add(kind: "checkpoint", session: session, data: [
                "upTo": .int(head.seq), "head": .string(head.hash),
                "publicKey": .string(keys.publicKey.rawRepresentation.base64EncodedString()),
                "keyFingerprint": .string(AuditKeys.fingerprint(keys.publicKey)),
                "signature": .string(signature.base64EncodedString()),
            ])
        }
        var ownFrom: Int?
        for (i, event) in events.enumerated() {
            if i == staged { ownFrom = records.count }
            add(kind: event.kind, session: event.session, data: event.data)
            if head.seq % configuration.checkpointEvery == 0 { addCheckpoint(session: event.session) }
        }
        if ownFrom == nil { ownFrom = records.count }
        if let checkpointSession { addCheckpoint(session: checkpointSession) }

        var text = lines.joined(separator: "\n") + "\n"
        let written = text.withUTF8 { buffer -> Int in
            var offset = 0
            while offset < buffer.count {
                let n = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n < 0 { if errno == EINTR { continue }; return -1 }
                offset += n
            }
            return offset
        }
        landed = written == text.utf8.count
        guard written >= 0 else {
            // A disk that filled up mid-write leaves a torn line; the next append cuts it off and records it.
            throw LogFiles.errno("cannot write to", file.path)
        }
        if configuration.fsync, fsync(fd) != 0 { throw LogFiles.errno("cannot sync", file.path) }
        // The head file is written after the records are durable: it may lag them after a crash, never lead them.
        try HeadFile(seq: head.seq, hash: head.hash, file: file.lastPathComponent, time: time).write(to: configuration.directory)
        return Array(records[(ownFrom ?? 0)...])
    }

    func fsyncDirectory() {
        let fd = open(configuration.directory.path, O_RDONLY)
        if fd >= 0 {
            _ = fsync(fd)
            close(fd)
        }
    }
}
