import AgentCore
import Foundation
import SupervisionServer
import Testing
import TestSupport

/// `--webhook`: every new pending action is announced in the background and retried until the receiver takes it.
@Suite struct WebhookTests {
    @Test func aNewPendingActionIsPostedWithASlackText() async throws {
        let receiver = try await FaultServer.start([.respond(status: 200, body: "ok")])
        let h = try await ServerHarness.start(.sqlite, options: .init(webhook: URL(string: receiver.baseURL + "/hook")))
        let run = try await h.propose()
        await h.stop()
        await receiver.shutdown()
        let payload = try JSONValue(parsing: receiver.received.first?.body ?? "")
        #expect(payload["text"]?.stringValue?.contains("\(run)/1 waits for approval") == true)
    }

    @Test func aFailingReceiverIsRetriedUntilItAccepts() async throws {
        let receiver = try await FaultServer.start([.respond(status: 500, body: "down"), .close, .respond(status: 200, body: "ok")])
        let h = try await ServerHarness.start(.sqlite, options: .init(webhook: URL(string: receiver.baseURL + "/hook")),
                                              webhookBackoff: [.milliseconds(10), .milliseconds(20), .milliseconds(40)])
        _ = try await h.propose()
        await h.stop()
        await receiver.shutdown()
        #expect(receiver.requests.count == 3)
    }

    @Test func aStalledReceiverDoesNotDelayTheProposer() async throws {
        let receiver = try await FaultServer.start([.stall(.seconds(30))])
        let h = try await ServerHarness.start(.sqlite, options: .init(webhook: URL(string: receiver.baseURL + "/hook")), webhookBackoff: [])
        // The proposal is answered while the hook still hangs; the answer carries the run.
        let run = try await h.propose()
        #expect(run.hasPrefix("run_"))
        #expect(h.running.webhookDeliveriesInFlight == 1)
        await h.running.shutdown(waitForWebhooks: false)
        await receiver.shutdown()
        h.folder.remove()
    }
}
