import AgentCore
import AuditLog
import Crypto
import Foundation

/// Builds records the way an attacker with the file (but not the key) could.
public enum AuditRecordForge {
    public static func hash(_ body: String) -> String { Hex.encode(SHA256.hash(data: Data(body.utf8))) }

    public static func body(_ r: AuditRecord) -> String {
        "{\"seq\":\(r.seq),\"prev\":\"\(r.prev)\",\"time\":" + JSONValue.string(r.time).jsonString() + ",\"session\":" + JSONValue.string(r.session).jsonString()
            + ",\"kind\":" + JSONValue.string(r.kind).jsonString() + ",\"data\":" + JSONValue.object(r.data).jsonString(.canonical)
    }

    public static func line(_ r: AuditRecord) -> String { body(r) + ",\"hash\":\"\(r.hash)\"}" }

    public static func record(after previous: String, kind: String, data: JSONObject) -> String {
        let p = AuditRecord(line: previous)!
        var r = p
        r.seq = p.seq + 1
        r.prev = p.hash
        r.kind = kind
        r.data = data
        r.hash = hash(body(r))
        return line(r)
    }

    public static func rechain(_ records: [AuditRecord], signer: Curve25519.Signing.PrivateKey) -> [String] {
        var prev = AuditRecord.genesis
        return records.map { original in
            var r = original
            r.prev = prev
            if r.kind == "checkpoint" {
                r.data["head"] = .string(prev)
                r.data["upTo"] = .int(r.seq - 1)
                r.data["keyFingerprint"] = .string(AuditKeys.fingerprint(signer.publicKey))
                r.data["publicKey"] = .string(signer.publicKey.rawRepresentation.base64EncodedString())
                let signature = try! signer.signature(for: Data("konektor-audit-checkpoint:v1:\(r.seq - 1):\(prev)".utf8))
                r.data["signature"] = .string(signature.base64EncodedString())
            }
            r.hash = hash(body(r))
            prev = r.hash
            return line(r)
        }
    }
}

extension AuditRecordForge {
    /// The records of a log folder's files, in order, as an attacker reads them.
    public static func records(in directory: URL) -> [(file: URL, records: [AuditRecord])] {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).filter { $0.hasPrefix("audit-") && $0.hasSuffix(".jsonl") }.sorted()
        return names.map { name in
            let url = directory.appendingPathComponent(name)
            let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
            return (url, text.split(separator: "\n").compactMap { AuditRecord(line: String($0)) })
        }
    }

    /// Rewrites a one-file log with `edit` applied, every hash rebuilt and checkpoints re-signed by `signer` (or dropped when nil).
    public static func rewrite(_ directory: URL, signer: Curve25519.Signing.PrivateKey?, updateHead: Bool, edit: (inout [AuditRecord]) -> Void) throws {
        let files = records(in: directory)
        var all = files.flatMap(\.records)
        edit(&all)
        if signer == nil { all.removeAll { $0.kind == "checkpoint" } }
        var seq = 0
        for i in all.indices { seq += 1; all[i].seq = seq }
        let lines = rechain(all, signer: signer ?? Curve25519.Signing.PrivateKey())
        for file in files { try FileManager.default.removeItem(at: file.file) }
        let file = files.last!.file
        try (lines.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
        if updateHead, let last = lines.last.flatMap(AuditRecord.init(line:)) {
            try writeHead(directory, record: last, file: file.lastPathComponent)
        }
    }

    /// Writes `head.json` the way konektor does, pointing at `record`.
    public static func writeHead(_ directory: URL, record: AuditRecord, file: String) throws {
        let json: JSONValue = ["seq": .int(record.seq), "hash": .string(record.hash), "file": .string(file), "time": .string(record.time)]
        try (json.jsonString() + "\n").write(to: directory.appendingPathComponent("head.json"), atomically: true, encoding: .utf8)
    }
}

extension AuditRecordForge {
    /// Writes a log with the real writer across two days and several size rotations; returns its files in order.
    public static func writeRotatedLog(_ directory: URL, keysIn keyDirectory: URL) throws -> [URL] {
        let keys = try AuditKeys.loadOrCreate(in: keyDirectory)
        let clock = Unchecked(Clock(Date(timeIntervalSince1970: 1_795_402_800)))
        let log = try AuditLog(configuration: .init(directory: directory, maxFileBytes: 1500, now: { clock.value.now }), keys: keys)
        for day in 0..<2 {
            for s in 0..<2 {
                let session = "session-\(day)-\(s)"
                try log.append(AuditEvent(kind: "session-start", session: session, data: ["user": "budi", "policy": "default"]))
                for n in 0..<4 {
                    try log.append(AuditEvent(kind: "plan", session: session, data: ["tool": "listLeads", "arguments": ["limit": .int(n + 1)]]))
                }
                try log.appendAndCheckpoint([AuditEvent(kind: "session-end", session: session, data: [:])], session: session)
            }
            clock.value.now = clock.value.now.addingTimeInterval(86_400)
        }
        return records(in: directory).map(\.file)
    }

    /// A clock the writer reads; the test moves it.
    final class Clock: @unchecked Sendable {
        var now: Date
        init(_ now: Date) { self.now = now }
    }
}
