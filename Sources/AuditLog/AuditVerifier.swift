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
        public var json: JSONValue {
            ["kind": .string(kind.rawValue), "file": .string(file), "line": .int(line), "seq": seq.map(JSONValue.int) ?? .null, "message": .string(message)]
        }
    }

    /// How much verify can vouch for, strongest first.
    public enum Assurance: String, Sendable, Comparable {
        /// Every record up to a seq is covered by a checkpoint held or cosigned outside this machine.
        case anchored
        /// Checkpoints verify against a pinned public key.
        case signed
        /// Only the hash chain holds: anyone with the file can rebuild it.
        case chained = "chained only"

        var rank: Int { switch self { case .anchored: 2; case .signed: 1; case .chained: 0 } }
        public static func < (a: Assurance, b: Assurance) -> Bool { a.rank < b.rank }
    }

    /// Where the key checkpoints are checked against came from.
    public enum KeySource: String, Sendable {
        /// `--pubkey FILE`, a copy the reviewer holds.
        case given = "--pubkey"
        /// The public key pinned in the config folder when the keys were made.
        case pinned = "config folder"
        /// Only the log's own first record names it: nothing outside the log pins it.
        case firstRecord = "the log's first record (not pinned)"
        case none = "none"
    }

    /// A checkpoint held somewhere the local user cannot rewrite: the log must still reach it with the same hash.
    public struct Anchor: Sendable {
        public var seq: Int
        public var hash: String
        /// Where it is held, for the report (`--head anchor.json`, a witness URL).
        public var source: String
        public init(seq: Int, hash: String, source: String) {
            self.seq = seq
            self.hash = hash
            self.source = source
        }
    }

    public struct Report: Sendable {
        public var records = 0
        public var files = 0
        public var lastSeq = 0
        public var lastHash = AuditRecord.genesis
        public var checkpoints = 0
        public var lastCheckpoint: AuditRecord?
        /// The seq of the last signed checkpoint record whose signature verified with a trusted key (0: none).
        public var signedUpTo = 0
        /// The highest seq an anchor outside this machine vouches for (0: none).
        public var anchoredUpTo = 0
        public var anchorSource: String?
        public var keySource: KeySource = .none
        public var keyFingerprint: String?
        public var head: HeadFile?
        /// The first sign of tampering; nil when none was found.
        public var problem: Finding?
        /// Things that are not tampering: a torn last line, records after the last checkpoint, a head file that lags.
        public var warnings: [Finding] = []
        /// No tampering was found; read `assurance` for how much that means.
        public var intact: Bool { problem == nil }

        /// The strongest claim verify can make about the whole log.
        public var assurance: Assurance {
            if anchoredUpTo > 0 { return .anchored }
            if signedUpTo > 0, keySource == .given || keySource == .pinned { return .signed }
            return .chained
        }

        /// Records after the last signed checkpoint (they are chained only).
        public var unsigned: ClosedRange<Int>? {
            let from = (assurance == .chained ? 0 : signedUpTo) + 1
            return lastSeq >= from ? from...lastSeq : nil
        }

        /// Records after the anchor (at most signed).
        public var unanchored: ClosedRange<Int>? { anchoredUpTo > 0 && lastSeq > anchoredUpTo ? (anchoredUpTo + 1)...lastSeq : nil }

        /// Whether every record is covered at `level` or better.
        public func covers(_ level: Assurance) -> Bool {
            guard intact else { return false }
            switch level {
            case .chained: return true
            case .signed: return assurance >= .signed && unsigned == nil
            case .anchored: return assurance == .anchored && unanchored == nil
            }
        }

        /// What verify can vouch for, in words: never "intact" without its level and what it does not cover.
        public var summary: String {
            guard problem == nil else { return "NOT intact: \(problem!)" }
            var parts: [String] = []
            let what = "\(records) records in \(files) file\(files == 1 ? "" : "s"), head #\(lastSeq) \(lastHash.prefix(16))…"
            switch assurance {
            case .anchored:
                parts.append("anchored: records 1…\(anchoredUpTo) are covered by a checkpoint held outside this machine (\(anchorSource ?? "an anchor"))")
                if let rest = unanchored {
                    parts.append(signedUpTo >= rest.upperBound && keySource != .firstRecord
                        ? "records \(rest.lowerBound)…\(rest.upperBound) are signed only"
                        : "records \(rest.lowerBound)…\(rest.upperBound) are not anchored")
                }
            case .signed:
                parts.append("signed: records 1…\(signedUpTo) are covered by \(checkpoints) checkpoint\(checkpoints == 1 ? "" : "s") signed with \(keyFingerprint ?? "the key") (key from the \(keySource.rawValue)); nothing outside this machine vouches for them (audit anchor push)")
            case .chained:
                switch keySource {
                case .firstRecord: parts.append("chained only: the checkpoints verify only against the key the log itself names; no key is pinned here (pass --pubkey FILE)")
                case .none: parts.append("chained only: no key to check checkpoints against (pass --pubkey FILE)")
                default: parts.append("chained only: no signed checkpoint covers any record")
                }
            }
            if assurance != .chained, let rest = unsigned {
                parts.append("records \(rest.lowerBound)…\(rest.upperBound) come after the last checkpoint and are only chained")
            }
            let whole = covers(.signed) ? "intact" : "no tampering found, but not all of it is signed"
            return "\(whole) (\(assurance.rawValue)): \(what)\n" + parts.map { "  " + $0 }.joined(separator: "\n")
        }

        public var json: JSONValue {
            var o: JSONObject = [
                "intact": .bool(intact), "assurance": .string(assurance.rawValue), "records": .int(records), "files": .int(files),
                "lastSeq": .int(lastSeq), "lastHash": .string(lastHash), "checkpoints": .int(checkpoints),
                "signedUpTo": .int(assurance == .chained ? 0 : signedUpTo), "anchoredUpTo": .int(anchoredUpTo),
                "key": ["source": .string(keySource.rawValue), "fingerprint": keyFingerprint.map(JSONValue.string) ?? .null],
                "allSigned": .bool(covers(.signed)), "allAnchored": .bool(covers(.anchored)),
                "unsigned": unsigned.map { ["from": .int($0.lowerBound), "to": .int($0.upperBound)] } ?? .null,
                "problem": problem.map { $0.json } ?? .null,
                "warnings": .array(warnings.map(\.json)),
            ]
            if let anchorSource { o["anchor"] = .string(anchorSource) }
            if let head { o["headFile"] = head.json }
            return .object(o)
        }
    }

    /// - Parameters:
    ///   - trustedKey: the public key checkpoints must be signed with; nil takes the key the log's first record names (and says so).
    ///   - keySource: where `trustedKey` came from, for the report.
    ///   - expectedHead: an anchored checkpoint (`audit head`): the log must still reach it, with the same hash.
    ///   - anchors: more such checkpoints (a witness's copies).
    public static func verify(directory: URL, trustedKey: Curve25519.Signing.PublicKey?, keySource: KeySource = .given,
                              expectedHead: (seq: Int, hash: String)? = nil, anchors: [Anchor] = []) throws -> Report {
        var report = Report()
        let files = LogFiles.list(directory)
        report.files = files.count
        report.head = try HeadFile.read(from: directory)
        var trustedKey = trustedKey
        report.keySource = trustedKey == nil ? .none : keySource
        report.keyFingerprint = trustedKey.map(AuditKeys.fingerprint)
        var expectedSeq = 1
        var lastHash = Array(AuditRecord.genesis.utf8)[...]
        var lastKind = ""
        var format = 1
        var sessionEnd: (seq: Int, file: String, line: Int)?
        var allAnchors = anchors
        if let head = expectedHead { allAnchors.append(Anchor(seq: head.seq, hash: head.hash, source: "--head")) }
        // The hashes anchors and the head file name are collected on the one pass, not searched for afterwards.
        var wanted = Set(allAnchors.map(\.seq))
        if let head = report.head { wanted.insert(head.seq) }
        var found: [Int: String] = [:]
        if files.isEmpty {
            let named = report.head.map { ": its head file names record \($0.seq) in \($0.file)" } ?? ""
            report.problem = Finding(kind: .deleted, file: directory.lastPathComponent, line: 0, seq: nil,
                                     message: "the log folder holds no log files\(named); every file of the log was deleted")
            return report
        }
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
                // Only checkpoints and the first record need their JSON read; the layout puts the kind before any data.
                let kindName = Self.kind(of: record.body)
                let isCheckpoint = kindName.starts(with: Self.checkpointKind)
                if record.seq == 1 {
                    if kindName.starts(with: Self.logStartKind), let start = AuditRecord(line: line.bytes.string) {
                        format = start.data["format"]?.intValue ?? 1
                        guard let text = start.data["publicKey"]?.stringValue, let raw = Data(base64Encoded: text),
                            let key = try? Curve25519.Signing.PublicKey(rawRepresentation: raw)
                        else { return fail(.edited, "the log's first record does not name a signing key", seq: 1) }
                        if let trusted = trustedKey, trusted.rawRepresentation != key.rawRepresentation {
                            return fail(.badSignature, "the log was started with the key \(AuditKeys.fingerprint(key)), but the key from the \(report.keySource.rawValue) is \(AuditKeys.fingerprint(trusted)): the signing key was replaced (or the log was rewritten from its first record)", seq: 1)
                        }
                        if trustedKey == nil {
                            trustedKey = key
                            report.keySource = .firstRecord
                            report.keyFingerprint = AuditKeys.fingerprint(key)
                        }
                    }
                }
                if let end = sessionEnd {
                    sessionEnd = nil
                    if !isCheckpoint {
                        report.problem = Finding(kind: .deleted, file: end.file, line: end.line + 1, seq: end.seq + 1,
                            message: "session-end #\(end.seq) is not followed by its checkpoint: the checkpoint was removed and the chain rebuilt")
                        return report
                    }
                }
                if format >= 2, kindName.starts(with: Self.sessionEndKind) { sessionEnd = (record.seq, name, lineNumber) }
                let kind = isCheckpoint ? "checkpoint" : ""
                if isCheckpoint {
                    if let trustedKey {
                        if let problem = checkpointProblem(line.bytes, seq: record.seq, prev: record.prev.string, trustedKey: trustedKey) {
                            return fail(.badSignature, problem, seq: record.seq)
                        }
                        report.signedUpTo = record.seq
                    }
                    report.checkpoints += 1
                    report.lastCheckpoint = AuditRecord(line: line.bytes.string)
                }
                lastKind = kind
                lastHash = record.hash
                if wanted.contains(record.seq) { found[record.seq] = record.hash.string }
                report.lastSeq = record.seq
                report.records += 1
                expectedSeq += 1
            }
            if report.problem != nil { return report }
        }
        report.lastHash = lastHash.string
        let lastFile = files.last!.lastPathComponent
        if let end = sessionEnd {
            report.problem = Finding(kind: .truncated, file: end.file, line: end.line + 1, seq: end.seq + 1,
                message: "session-end #\(end.seq) is not followed by its checkpoint: the log was cut after it")
            return report
        }
        for anchor in allAnchors {
            if report.lastSeq < anchor.seq {
                report.problem = Finding(kind: .truncated, file: lastFile, line: 0, seq: report.lastSeq,
                    message: "the log ends at record \(report.lastSeq), but the anchored checkpoint (\(anchor.source)) is record \(anchor.seq): records were cut from the end")
                return report
            }
            guard found[anchor.seq] == anchor.hash else {
                report.problem = Finding(kind: .edited, file: lastFile, line: 0, seq: anchor.seq,
                    message: "record \(anchor.seq) no longer has the hash \(anchor.hash.prefix(16))… that \(anchor.source) holds: the log was rewritten")
                return report
            }
            if anchor.seq > report.anchoredUpTo {
                report.anchoredUpTo = anchor.seq
                report.anchorSource = anchor.source
            }
        }
        if let head = report.head {
            if !files.contains(where: { $0.lastPathComponent == head.file }) {
                report.problem = Finding(kind: .deleted, file: head.file, line: 0, seq: head.seq,
                    message: "the head file says the log ends at record \(head.seq) in \(head.file), and that file is gone: the newest file was deleted")
                return report
            }
            if report.lastSeq < head.seq {
                report.problem = Finding(kind: .truncated, file: lastFile, line: 0, seq: report.lastSeq,
                    message: "the log ends at record \(report.lastSeq), but the head file says record \(head.seq): records were cut from the end")
                return report
            }
            if found[head.seq] != head.hash {
                report.problem = Finding(kind: .edited, file: head.file, line: 0, seq: head.seq,
                    message: "record \(head.seq) no longer has the hash \(head.hash.prefix(16))… the head file holds: the log was rewritten")
                return report
            }
            if report.lastSeq > head.seq {
                report.warnings.append(Finding(kind: .inserted, file: lastFile, line: 0, seq: head.seq + 1,
                    message: "records \(head.seq + 1)…\(report.lastSeq) come after the head file's record \(head.seq): appended by something other than konektor, or a crash right after writing them"))
            }
        } else if format >= 2 {
            report.problem = Finding(kind: .deleted, file: HeadFile.name, line: 0, seq: nil,
                message: "the log's head file (\(HeadFile.name)) is missing: it is written with every append, so it was deleted")
            return report
        }
        if report.records > 0, lastKind != "checkpoint" {
            report.warnings.append(Finding(kind: .truncated, file: lastFile, line: 0, seq: report.lastSeq,
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
    static let kindMarker = Array(",\"kind\":\"".utf8)
    static let checkpointKind = Array("checkpoint\",".utf8)
    static let logStartKind = Array("log-start\",".utf8)
    static let sessionEndKind = Array("session-end\",".utf8)

    /// The bytes from a record's kind on (`checkpoint","data":…`): the session before it is a JSON string, so the first marker is the kind's.
    static func kind(of body: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        body.withUnsafeBufferPointer { buffer in
            ByteSearch.firstIndex(of: kindMarker, in: buffer).map { body[(body.startIndex + $0 + kindMarker.count)...] } ?? body[body.endIndex...]
        }
    }

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
