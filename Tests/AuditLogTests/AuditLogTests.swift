import AgentCore
import AuditLog
import Crypto
import Foundation
import Synchronization
import Testing
import TestSupport

/// A clock the tests move by hand.
final class TestClock: Sendable {
    let current = Mutex(Date(timeIntervalSince1970: 1_795_402_800))
    func now() -> Date { current.withLock { $0 } }
    func advance(_ seconds: TimeInterval) { current.withLock { $0 = $0.addingTimeInterval(seconds) } }
}

struct LogFixture {
    let temp: TemporaryDirectory
    let keys: AuditKeys
    let clock = TestClock()
    var directory: URL { temp.appending("audit") }

    init() throws {
        temp = try TemporaryDirectory("konektor-audit")
        keys = try AuditKeys.loadOrCreate(in: temp.appending("config"))
    }

    func log(maxFileBytes: Int = 64 << 20, checkpointEvery: Int = 1000, secrets: SecretScrubber = SecretScrubber()) throws -> AuditLog {
        let clock = clock
        return try AuditLog(configuration: .init(directory: directory, maxFileBytes: maxFileBytes, checkpointEvery: checkpointEvery, now: { clock.now() }),
                            keys: keys, secrets: secrets)
    }

    func verify(head: (Int, String)? = nil, key: Curve25519.Signing.PublicKey? = nil) throws -> AuditVerifier.Report {
        try AuditVerifier.verify(directory: directory, trustedKey: key ?? keys.publicKey, expectedHead: head)
    }

    var files: [URL] {
        (try! FileManager.default.contentsOfDirectory(atPath: directory.path)).filter { $0.hasSuffix(".jsonl") }.sorted().map { directory.appendingPathComponent($0) }
    }

    func lines(_ file: URL) -> [String] {
        String(decoding: FileManager.default.contents(atPath: file.path)!, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
    }

    func write(_ lines: [String], to file: URL, trailingNewline: Bool = true) {
        try! (lines.joined(separator: "\n") + (trailingNewline ? "\n" : "")).write(to: file, atomically: true, encoding: .utf8)
    }

    /// A session's worth of events.
    func fill(_ log: AuditLog, sessions: Int = 3, steps: Int = 6) throws {
        for s in 0..<sessions {
            let session = "session-\(s)"
            try log.append(AuditEvent(kind: "session-start", session: session, data: ["user": "budi", "host": "laptop", "policy": "default"]))
            for n in 0..<steps {
                try log.append([
                    AuditEvent(kind: "plan", session: session, data: ["tool": "listLeads", "arguments": ["limit": .int(n + 1)]]),
                    AuditEvent(kind: "decision", session: session, data: ["tool": "listLeads", "decision": "allow", "rule": "Policies/default.yaml:9 (reads)"]),
                    AuditEvent(kind: "http-response", session: session, data: ["tool": "listLeads", "status": 200, "requestId": .string("req-\(s)-\(n)")]),
                ])
            }
            try log.appendAndCheckpoint([AuditEvent(kind: "session-end", session: session, data: [:])], session: session)
        }
    }
}

@Suite struct AuditLogTests {
    @Test func anUntouchedLogVerifiesAcrossRotation() throws {
        let f = try LogFixture()
        defer { f.temp.remove() }
        let log = try f.log(maxFileBytes: 2000)
        try f.fill(log)
        f.clock.advance(86_400)
        try f.fill(log, sessions: 1)
        let report = try f.verify()
        #expect(report.intact, "\(String(describing: report.problem))")
        #expect(report.warnings.isEmpty)
        #expect(report.records == 1 + 4 * (1 + 18 + 1 + 1), "a log-start record, then four sessions")
        #expect(report.files > 3 && f.files.last!.lastPathComponent.hasPrefix("audit-20261124-"))
        #expect(report.checkpoints == 4)
        let first = f.lines(f.files[1])[0]
        #expect(first.contains("\"prev\":\"") && !first.contains(AuditRecord.genesis), "the chain runs on into the next file")
    }

