import AgentCore
import Approvals
import Crypto
import Foundation
import SupervisionServer
import Testing
import TestSupport

/// The API and its store, the same suite against SQLite and PostgreSQL.
@Suite struct SupervisionAPITests {
    @Test(arguments: Backend.allCases)
    func proposedApprovedClaimedCompletedOnce(_ backend: Backend) async throws {
        let h = try await ServerHarness.start(backend)
        do {
            let run = try await h.propose()
            let approved = try await h.post("/v1/runs/\(run)/actions/1/approve", token: h.alice, ["note": "checked with sales"])
            #expect(approved.status == 200)
            #expect(approved.data["state"]?.stringValue == "approved")
            #expect(approved.data["decision"]?["note"]?.stringValue == "checked with sales")
            let claimed = try await h.post("/v1/runs/\(run)/actions/1/claim", token: h.agent)
            #expect(claimed.data["state"]?.stringValue == "executing")
            let completed = try await h.post("/v1/runs/\(run)/actions/1/complete", token: h.agent, ["executed": true, "status": 200, "requestId": "req-1"])
            #expect(completed.data["state"]?.stringValue == "executed")
            #expect(completed.data["requestId"]?.stringValue == "req-1")
        } catch { Issue.record(error) }
        await h.stop()
    }

    @Test(arguments: Backend.allCases)
    func theDecisionVerifiesAgainstThePublishedKeyAndTheActionAsServed(_ backend: Backend) async throws {
        let h = try await ServerHarness.start(backend)
        do {
            let run = try await h.propose()
            let approved = try await h.post("/v1/runs/\(run)/actions/1/approve", token: h.alice, ["note": "ok"])
            let action = try #require(ActionWire.action(from: approved.data))
            let decision = try #require(action.signedDecision)
            let key = try await h.publicKey()
            #expect(throws: Never.self) { try decision.verify(publicKey: key, for: action) }
            #expect(decision.digest == approved.data["digest"]?.stringValue)
            #expect(decision.approver.hasPrefix("alice-"))
        } catch { Issue.record(error) }
        await h.stop()
    }

    @Test(arguments: Backend.allCases)
    func anEditOfTheStoredBodyAfterApprovalBreaksTheDigestAndTheClaim(_ backend: Backend) async throws {
        let h = try await ServerHarness.start(backend)
        do {
            let run = try await h.propose()
            _ = try await h.post("/v1/runs/\(run)/actions/1/approve", token: h.alice, ["note": "qualified is fine"])
            try await h.sql("UPDATE actions SET document = replace(document, '\"qualified\"', '\"won\"') WHERE run_id = '\(run)'")
            let served = try await h.get("/v1/runs/\(run)", token: h.agent)
            let wire = try #require(served.data["actions"]?[0])
            #expect(wire["body"]?["status"]?.stringValue == "won")
            let action = try #require(ActionWire.action(from: wire))
            let decision = try #require(action.signedDecision)
            let key = try await h.publicKey()
            #expect(throws: DecisionError.self) { try decision.verify(publicKey: key, for: action) }
            let claim = try await h.post("/v1/runs/\(run)/actions/1/claim", token: h.agent)
            #expect(claim.status == 409)
        } catch { Issue.record(error) }
        await h.stop()
    }

    @Test(arguments: Backend.allCases)
    func aSecondClaimAndAClaimAfterExecutionAreConflicts(_ backend: Backend) async throws {
        let h = try await ServerHarness.start(backend)
        do {
            let run = try await h.propose()
            _ = try await h.post("/v1/runs/\(run)/actions/1/approve", token: h.alice)
            _ = try await h.post("/v1/runs/\(run)/actions/1/claim", token: h.agent)
            let second = try await h.post("/v1/runs/\(run)/actions/1/claim", token: h.agent)
            #expect(second.status == 409)
            _ = try await h.post("/v1/runs/\(run)/actions/1/complete", token: h.agent, ["executed": true, "status": 200])
            let replay = try await h.post("/v1/runs/\(run)/actions/1/claim", token: h.agent)
            #expect(replay.status == 409)
            #expect(replay.code == "CONFLICT")
        } catch { Issue.record(error) }
        await h.stop()
    }

