import AgentCore
import AgentRuntime
import AuditLog
import Foundation
import Planners
import Testing
import TestSupport

/// The Anthropic planner against a local server speaking the Messages API's streaming events, over a real sandbox session.
@Suite struct AnthropicPlannerTests {
    static let key = "sk-ant-test-0123456789"

    func planner(_ server: ProviderServer, _ f: RuntimeFixture, sleeps: RecordedSleeps = RecordedSleeps()) -> AnthropicPlanner {
        AnthropicPlanner(configuration: ProviderConfiguration(baseURL: server.baseURL, apiKey: Self.key, model: "claude-test"), catalog: f.catalog, sleep: sleeps.sleep)
    }

    @Test func twoToolCallsInSequenceThenAnAnswer() async throws {
        let f = try await RuntimeFixture()
        defer { Task { await f.shutdown() } }
        let funnel = try await f.h.get("/api/v2/agent/analytics/funnel?timeframe=current_month").data
        let server = try await ProviderServer.start([
            .stream(AnthropicWire.toolUse([("toolu_1", "getWorkspace", "{}")], text: "Let me check the workspace first.", usage: (1500, 30))),
            .stream(AnthropicWire.toolUse([("toolu_2", "getAnalyticsFunnel", #"{"timeframe": "current_month"}"#)], usage: (1800, 22))),
            .stream(AnthropicWire.text("This month's funnel is ready.", usage: (2400, 40))),
        ])
        defer { Task { await server.shutdown() } }
        let result = try await f.session(planner: planner(server, f)).turn("Tunjukkan funnel konversi bulan ini")
        #expect(result.calls.map(\.tool) == ["getWorkspace", "getAnalyticsFunnel"] && result.calls.allSatisfy { $0.status == 200 })
        #expect(result.answer == "This month's funnel is ready.")
        #expect(result.usage == TokenUsage(inputTokens: 5700, outputTokens: 92))
        let requests = server.requests
        #expect(requests.count == 3 && requests.allSatisfy { $0.path == "/v1/messages" })
        #expect(requests[0].headers["x-api-key"] == Self.key && requests[0].headers["anthropic-version"] == "2023-06-01")
        let first = requests[0].json
        #expect(first["model"] == "claude-test" && first["stream"] == true && first["max_tokens"] == 2048)
        #expect(first["system"]?.stringValue?.contains("Toko Budi Online") == true)
        #expect(first["tools"]?[0]?["input_schema"] != nil)
        // Roles alternate; the note and the tool_use share the assistant turn; the result goes back in a user turn.
        let third = try #require(requests[2].json["messages"]?.arrayValue)
        #expect(third.map { $0["role"]?.stringValue ?? "" } == ["user", "assistant", "user", "assistant", "user"])
        #expect(third[1]["content"]?[0]?["type"] == "text" && third[1]["content"]?[1]?["type"] == "tool_use" && third[1]["content"]?[1]?["id"] == "toolu_1")
        #expect(third[3]["content"]?[0]?["input"] == ["timeframe": "current_month"])
        let result2 = third[4]["content"]?[0]
        #expect(result2?["type"] == "tool_result" && result2?["tool_use_id"] == "toolu_2" && result2?["is_error"] == nil)
        let stages = funnel.arrayValue ?? []
        #expect(result2?["content"]?.stringValue?.contains(#""count":\#(stages.first?["count"]?.intValue ?? -1)"#) == true)
        for request in requests { #expect(!request.body.contains(f.h.key("full"))) }
    }

    @Test func malformedInputIsCorrectedAndARefusalIsAnErrorResult() async throws {
        let f = try await RuntimeFixture()
        defer { Task { await f.shutdown() } }
        let server = try await ProviderServer.start([
            .stream(AnthropicWire.toolUse([("toolu_a", "listLeads", #"{"status": "qualified", "limit": 5"#)])),
            .stream(AnthropicWire.toolUse([("toolu_b", "createSupportTicket", #"{"subject":"x","message":"y"}"#)])),
            .stream(AnthropicWire.toolUse([("toolu_c", "listLeads", #"{"status":"qualified","limit":5}"#)])),
            .stream(AnthropicWire.text("Five qualified leads.")),
        ])
        defer { Task { await server.shutdown() } }
        let result = try await f.session(policy: "analyst", planner: planner(server, f)).turn("show 5 qualified leads")
        #expect(result.calls.map(\.tool) == ["listLeads", "createSupportTicket", "listLeads"])
        #expect(result.calls.map(\.status) == [nil, nil, 200] && result.calls[1].decision == .deny)
        let requests = server.requests
        let malformed = requests[1].json["messages"]?.arrayValue?.last?["content"]?[0]
        #expect(malformed?["is_error"] == true && malformed?["content"]?.stringValue?.contains("not a JSON object") == true)
        let refused = requests[2].json["messages"]?.arrayValue?.last?["content"]?[0]
        #expect(refused?["is_error"] == true && refused?["content"]?.stringValue?.contains("refused by policy") == true)
        // The analyst policy redacts contact fields before the model sees them.
        let data = requests[3].json["messages"]?.arrayValue?.last?["content"]?[0]?["content"]?.stringValue ?? ""
        #expect(data.contains(#""email":"[redacted]""#) && !data.contains("@example.com"))
    }

    @Test func overloadsAreRetriedAndOtherErrorsAreClear() async throws {
        let f = try await RuntimeFixture()
        defer { Task { await f.shutdown() } }
        let sleeps = RecordedSleeps()
        let server = try await ProviderServer.start([
            .status(529, body: AnthropicWire.error("overloaded_error", "Overloaded")),
            .stream(AnthropicWire.streamError("overloaded_error", "Overloaded")),
            .stream(AnthropicWire.text("Back.")),
            .status(400, body: AnthropicWire.error("invalid_request_error", "prompt is too long: 215000 tokens > 200000 maximum")),
            .status(401, body: AnthropicWire.error("authentication_error", "invalid x-api-key")),
            .status(429, headers: [("retry-after", "600")], body: AnthropicWire.error("rate_limit_error", "Number of requests has exceeded your rate limit")),
        ])
        defer { Task { await server.shutdown() } }
        let session = try f.session(planner: planner(server, f, sleeps: sleeps))
        #expect(try await session.turn("hi").answer == "Back.")
        #expect(sleeps.waits.withLock { $0.count } == 2)
        await #expect { try await session.turn("hi") } throws: { ($0 as? ProviderError)?.kind == .contextTooLong }
        await #expect { try await session.turn("hi") } throws: { ($0 as? ProviderError)?.kind == .unauthorized && "\($0)".contains("invalid x-api-key") }
        // A wait longer than konektor will sit through is reported, not slept.
        await #expect { try await session.turn("hi") } throws: { ($0 as? ProviderError)?.kind == .rateLimited && "\($0)".contains("rate-limiting") }
        #expect(sleeps.waits.withLock { $0.count } == 2)
    }
}