    @Test func checkpointsAreSignedAndDueEveryNRecords() throws {
        let f = try LogFixture()
        defer { f.temp.remove() }
        let log = try f.log(checkpointEvery: 10)
        for n in 0..<25 { try log.append(AuditEvent(kind: "plan", session: "s", data: ["n": .int(n)])) }
        let report = try f.verify()
        #expect(report.intact && report.checkpoints == 2)
        #expect(report.warnings.map(\.kind) == [.truncated], "a log that does not end with a checkpoint is flagged")
        let checkpoint = try #require(report.lastCheckpoint)
        let signature = try #require(Data(base64Encoded: checkpoint.data["signature"]!.stringValue!))
        #expect(f.keys.publicKey.isValidSignature(signature, for: Data("konektor-audit-checkpoint:v1:\(checkpoint.data["upTo"]!.intValue!):\(checkpoint.data["head"]!.stringValue!)".utf8)))
        let perms = try FileManager.default.attributesOfItem(atPath: f.temp.appending("config/audit-signing.key").path)[.posixPermissions] as? Int
        #expect(perms == 0o600)
    }

    /// Flip one byte at many places: every flip is caught at the line that holds the byte.
    @Test func aFlippedByteAnywhereIsCaughtAtItsRecord() throws {
        let f = try LogFixture()
        defer { f.temp.remove() }
        try f.fill(try f.log(), sessions: 2, steps: 3)
        let file = f.files[0]
        let original = [UInt8](FileManager.default.contents(atPath: file.path)!)
        var rng = SeededGenerator(seed: 11)
        for _ in 0..<300 {
            var bytes = original
            let offset = Int.random(in: 0..<bytes.count, using: &rng)
            var replacement = UInt8.random(in: 0...255, using: &rng)
            if replacement == bytes[offset] { replacement ^= 0x01 }
            bytes[offset] = replacement
            try Data(bytes).write(to: file)
            let report = try f.verify()
            let line = original[..<offset].filter { $0 == 0x0A }.count + 1
            let problem = try #require(report.problem, "flip at \(offset) undetected")
            #expect(problem.kind == .edited, "\(problem)")
            #expect(problem.line == line, "flip at byte \(offset) (line \(line)) reported as \(problem)")
        }
        try Data(original).write(to: file)
        #expect(try f.verify().intact)
    }

    @Test func deletionReorderingInsertionAndTruncationAreNamed() throws {
        let f = try LogFixture()
        defer { f.temp.remove() }
        try f.fill(try f.log(), sessions: 2, steps: 3)
        let file = f.files[0]
        let lines = f.lines(file)

        var deleted = lines
        deleted.remove(at: 5)
        f.write(deleted, to: file)
        var problem = try #require(try f.verify().problem)
        #expect(problem.kind == .deleted && problem.line == 6 && problem.message == "record 6 is missing")

        var swapped = lines
        swapped.swapAt(3, 4)
        f.write(swapped, to: file)
        problem = try #require(try f.verify().problem)
        #expect(problem.kind == .reordered && problem.line == 4, "\(problem)")

        var inserted = lines
        inserted.insert(lines[7], at: 8)
        f.write(inserted, to: file)
        problem = try #require(try f.verify().problem)
        #expect(problem.kind == .inserted && problem.line == 9, "\(problem)")

        // An attacker who writes a fresh record with a valid hash still breaks the link after it.
        let forged = AuditRecordForge.record(after: lines[9], kind: "answer", data: ["text": "nothing happened"])
        var forgedLines = lines
        forgedLines.insert(forged, at: 10)
        f.write(forgedLines, to: file)
        problem = try #require(try f.verify().problem)
        #expect(problem.kind == .inserted && problem.line == 12, "\(problem)")

        let cut = Array(lines.prefix(lines.count - 4))
        f.write(cut, to: file)
        let lastRecord = try #require(AuditRecord(line: lines.last!))
        let truncated = try f.verify(head: (lastRecord.seq, lastRecord.hash))
        #expect(truncated.problem?.kind == .truncated, "\(String(describing: truncated.problem))")
        #expect(try f.verify().problem?.kind == .truncated, "the head file catches a cut at a checkpoint boundary without an anchor")
    }