    @Test(arguments: Backend.allCases)
    func resettingAnExecutedActionsStateInTheDatabaseDoesNotRunItAgain(_ backend: Backend) async throws {
        let h = try await ServerHarness.start(backend)
        do {
            let run = try await h.propose()
            _ = try await h.post("/v1/runs/\(run)/actions/1/approve", token: h.alice)
            _ = try await h.post("/v1/runs/\(run)/actions/1/claim", token: h.agent)
            _ = try await h.post("/v1/runs/\(run)/actions/1/complete", token: h.agent, ["executed": true, "status": 200])
            // A forged reset to approved with a forged decision signed by another key: the runtime's verify refuses it.
            let forged = try SignedDecision(digest: "00", verdict: .approved, approver: "mallory", note: nil, decidedAt: h.clock.now())
                .signed(with: Curve25519.Signing.PrivateKey())
            let json = forged.jsonValue.jsonString(.canonical).replacingOccurrences(of: "'", with: "''")
            try await h.sql("UPDATE actions SET state = 'approved', decision = '\(json)' WHERE run_id = '\(run)'")
            let claim = try await h.post("/v1/runs/\(run)/actions/1/claim", token: h.agent)
            #expect(claim.status == 409)
        } catch { Issue.record(error) }
        await h.stop()
    }

    @Test(arguments: Backend.allCases)
    func anApproverCannotApproveTheirOwnProposal(_ backend: Backend) async throws {
        let h = try await ServerHarness.start(backend)
        do {
            let aliceName = try #require(try await h.running.store.tokens().first { $0.name.hasPrefix("alice-") }?.name)
            let run = try await h.propose(h.proposal(user: aliceName))
            let answer = try await h.post("/v1/runs/\(run)/actions/1/approve", token: h.alice)
            #expect(answer.status == 403)
            #expect(answer.code == "FORBIDDEN")
        } catch { Issue.record(error) }
        await h.stop()
    }

    @Test(arguments: Backend.allCases)
    func aTokenWithProposeAndApproveCannotDecideWhatItProposed(_ backend: Backend) async throws {
        let h = try await ServerHarness.start(backend)
        do {
            let both = try await TokenAdministration.create(name: "both", scopes: [.propose, .approve], in: h.running.store)
            let run = try await h.propose(token: both)
            let answer = try await h.post("/v1/runs/\(run)/actions/1/approve", token: both)
            #expect(answer.status == 403)
        } catch { Issue.record(error) }
        await h.stop()
    }

    @Test(arguments: Backend.allCases)
    func selfApprovalPassesOnlyWhenTheServerAllowsIt(_ backend: Backend) async throws {
        let h = try await ServerHarness.start(backend, options: .init(allowSelfApproval: true))
        do {
            let both = try await TokenAdministration.create(name: "both", scopes: [.propose, .approve], in: h.running.store)
            let run = try await h.propose(token: both)
            let answer = try await h.post("/v1/runs/\(run)/actions/1/approve", token: both)
            #expect(answer.status == 200)
        } catch { Issue.record(error) }
        await h.stop()
    }

    @Test(arguments: Backend.allCases)
    func anExpiredActionCannotBeApproved(_ backend: Backend) async throws {
        let h = try await ServerHarness.start(backend)
        do {
            let run = try await h.propose(h.proposal(expiresIn: 60))
            h.clock.advance(120)
            let answer = try await h.post("/v1/runs/\(run)/actions/1/approve", token: h.alice)
            #expect(answer.status == 410)
            let after = try await h.get("/v1/runs/\(run)", token: h.reader)
            #expect(after.data["actions"]?[0]?["state"]?.stringValue == "expired")
        } catch { Issue.record(error) }
        await h.stop()
    }

