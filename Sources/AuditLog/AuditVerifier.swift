import AgentCore
import Crypto
import Foundation

/// Checks a log folder end to end: every record's hash, every link, every checkpoint's signature.
///
/// It stops at the first bad record and says where (file and line) and what
/// is wrong: edited, deleted, reordered, inserted, truncated or a bad
/// signature. A torn last line (a crash mid-write) is reported apart from
/// tampering, and everything before it still verifies.
public struct AuditVerifier {
    public enum Kind: String, Sendable {
        case edited, deleted, reordered, inserted, truncated
        case badSignature = "bad signature"
        case tornWrite = "torn write"
    }

    public struct Finding: Sendable, CustomStringConvertible {
        public var kind: Kind
        public var file: String
        public var line: Int
        public var seq: Int?
        public var message: String
        public var description: String { "\(file):\(line): \(kind.rawValue): \(message)" }
    }

    public struct Report: Sendable {
        public var records = 0
        public var files = 0
        public var lastSeq = 0
        public var lastHash = AuditRecord.genesis
        public var checkpoints = 0
        public var lastCheckpoint: AuditRecord?
        /// The first sign of tampering; nil when the chain is intact.
        public var problem: Finding?
        /// Things that are not tampering: a torn last line, a log that does not end with a checkpoint.
        public var warnings: [Finding] = []
        public var intact: Bool { problem == nil }
    }

    /// - Parameters:
    ///   - trustedKey: the public key checkpoints must be signed with.
    ///   - expectedHead: an anchored checkpoint (`audit head`): the log must still reach it, with the same hash.
    public static func verify(directory: URL, trustedKey: Curve25519.Signing.PublicKey, expectedHead: (seq: Int, hash: String)? = nil) throws -> Report {
        var report = Report()
        let files = LogFiles.list(directory)
        report.files = files.count
        var expectedSeq = 1
        var lastHash = Array(AuditRecord.genesis.utf8)[...]
        var lastKind = ""
        for (fileIndex, url) in files.enumerated() {
            guard let data = FileManager.default.contents(atPath: url.path) else { throw AuditError.io("cannot read \(url.path)") }
            let bytes = [UInt8](data)
            let lines = split(bytes)
            let name = url.lastPathComponent
            for (index, line) in lines.enumerated() {
                let lineNumber = index + 1
                func fail(_ kind: Kind, _ message: String, seq: Int? = nil) -> Report {
                    report.problem = Finding(kind: kind, file: name, line: lineNumber, seq: seq, message: message)
                    return report
                }
                if !line.terminated {
                    // A complete record whose line end was changed is an edit, not a crash.
                    if let close = line.bytes.lastIndex(of: UInt8(ascii: "}")), close < line.bytes.endIndex - 1,
                        let whole = FastRecord(line.bytes[...close]), whole.hashMatches {
                        return fail(.edited, "record \(whole.seq) is followed by bytes that are not a line end", seq: whole.seq)
                    }
                    if fileIndex == files.count - 1 {
                        report.warnings.append(Finding(kind: .tornWrite, file: name, line: lineNumber, seq: nil,
                            message: "the last line is incomplete (\(line.bytes.count) bytes): a crash mid-write, not tampering; the \(report.records) records before it verify"))
                        break
                    }
                    return fail(.edited, "an incomplete line in the middle of the log")
                }
                guard let record = FastRecord(line.bytes) else { return fail(.edited, "not a record of this log (its layout was changed)") }
                guard record.hashMatches else { return fail(.edited, "the record's content does not match its hash", seq: record.seq) }
                if record.seq != expectedSeq || !record.prev.elementsEqual(lastHash) {
                    let kind = classify(record: record, expected: expectedSeq, files: files, from: fileIndex, line: index, lines: lines)
                    return fail(kind, explain(kind, record: record, expected: expectedSeq), seq: record.seq)
                }
                // Only checkpoints need their JSON read; the layout puts the kind before any data.
                let isCheckpoint = record.body.containsBytes(Self.checkpointMarker)
                let kind = isCheckpoint ? "checkpoint" : ""
                if isCheckpoint {
                    if let problem = checkpointProblem(line.bytes, seq: record.seq, prev: record.prev.string, trustedKey: trustedKey) {
                        return fail(.badSignature, problem, seq: record.seq)
                    }
                    report.checkpoints += 1
                    report.lastCheckpoint = AuditRecord(line: line.bytes.string)
                }
                lastKind = kind
                lastHash = record.hash
                report.lastSeq = record.seq
                report.records += 1
                expectedSeq += 1
            }
        }
        report.lastHash = lastHash.string
        if let head = expectedHead {
            if report.lastSeq < head.seq {
                report.problem = Finding(kind: .truncated, file: files.last?.lastPathComponent ?? "(no files)", line: 0, seq: report.lastSeq,
                                         message: "the log ends at record \(report.lastSeq), but the anchored head is record \(head.seq): records were cut from the end")
            }
        }
        if report.problem == nil, report.records > 0, lastKind != "checkpoint" {
            report.warnings.append(Finding(kind: .truncated, file: files.last!.lastPathComponent, line: 0, seq: report.lastSeq,
                message: "the log does not end with a signed checkpoint: a session is running or ended in a crash, or its end was cut; compare with an anchored `audit head`"))
        }
        return report
    }

