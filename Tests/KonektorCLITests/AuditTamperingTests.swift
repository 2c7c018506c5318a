import AgentCore
import AuditLog
import Crypto
import Foundation
import Testing
import TestSupport

/// An attacker with the same Unix user edits the log that real `konektor ask` runs wrote; `audit verify` (the binary) must not call it intact (issue 14, part 2).
@Suite struct AuditTamperingTests {
    struct Installation {
        let temp: TemporaryDirectory
        var environment: [String: String] { ["XDG_CONFIG_HOME": temp.appending("config").path, "XDG_STATE_HOME": temp.appending("state").path] }
        var log: URL { temp.appending("state/konektor/audit") }
        var config: URL { temp.appending("config/konektor") }

        /// Two sessions: a read, then a write the analyst policy denies.
        static func make(_ name: String) async throws -> Installation {
            let i = Installation(temp: try TemporaryDirectory(name))
            let read = try await CommandLineRunner.run(["ask", "How many new leads this week?"], environment: i.environment)
            #expect(read.status == 0, "\(read.stderr)")
            // A planner that insists on a write the analyst policy denies: the log holds a deny to forge.
            let script = i.temp.appending("write.json")
            try #"[{"calls": [{"name": "updateLead", "arguments": {"id": "lead_1", "status": "lost"}}]}, {"answer": "done"}]"#
                .write(to: script, atomically: true, encoding: .utf8)
            _ = try await CommandLineRunner.run(["ask", "Update lead CRM-1024 status to lost", "--policy", "analyst", "--planner", "script:\(script.path)"], environment: i.environment)
            #expect(AuditRecordForge.records(in: i.log).flatMap(\.records).contains { $0.kind == "decision" && $0.data["decision"] == "deny" })
            return i
        }

        func verify(_ extra: [String] = []) async throws -> CommandLineRunner.Result {
            try await CommandLineRunner.run(["audit", "verify"] + extra, environment: environment)
        }

        func verifyJSON(_ extra: [String] = []) async throws -> JSONValue {
            let result = try await verify(["--json"] + extra)
            return try JSONValue(parsing: result.stdout)
        }