    @Test(arguments: Backend.allCases)
    func anApprovedActionPastItsExpiryCannotBeClaimed(_ backend: Backend) async throws {
        let h = try await ServerHarness.start(backend)
        do {
            let run = try await h.propose(h.proposal(expiresIn: 60))
            _ = try await h.post("/v1/runs/\(run)/actions/1/approve", token: h.alice)
            h.clock.advance(120)
            let claim = try await h.post("/v1/runs/\(run)/actions/1/claim", token: h.agent)
            #expect(claim.status == 410)
        } catch { Issue.record(error) }
        await h.stop()
    }

    @Test(arguments: Backend.allCases)
    func aFloodOfProposalsFromOneSessionIsCutAtTheBound(_ backend: Backend) async throws {
        let h = try await ServerHarness.start(backend, options: .init(maxPendingPerSession: 3))
        do {
            let run = try await h.propose()
            var statuses: [Int] = []
            for _ in 0..<3 { statuses.append(try await h.post("/v1/runs/\(run)/actions", token: h.agent, h.proposal()).status) }
            #expect(statuses == [200, 200, 429])
            let other = try await h.propose(session: "sess-2")
            #expect(other.hasPrefix("run_"))
        } catch { Issue.record(error) }
        await h.stop()
    }

    @Test(arguments: Backend.allCases)
    func aProposeTokenCannotApprove(_ backend: Backend) async throws {
        let h = try await ServerHarness.start(backend)
        do {
            let run = try await h.propose()
            let answer = try await h.post("/v1/runs/\(run)/actions/1/approve", token: h.agent)
            #expect(answer.status == 403)
        } catch { Issue.record(error) }
        await h.stop()
    }

    @Test(arguments: Backend.allCases)
    func aReadTokenCannotPropose(_ backend: Backend) async throws {
        let h = try await ServerHarness.start(backend)
        do {
            let answer = try await h.post("/v1/runs", token: h.reader, ["session": "s", "request": "r"])
            #expect(answer.status == 403)
        } catch { Issue.record(error) }
        await h.stop()
    }

    @Test(arguments: Backend.allCases)
    func aRevokedTokenIsRefused(_ backend: Backend) async throws {
        let h = try await ServerHarness.start(backend)
        do {
            let name = try #require(try await h.running.store.tokens().first { $0.name.hasPrefix("alice-") }?.name)
            #expect(try await h.running.store.revokeToken(name: name, at: h.clock.now()))
            let answer = try await h.get("/v1/runs", token: h.alice)
            #expect(answer.status == 401)
        } catch { Issue.record(error) }
        await h.stop()
    }

    @Test(arguments: Backend.allCases)
    func anUnknownTokenIsRefused(_ backend: Backend) async throws {
        let h = try await ServerHarness.start(backend)
        let answer = try await h.get("/v1/runs", token: "kst_nottoken")
        #expect(answer.status == 401)
        await h.stop()
    }

    @Test(arguments: Backend.allCases)
    func tokensAreStoredAsHashesOnly(_ backend: Backend) async throws {
        let h = try await ServerHarness.start(backend)
        let tokens = try await h.running.store.tokens()
        #expect(tokens.allSatisfy { $0.hash.count == 64 && !$0.hash.hasPrefix("kst_") })
        #expect(tokens.contains { $0.hash == TokenIssuer.hash(h.agent) })
        await h.stop()
    }

    @Test(arguments: Backend.allCases)
    func malformedJSONIsAValidationError(_ backend: Backend) async throws {
        let h = try await ServerHarness.start(backend)
        let answer = try await h.request(.POST, "/v1/runs", token: h.agent, body: "{\"session\": ")
        #expect(answer.status == 400)
        #expect(answer.code == "VALIDATION_ERROR")
        await h.stop()
    }

    @Test(arguments: Backend.allCases)
    func aProposalMissingFieldsNamesThem(_ backend: Backend) async throws {
        let h = try await ServerHarness.start(backend)
        let answer = try await h.post("/v1/runs", token: h.agent, ["session": "s", "request": "r", "actions": [["tool": "updateLead"]]])
        #expect(answer.status == 400)
        #expect(answer.json["error"]?["details"]?["actions[0]"]?["method"] != nil)
        await h.stop()
    }

