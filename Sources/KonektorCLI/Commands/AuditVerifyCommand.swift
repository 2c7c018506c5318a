import AgentCore
import ArgumentParser
import AuditLog
import Crypto
import Foundation
import KonektorKit

extension AuditVerifier.Assurance: ExpressibleByArgument {
    public init?(argument: String) {
        switch argument {
        case "anchored": self = .anchored
        case "signed": self = .signed
        case "chained", "chained-only": self = .chained
        default: return nil
        }
    }

    public static var allValueStrings: [String] { ["anchored", "signed", "chained"] }
}

extension AuditCommand {
    /// `konektor audit verify`: every hash, link and signature, the head file and anchors, and how much that proves.
    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check every hash, link and signature, and say how much the log can be trusted.",
            discussion: """
                Reports the level of assurance: anchored (records up to N are covered by a checkpoint held outside this machine: \
                --head FILE or a witness), signed (checkpoints verify against a pinned key: --pubkey FILE or the one pinned in the \
                config folder when the keys were made) or chained only. Records after the last checkpoint are named. Exit 1 when \
                tampering is found (edited, deleted, reordered, inserted, truncated, a bad signature, a replaced key, a missing head \
                file or log file), or when --require LEVEL is not met for every record.
                """)
        @OptionGroup var location: AuditCommand.Location
        @Option(help: ArgumentHelp("The public key checkpoints must be signed with (default: the one pinned in the config folder).", valueName: "file"))
        var pubkey: String?
        @Option(help: ArgumentHelp("An anchored `audit head` line (a file kept off this machine); the log must still reach it.", valueName: "file"))
        var head: String?
        @Option(help: ArgumentHelp("Fail unless every record is covered at this level: anchored, signed or chained.", valueName: "level"))
        var require: AuditVerifier.Assurance?
        @Flag(help: "One JSON object: intact, assurance, signedUpTo, anchoredUpTo, unsigned, problem, warnings.") var json = false
        @Option(help: ArgumentHelp("A witness (folder or URL) the log was anchored at with `audit anchor push`: the log must still reach its copy, with the same hash.", valueName: "witness"))
        var witness: String?
        @Option(name: .customLong("witness-key"), help: ArgumentHelp("The witness's public key (its witness.pub): its cosignature must verify.", valueName: "file"))
        var witnessKey: String?
        @Option(name: .customLong("witness-name"), help: ArgumentHelp("The witness's name in its cosignatures (with --witness-key).", valueName: "name"))
        var witnessName = "konektor-witness"

        func run() async throws {
            let directory = try location.requireLog()
            let key: Curve25519.Signing.PublicKey?
            let source: AuditVerifier.KeySource
            if let pubkey {
                do { key = try AuditKeys.publicKey(from: URL(fileURLWithPath: pubkey)) } catch { throw CommandFailure("cannot read the public key \(pubkey): \(error)") }
                source = .given
            } else {
                let pinned = KonektorPaths().configDirectory.appendingPathComponent(AuditKeys.publicFile)
                if FileManager.default.fileExists(atPath: pinned.path) {
                    do { key = try AuditKeys.publicKey(from: pinned) } catch { throw CommandFailure("cannot read the pinned public key \(pinned.path): \(error)") }
                    source = .pinned
                } else {
                    key = nil
                    source = .none
                }
            }
            var expected: (Int, String)?
            if let head {
                guard let text = try? String(contentsOfFile: head, encoding: .utf8), let json = try? JSONValue(parsing: text.trimmingCharacters(in: .whitespacesAndNewlines)),
                    let seq = json["seq"]?.intValue, let hash = json["hash"]?.stringValue
                else { throw CommandFailure("\(head) is not a line printed by `konektor audit head`") }
                expected = (seq, hash)
            }
            var anchors: [AuditVerifier.Anchor] = []
            if let witness { anchors.append(try await witnessAnchor(witness, logKey: key)) }
            let report = try AuditVerifier.verify(directory: directory, trustedKey: key, keySource: source, expectedHead: expected, anchors: anchors)
            if json {
                print(report.json.jsonString())
            } else {
                for warning in report.warnings { print("warning: \(warning)") }
            }
            if let problem = report.problem {
                throw CommandFailure("audit log NOT intact: \(problem)", exitCode: ExitStatus.error)
            }
            if !json { print(report.summary) }
            if let require, !report.covers(require) {
                throw CommandFailure("audit log: not every record is \(require.rawValue) (--require \(require.rawValue)); the log is \(report.assurance.rawValue)", exitCode: ExitStatus.error)
            }
        }

        /// The witness's latest checkpoint of this log, checked: the log's signature, and the witness's cosignature when its key is given.
        func witnessAnchor(_ witness: String, logKey: Curve25519.Signing.PublicKey?) async throws -> AuditVerifier.Anchor {
            guard let logKey else { throw CommandFailure("--witness needs the log's public key: pass --pubkey FILE") }
            let origin = CheckpointNote.origin(for: logKey)
            guard let text = try await WitnessEndpoint(witness).latest(origin: origin) else {
                throw CommandFailure("audit log NOT intact: the witness \(witness) holds no checkpoint of \(origin) (never pushed, or pushed with another key)")
            }
            let (note, signatures) = try CheckpointNote.parse(text)
            guard note.isSigned(by: logKey, in: signatures) else {
                throw CommandFailure("audit log NOT intact: the witness's checkpoint of \(origin) is not signed with the log's key")
            }
            var source = "witness \(witness)"
            if let witnessKey {
                let key: Curve25519.Signing.PublicKey
                do { key = try AuditKeys.publicKey(from: URL(fileURLWithPath: witnessKey)) } catch { throw CommandFailure("cannot read the witness key \(witnessKey): \(error)") }
                guard let time = note.cosignatureTime(name: witnessName, key: key, in: signatures) else {
                    throw CommandFailure("audit log NOT intact: the witness's checkpoint carries no valid cosignature by \(witnessName) with \(witnessKey)")
                }
                source += ", cosigned by \(witnessName) at \(UTCTimestamp.format(millis: Int64(time) * 1000))"
            }
            return AuditVerifier.Anchor(seq: note.size, hash: note.rootHashHex, source: source)
        }
    }
}
