import AgentCore
import AuditLog
import Foundation
import Testing
import TestSupport

/// Anchors outside the machine (issue 14, part 2): `audit anchor push` to a folder and to a running `audit witness serve`, and `audit verify --witness`.
@Suite struct AuditWitnessTests {
    typealias Installation = AuditTamperingTests.Installation

    @Test func aFolderWitnessAnchorsTheLogAndCatchesARewriteAndACut() async throws {
        let i = try await Installation.make("konektor-witness-folder")
        defer { i.temp.remove() }
        let witness = i.temp.appending("witness").path
        let push = try await CommandLineRunner.run(["audit", "anchor", "push", "--witness", witness], environment: i.environment)
        #expect(push.status == 0, "\(push.stderr)")
        #expect(push.stdout.contains("(stored, not cosigned)"))
        // The stored note is a C2SP checkpoint: origin, size, base64 root hash, a blank line, signature lines.
        let stored = try #require(try FileManager.default.contentsOfDirectory(atPath: witness).first.map { "\(witness)/\($0)/checkpoint" })
        let note = try String(contentsOfFile: stored, encoding: .utf8)
        let lines = note.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[0].hasPrefix("konektor.audit/ed25519:"))
        #expect(Int(lines[1]) == i.lines.count)
        #expect(lines[3].isEmpty)
        #expect(lines[4].hasPrefix("— konektor.audit/ed25519:"))
        let anchored = try await i.verifyJSON(["--witness", witness])
        #expect(anchored["assurance"] == "anchored")
        #expect(anchored["allAnchored"] == true)
        // Re-signed with the installation's own key: only the witness's copy tells.
        try AuditRecordForge.rewrite(i.log, signer: i.signingKey, updateHead: true, edit: Installation.allowTheDeny)
        #expect(try await i.verify().status == 0, "locally the rewrite is undetectable")
        let caught = try await i.verify(["--witness", witness])
        #expect(caught.status == 1)
        #expect(caught.stderr.contains("the log was rewritten"), "\(caught.stderr)")
        // And pushing the rewritten log is a fork the witness refuses.
        let fork = try await CommandLineRunner.run(["audit", "anchor", "push", "--witness", witness], environment: i.environment)
        #expect(fork.status == 1)
        #expect(fork.stderr.contains("another root hash"), "\(fork.stderr)")
    }

    @Test func aRunningWitnessCosignsAndRefusesARollback() async throws {
        let i = try await Installation.make("konektor-witness-http")
        defer { i.temp.remove() }
        let server = Process()
        server.executableURL = CommandLineRunner.executable
        server.arguments = ["audit", "witness", "serve", "--dir", i.temp.appending("witness-server").path, "--port", "0", "--name", "witness.test"]
        let out = Pipe()
        server.standardOutput = out
        server.standardError = FileHandle.nullDevice
        try server.run()
        defer { server.terminate() }
        let line = try #require(await CommandLineRunner.firstLine(out.fileHandleForReading, timeout: 30))
        let info = try JSONValue(parsing: line)
        let url = try #require(info["url"]?.stringValue)
        let witnessKey = i.temp.appending("witness.pub")
        try (try #require(info["publicKey"]?.stringValue) + "\n").write(to: witnessKey, atomically: true, encoding: .utf8)

        let full = i.lines
        let firstCheckpoint = try #require(full.firstIndex { $0.contains("\"kind\":\"checkpoint\"") })
        let push = try await CommandLineRunner.run(["audit", "anchor", "push", "--witness", url], environment: i.environment)
        #expect(push.status == 0, "\(push.stderr)")
        #expect(push.stdout.contains("cosigned by witness.test"), "\(push.stdout)")
        let verified = try await i.verify(["--witness", url, "--witness-key", witnessKey.path, "--witness-name", "witness.test"])
        #expect(verified.status == 0, "\(verified.stderr)")
        #expect(verified.stdout.hasPrefix("intact (anchored)"), "\(verified.stdout)")
        #expect(verified.stdout.contains("cosigned by witness.test"))
        // A wrong witness key is a failure, not a pass.
        try (Data(repeating: 1, count: 32).base64EncodedString() + "\n").write(to: witnessKey, atomically: true, encoding: .utf8)
        #expect(try await i.verify(["--witness", url, "--witness-key", witnessKey.path, "--witness-name", "witness.test"]).status == 1)
        // Cutting the log back to its first session, head file and all: the witness's copy is further on.
        try i.writeLines(Array(full[...firstCheckpoint]))
        let cutRecord = try #require(AuditRecord(line: full[firstCheckpoint]))
        try AuditRecordForge.writeHead(i.log, record: cutRecord, file: AuditRecordForge.records(in: i.log).last!.file.lastPathComponent)
        let cut = try await i.verify(["--witness", url])
        #expect(cut.status == 1)
        #expect(cut.stderr.contains("truncated"), "\(cut.stderr)")
        let rollback = try await CommandLineRunner.run(["audit", "anchor", "push", "--witness", url], environment: i.environment)
        #expect(rollback.status == 1)
        #expect(rollback.stderr.contains("roll it back"), "\(rollback.stderr)")
        // Plain HTTP to another machine is refused before anything is sent.
        let remote = try await CommandLineRunner.run(["audit", "anchor", "push", "--witness", "http://witness.example.com"], environment: i.environment)
        #expect(remote.status == 1)
        #expect(remote.stderr.contains("must use https"))
    }
}