        var signingKey: Curve25519.Signing.PrivateKey {
            let text = try! String(contentsOf: config.appendingPathComponent("audit-signing.key"), encoding: .utf8)
            return try! Curve25519.Signing.PrivateKey(rawRepresentation: Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines))!)
        }

        /// Turns the deny into an allow.
        static func allowTheDeny(_ records: inout [AuditRecord]) {
            for i in records.indices where records[i].kind == "decision" && records[i].data["decision"] == "deny" {
                records[i].data["decision"] = "allow"
            }
        }

        var lines: [String] {
            AuditRecordForge.records(in: log).flatMap { file in file.records.map(AuditRecordForge.line) }
        }

        func writeLines(_ lines: [String]) throws {
            let file = AuditRecordForge.records(in: log).last!.file
            try (lines.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
        }
    }

    @Test func anUntouchedLogIsSignedWithThePinnedKey() async throws {
        let i = try await Installation.make("konektor-tamper-none")
        defer { i.temp.remove() }
        let result = try await i.verify()
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("intact (signed): "), "\(result.stdout)")
        #expect(result.stdout.contains("nothing outside this machine vouches for them"))
        let json = try await i.verifyJSON()
        #expect(json["assurance"] == "signed")
        #expect(json["key"]?["source"] == "config folder")
        #expect(json["allSigned"] == true)
        #expect(json["allAnchored"] == false)
        #expect(json["unsigned"] == .null)
    }

    @Test func aDenyRewrittenAsAllowWithTheChainRebuiltAndCheckpointsDroppedFails() async throws {
        let i = try await Installation.make("konektor-tamper-deny")
        defer { i.temp.remove() }
        try AuditRecordForge.rewrite(i.log, signer: nil, updateHead: false, edit: Installation.allowTheDeny)
        let result = try await i.verify()
        #expect(result.status == 1)
        #expect(result.stderr.contains("NOT intact"), "\(result.stderr)")
    }

    /// The attacker also rewrites the head file and drops the session ends: the log can only be called chained.
    @Test func aFullyRebuiltUnsignedLogIsCalledChainedOnly() async throws {
        let i = try await Installation.make("konektor-tamper-chained")
        defer { i.temp.remove() }
        try AuditRecordForge.rewrite(i.log, signer: nil, updateHead: true) { records in
            Installation.allowTheDeny(&records)
            records.removeAll { $0.kind == "session-end" }
        }
        let result = try await i.verify()
        #expect(!result.stdout.contains("intact ("), "\(result.stdout)")
        #expect(result.stdout.contains("(chained only)"), "\(result.stdout)")
        let json = try await i.verifyJSON()
        #expect(json["assurance"] == "chained only")
        #expect(json["allSigned"] == false)
        #expect(try await i.verify(["--require", "signed"]).status == 1)
    }

    /// Re-signed with the installation's own key (the same Unix user can read it): only an anchor held elsewhere tells.
    @Test func reSigningWithTheInstallationsOwnKeyIsCaughtByTheAnchor() async throws {
        let i = try await Installation.make("konektor-tamper-resign")
        defer { i.temp.remove() }
        let head = try await CommandLineRunner.run(["audit", "head"], environment: i.environment)
        let anchor = i.temp.appending("anchor.json")
        try head.stdout.write(to: anchor, atomically: true, encoding: .utf8)
        #expect(try await i.verifyJSON(["--head", anchor.path])["assurance"] == "anchored")
        try AuditRecordForge.rewrite(i.log, signer: i.signingKey, updateHead: true, edit: Installation.allowTheDeny)
        let local = try await i.verify(["--pubkey", i.config.appendingPathComponent("audit-signing.pub").path])
        #expect(!local.stdout.contains("anchored"), "without the anchor verify claims no more than signed: \(local.stdout)")
        let anchored = try await i.verify(["--head", anchor.path])
        #expect(anchored.status == 1)
        #expect(anchored.stderr.contains("the log was rewritten"), "\(anchored.stderr)")
    }

    @Test func aNewSigningKeyIsAFailureNotADefault() async throws {
        let i = try await Installation.make("konektor-tamper-newkey")
        defer { i.temp.remove() }
        let original = try String(contentsOf: i.config.appendingPathComponent("audit-signing.pub"), encoding: .utf8)
        let attacker = Curve25519.Signing.PrivateKey()
        try (attacker.rawRepresentation.base64EncodedString() + "\n").write(to: i.config.appendingPathComponent("audit-signing.key"), atomically: true, encoding: .utf8)
        try (attacker.publicKey.rawRepresentation.base64EncodedString() + "\n").write(to: i.config.appendingPathComponent("audit-signing.pub"), atomically: true, encoding: .utf8)
        try AuditRecordForge.rewrite(i.log, signer: attacker, updateHead: true, edit: Installation.allowTheDeny)
        let result = try await i.verify()
        #expect(result.status == 1)
        #expect(result.stderr.contains("the signing key was replaced"), "\(result.stderr)")
        // Rewriting the first record too fools the local folder, not a key kept elsewhere.
        try AuditRecordForge.rewrite(i.log, signer: attacker, updateHead: true) { records in
            records[0].data["publicKey"] = .string(attacker.publicKey.rawRepresentation.base64EncodedString())
        }
        let kept = i.temp.appending("kept.pub")
        try original.write(to: kept, atomically: true, encoding: .utf8)
        let withKept = try await i.verify(["--pubkey", kept.path])
        #expect(withKept.status == 1)
        #expect(withKept.stderr.contains("bad signature"), "\(withKept.stderr)")
    }

    /// A lost private key makes konektor create a new one, but the pinned public key stays: the new checkpoints fail.
    @Test func aRegeneratedKeyDoesNotReplaceThePin() async throws {
        let i = try await Installation.make("konektor-tamper-regen")
        defer { i.temp.remove() }
        try FileManager.default.removeItem(at: i.config.appendingPathComponent("audit-signing.key"))
        _ = try await CommandLineRunner.run(["ask", "How many leads this month?"], environment: i.environment)
        let result = try await i.verify()
        #expect(result.status == 1)
        #expect(result.stderr.contains("signed with another key"), "\(result.stderr)")
    }

    @Test func aCutAtACheckpointBoundaryFails() async throws {
        let i = try await Installation.make("konektor-tamper-cut")
        defer { i.temp.remove() }
        let lines = i.lines
        let firstCheckpoint = try #require(lines.firstIndex { $0.contains("\"kind\":\"checkpoint\"") })
        try i.writeLines(Array(lines[...firstCheckpoint]))
        let result = try await i.verify()
        #expect(result.status == 1)
        #expect(result.stderr.contains("truncated"), "\(result.stderr)")
    }

    @Test func cuttingTheLastThreeRecordsFails() async throws {
        let i = try await Installation.make("konektor-tamper-cut3")
        defer { i.temp.remove() }
        try i.writeLines(Array(i.lines.dropLast(3)))
        let result = try await i.verify()
        #expect(result.status == 1)
        #expect(result.stderr.contains("truncated"), "\(result.stderr)")
    }

    @Test func deletingEveryFileFails() async throws {
        let i = try await Installation.make("konektor-tamper-empty")
        defer { i.temp.remove() }
        for file in AuditRecordForge.records(in: i.log) { try FileManager.default.removeItem(at: file.file) }
        let result = try await i.verify()
        #expect(result.status == 1)
        #expect(result.stderr.contains("every file of the log was deleted"), "\(result.stderr)")
        #expect(!result.stdout.contains("intact"))
    }

    @Test func deletingTheHeadFileFails() async throws {
        let i = try await Installation.make("konektor-tamper-nohead")
        defer { i.temp.remove() }
        try FileManager.default.removeItem(at: i.log.appendingPathComponent("head.json"))
        let result = try await i.verify()
        #expect(result.status == 1)
        #expect(result.stderr.contains("head file"), "\(result.stderr)")
    }

    /// A rotated log (written by the real writer, across two days) loses its newest file.
    @Test func deletingTheNewestFileOfARotatedLogFails() async throws {
        let temp = try TemporaryDirectory("konektor-tamper-rotated")
        defer { temp.remove() }
        let log = temp.appending("state/konektor/audit")
        let files = try AuditRecordForge.writeRotatedLog(log, keysIn: temp.appending("config/konektor"))
        #expect(files.count >= 3)
        let environment = ["XDG_CONFIG_HOME": temp.appending("config").path, "XDG_STATE_HOME": temp.appending("state").path]
        #expect(try await CommandLineRunner.run(["audit", "verify"], environment: environment).status == 0)
        try FileManager.default.removeItem(at: files.last!)
        let result = try await CommandLineRunner.run(["audit", "verify"], environment: environment)
        #expect(result.status == 1)
        #expect(result.stderr.contains("the newest file was deleted"), "\(result.stderr)")
    }

    /// A properly chained record appended after the last checkpoint is named as unsigned, never part of an intact log.
    @Test func aForgedRecordAppendedAfterTheLastCheckpointIsNamed() async throws {
        let i = try await Installation.make("konektor-tamper-append")
        defer { i.temp.remove() }
        let lines = i.lines
        let forged = AuditRecordForge.record(after: lines.last!, kind: "confirmation", data: ["tool": "updateLead", "answer": "yes", "by": "budi", "how": "prompt"])
        try i.writeLines(lines + [forged])
        let result = try await i.verify()
        #expect(!result.stdout.contains("intact ("), "\(result.stdout)")
        let seq = lines.count + 1
        #expect(result.stdout.contains("records \(seq)…\(seq) come after the last checkpoint and are only chained"), "\(result.stdout)")
        #expect(result.stdout.contains("come after the head file's record"), "\(result.stdout)")
        let json = try await i.verifyJSON()
        #expect(json["unsigned"]?["from"] == .int(seq))
        #expect(try await i.verify(["--require", "signed"]).status == 1)
    }
}