    @Test(arguments: Backend.allCases)
    func aHugeBodyIs413AndTheServerKeepsServing(_ backend: Backend) async throws {
        let h = try await ServerHarness.start(backend)
        do {
            let huge = "{\"session\":\"" + String(repeating: "x", count: 2 << 20) + "\"}"
            let answer = try? await h.request(.POST, "/v1/runs", token: h.agent, body: huge)
            #expect(answer?.status ?? 413 == 413)
            let after = try await h.get("/v1/server", token: nil)
            #expect(after.status == 200)
        } catch { Issue.record(error) }
        await h.stop()
    }

    @Test(arguments: Backend.allCases)
    func aProposeTokenSeesOnlyItsOwnRuns(_ backend: Backend) async throws {
        let h = try await ServerHarness.start(backend)
        do {
            let other = try await TokenAdministration.create(name: "other-agent", scopes: [.propose], in: h.running.store)
            _ = try await h.propose()
            let mine = try await h.propose(token: other)
            let listed = try await h.get("/v1/runs?status=all", token: other)
            #expect(listed.data.arrayValue?.compactMap { $0["runId"]?.stringValue } == [mine])
        } catch { Issue.record(error) }
        await h.stop()
    }

    @Test(arguments: Backend.allCases)
    func pendingListingShowsOnlyWaitingRuns(_ backend: Backend) async throws {
        let h = try await ServerHarness.start(backend)
        do {
            let first = try await h.propose()
            let second = try await h.propose()
            _ = try await h.post("/v1/runs/\(first)/actions/1/reject", token: h.alice, ["note": "no"])
            let listed = try await h.get("/v1/runs?status=pending", token: h.alice)
            #expect(listed.data.arrayValue?.compactMap { $0["runId"]?.stringValue } == [second])
        } catch { Issue.record(error) }
        await h.stop()
    }

    @Test(arguments: Backend.allCases)
    func aRejectedActionCannotBeApprovedOrClaimed(_ backend: Backend) async throws {
        let h = try await ServerHarness.start(backend)
        do {
            let run = try await h.propose()
            _ = try await h.post("/v1/runs/\(run)/actions/1/reject", token: h.alice, ["note": "no"])
            let approve = try await h.post("/v1/runs/\(run)/actions/1/approve", token: h.alice)
            #expect(approve.status == 409)
            let claim = try await h.post("/v1/runs/\(run)/actions/1/claim", token: h.agent)
            #expect(claim.status == 409)
        } catch { Issue.record(error) }
        await h.stop()
    }

    @Test(arguments: Backend.allCases)
    func eventsRecordEachStepWithTheSignedDecision(_ backend: Backend) async throws {
        let h = try await ServerHarness.start(backend)
        do {
            let run = try await h.propose()
            _ = try await h.post("/v1/runs/\(run)/actions/1/approve", token: h.alice, ["note": "fine"])
            _ = try await h.post("/v1/runs/\(run)/actions/1/claim", token: h.agent)
            _ = try await h.post("/v1/runs/\(run)/actions/1/complete", token: h.agent, ["executed": false, "error": "precondition"])
            let events = try await h.get("/v1/events?after=0", token: h.reader).data.arrayValue ?? []
            let kinds = events.filter { $0["run"]?.stringValue == run }.compactMap { $0["kind"]?.stringValue }
            #expect(kinds == ["proposed", "approved", "claimed", "failed"])
            let approved = events.first { $0["kind"]?.stringValue == "approved" }
            #expect(approved?["data"]?["decision"]?["signature"]?.stringValue?.isEmpty == false)
        } catch { Issue.record(error) }
        await h.stop()
    }

    @Test(arguments: Backend.allCases)
    func onlyTheClaimerCompletes(_ backend: Backend) async throws {
        let h = try await ServerHarness.start(backend)
        do {
            let run = try await h.propose()
            _ = try await h.post("/v1/runs/\(run)/actions/1/approve", token: h.alice)
            let early = try await h.post("/v1/runs/\(run)/actions/1/complete", token: h.agent, ["executed": true])
            #expect(early.status == 409)
        } catch { Issue.record(error) }
        await h.stop()
    }