    @Test func reSigningWithAnotherKeyIsABadSignature() throws {
        let f = try LogFixture()
        defer { f.temp.remove() }
        try f.fill(try f.log(), sessions: 2, steps: 2)
        // The attacker edits record 3, rebuilds every hash after it and re-signs with their own key.
        let attacker = Curve25519.Signing.PrivateKey()
        let file = f.files[0]
        var lines = f.lines(file)
        var records = lines.map { AuditRecord(line: $0)! }
        records[2].data["decision"] = "allow"
        records[2].data["rule"] = "edited"
        lines = AuditRecordForge.rechain(records, signer: attacker)
        f.write(lines, to: file)
        let problem = try #require(try f.verify().problem)
        #expect(problem.kind == .badSignature)
        #expect(problem.message.contains("signed with another key"))
        #expect(problem.line == records.firstIndex { $0.kind == "checkpoint" }! + 1)
    }

    @Test func aTornLastLineIsACrashAndTheNextAppendRecoversIt() throws {
        let f = try LogFixture()
        defer { f.temp.remove() }
        let log = try f.log()
        try f.fill(log, sessions: 1, steps: 2)
        let file = f.files[0]
        let handle = try FileHandle(forWritingTo: file)
        try handle.seekToEnd()
        let fragment = #"{"seq":10,"prev":"abc","time":"2026-11-23T03:00:00.000Z","session":"sess"#
        try handle.write(contentsOf: Data(fragment.utf8))
        try handle.close()
        let report = try f.verify()
        #expect(report.intact)
        #expect(report.warnings.first?.kind == .tornWrite && report.warnings.first?.line == 11)
        try log.append(AuditEvent(kind: "request", session: "s2", data: ["text": "after the crash"]))
        let after = try f.verify()
        #expect(after.intact && after.warnings.map(\.kind) == [.truncated])
        let recovered = f.lines(file).compactMap(AuditRecord.init(line:)).first { $0.kind == "torn-write-recovered" }
        #expect(recovered?.data["bytes"] == .int(fragment.utf8.count))
    }

    @Test func twoAppendersInOneProcessKeepOneChain() async throws {
        let f = try LogFixture()
        defer { f.temp.remove() }
        let a = try f.log()
        let b = try f.log()
        await withTaskGroup(of: Void.self) { group in
            for (index, log) in [a, b].enumerated() {
                group.addTask {
                    for n in 0..<200 { try? log.append(AuditEvent(kind: "plan", session: "writer-\(index)", data: ["n": .int(n)])) }
                }
            }
        }
        let report = try f.verify()
        #expect(report.intact && report.records == 401)
    }

    @Test func piiAndSecretsNeverReachTheFile() throws {
        let f = try LogFixture()
        defer { f.temp.remove() }
        let apiKey = "knk_demo_full_992827b2bbb8f6e4fcfbf221"
        let log = try f.log(secrets: SecretScrubber([.init(name: "KONEKTOR_API_KEY", value: apiKey, replacement: "[key sha256:abcd]")]))
        try log.append(AuditEvent(kind: "http-response", session: "s", data: [
            "data": ["firstName": "Budi", "lastName": "Santoso", "email": "budi.santoso12@gmail.com", "phone": "+6281234567890", "status": "new",
                     "notes": "call me on 0812-3456-7890", "estimatedValue": 5_000_000],
        ]))
        try log.append(AuditEvent(kind: "request", session: "s", data: [
            "text": .string("Create a lead: Nama: Rina, Email: rina.w@yahoo.co.id, No. HP: +62 812 9876 5432, key \(apiKey)"),
        ]))
        let text = String(decoding: FileManager.default.contents(atPath: f.files[0].path)!, as: UTF8.self)
        for raw in [apiKey, "budi.santoso12@gmail.com", "+6281234567890", "rina.w@yahoo.co.id", "812 9876 5432", "0812-3456-7890", "Santoso"] {
            #expect(!text.contains(raw), "\(raw) reached the audit log")
        }
        #expect(text.contains("\"status\":\"new\"") && text.contains("5000000"), "non-PII values stay readable")
        #expect(text.contains("[key sha256:abcd]"))
        let hashed = log.keyedHash("budi.santoso12@gmail.com")
        #expect(text.contains(hashed), "a reviewer can match the same email by its keyed hash")
        #expect(try f.verify().intact)
    }
}