    /// A second check of an anchored head: the record it names must be in the log with that hash.
    public static func headMatches(directory: URL, seq: Int, hash: String) -> Bool {
        for url in LogFiles.list(directory) {
            guard let data = FileManager.default.contents(atPath: url.path) else { continue }
            for line in split([UInt8](data)) where line.terminated {
                if let r = FastRecord(line.bytes), r.seq == seq { return r.hash.string == hash }
            }
        }
        return false
    }

    struct Line {
        var bytes: ArraySlice<UInt8>
        var terminated: Bool
    }

    static func split(_ bytes: [UInt8]) -> [Line] {
        var lines: [Line] = []
        var start = 0
        var i = 0
        bytes.withUnsafeBufferPointer { buffer in
            while i < buffer.count {
                if buffer[i] == 0x0A {
                    lines.append(Line(bytes: bytes[start..<i], terminated: true))
                    start = i + 1
                }
                i += 1
            }
        }
        if start < bytes.count { lines.append(Line(bytes: bytes[start...], terminated: false)) }
        return lines
    }

    static let checkpointMarker = Array(",\"kind\":\"checkpoint\",\"data\":".utf8)

    static func checkpointProblem(_ line: ArraySlice<UInt8>, seq: Int, prev: String, trustedKey: Curve25519.Signing.PublicKey) -> String? {
        guard let record = AuditRecord(line: line.string) else { return "the checkpoint cannot be read" }
        guard let upTo = record.data["upTo"]?.intValue, let head = record.data["head"]?.stringValue,
            let signatureText = record.data["signature"]?.stringValue, let signature = Data(base64Encoded: signatureText)
        else { return "the checkpoint lacks upTo, head or signature" }
        guard upTo == seq - 1, head == prev else { return "the checkpoint signs record \(upTo), not the record before it" }
        if let keyText = record.data["publicKey"]?.stringValue, let raw = Data(base64Encoded: keyText), raw != trustedKey.rawRepresentation {
            let other = (try? Curve25519.Signing.PublicKey(rawRepresentation: raw)).map(AuditKeys.fingerprint) ?? "an unreadable key"
            return "signed with another key (\(other)); the trusted key is \(AuditKeys.fingerprint(trustedKey))"
        }
        guard trustedKey.isValidSignature(signature, for: AuditKeys.checkpointMessage(upTo: upTo, head: head)) else {
            return "the signature does not verify with the trusted key \(AuditKeys.fingerprint(trustedKey))"
        }
        return nil
    }

    static func classify(record: FastRecord, expected: Int, files: [URL], from fileIndex: Int, line: Int, lines: [Line]) -> Kind {
        if record.seq == expected { return .inserted }
        if record.seq < expected { return record.seq == expected - 1 ? .inserted : .reordered }
        // Ahead of the expected number: reordered if the missing record turns up later, deleted if it never does.
        for later in lines[(line + 1)...] where later.terminated {
            if let r = FastRecord(later.bytes), r.seq == expected { return .reordered }
        }
        for url in files.dropFirst(fileIndex + 1) {
            guard let data = FileManager.default.contents(atPath: url.path) else { continue }
            for later in split([UInt8](data)) where later.terminated {
                if let r = FastRecord(later.bytes), r.seq == expected { return .reordered }
            }
        }
        return .deleted
    }

    static func explain(_ kind: Kind, record: FastRecord, expected: Int) -> String {
        if kind == .deleted {
            return record.seq == expected + 1 ? "record \(expected) is missing" : "records \(expected)…\(record.seq - 1) are missing"
        }
        if kind == .reordered, record.seq > expected { return "record \(record.seq) comes before record \(expected)" }
        if record.seq == expected { return "record \(record.seq) does not link to the record before it (a record was replaced or inserted)" }
        if record.seq < expected - 1 { return "record \(record.seq) appears after record \(expected - 1)" }
        if record.seq == expected - 1 { return "record \(record.seq) appears twice; one of them was inserted" }
        return "expected record \(expected), found record \(record.seq)"
    }
}