    @Test(arguments: Backend.allCases)
    func theDecisionKeyIsKeptWithTheDatabase(_ backend: Backend) async throws {
        let first = try await ServerHarness.start(backend)
        let key = first.running.server.publicKeyBase64
        await first.stop(removeFolder: false)
        let second = try await ServerHarness.start(backend, storage: (first.storage, first.database), folder: first.folder)
        #expect(second.running.server.publicKeyBase64 == key)
        await second.stop()
    }

    @Test func theSQLiteDecisionKeyFileIsPrivate() async throws {
        let h = try await ServerHarness.start(.sqlite)
        let attributes = try FileManager.default.attributesOfItem(atPath: h.database + ".decision-key")
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        await h.stop()
    }

    @Test func twoServersOnOnePostgresDatabaseHandAnActionToExactlyOneClaimer() async throws {
        let a = try await ServerHarness.start(.postgres)
        let b = try await ServerHarness.start(.postgres, storage: (a.storage, a.database), folder: a.folder)
        do {
            #expect(a.running.server.publicKeyBase64 == b.running.server.publicKeyBase64)
            let run = try await a.propose()
            _ = try await b.post("/v1/runs/\(run)/actions/1/approve", token: b.alice)
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for i in 0..<8 {
                    let server = i % 2 == 0 ? a : b
                    group.addTask { try await server.post("/v1/runs/\(run)/actions/1/claim", token: a.agent).status }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == 200 }.count == 1)
            #expect(statuses.filter { $0 == 409 }.count == 7)
        } catch { Issue.record(error) }
        await b.stop(removeFolder: false)
        await a.stop()
    }

    @Test func twoServersOnOnePostgresDatabaseDecideAnActionOnce() async throws {
        let a = try await ServerHarness.start(.postgres)
        let b = try await ServerHarness.start(.postgres, storage: (a.storage, a.database), folder: a.folder)
        do {
            let run = try await a.propose()
            async let x = a.post("/v1/runs/\(run)/actions/1/approve", token: a.alice)
            async let y = b.post("/v1/runs/\(run)/actions/1/reject", token: b.alice)
            let statuses = try await [x.status, y.status].sorted()
            #expect(statuses == [200, 409])
        } catch { Issue.record(error) }
        await b.stop(removeFolder: false)
        await a.stop()
    }

    @Test func aReaderOfEventsMissesNoneWhileAnotherServersTransactionIsOpen() async throws {
        let h = try await ServerHarness.start(.postgres)
        do {
            let run = try await h.propose()
            func seqs(after cursor: Int) async throws -> [Int] {
                (try await h.get("/v1/events?after=\(cursor)", token: h.reader).data.arrayValue ?? []).compactMap { $0["seq"]?.intValue }
            }
            let start = try await seqs(after: 0).max() ?? 0
            // Another server's write, as its code does it: the event lock, its event, then a slow commit.
            let other = Task {
                try await h.sql("""
                    BEGIN; SELECT pg_advisory_xact_lock(\(0x6b6f_6576));
                    INSERT INTO events (time, kind, run_id, idx, identity, data) VALUES (0, 'proposed', NULL, NULL, 'other-server', '{}');
                    SELECT pg_sleep(2); COMMIT;
                    """)
            }
            try await Task.sleep(for: .milliseconds(500))
            let approving = Task { try await h.post("/v1/runs/\(run)/actions/1/approve", token: h.alice) }
            try await Task.sleep(for: .milliseconds(500))
            // A reader polls while the other transaction is open and moves its cursor past what it saw.
            var seen = try await seqs(after: start)
            var cursor = seen.max() ?? start
            try await other.value
            #expect(try await approving.value.status == 200)
            seen += try await seqs(after: cursor)
            cursor = seen.max() ?? cursor
            let all = try await seqs(after: start)
            #expect(all.count == 2)
            #expect(seen.sorted() == all.sorted())
        } catch { Issue.record(error) }
        await h.stop()
    }

}
