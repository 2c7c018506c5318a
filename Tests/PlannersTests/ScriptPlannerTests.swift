import AgentCore
import Planners
import Testing
import TestSupport

@Suite struct ScriptPlannerTests {
    @Test func problemsInAScriptNameTheirLine() {
        #expect { try ScriptPlanner(text: "{\"steps\": [\n  {\"answer\": \"ok\"},\n  {\"calls\": []}\n]}", file: "s.json") } throws: {
            "\($0)" == "s.json:3: error: step 2 has neither \"answer\" (a string) nor \"calls\" (a non-empty list)"
        }
        #expect { try ScriptPlanner(text: "{\"steps\": [\n  {\"answer\": \"ok\",}\n]}", file: "s.json") } throws: { "\($0)".hasPrefix("s.json:2: error: invalid JSON") }
        #expect { try ScriptPlanner(text: "[{\"calls\": [{\"arguments\": {}}]}]", file: "s.json") } throws: { "\($0)".contains("call 1 has no \"name\"") }
        #expect { try ScriptPlanner(contentsOf: "/nonexistent/script.json") } throws: { "\($0)".contains("no readable file") }
    }

    @Test func stepsReplayInOrderWithValuesFromEarlierResults() async throws {
        let planner = try ScriptPlanner(text: #"[{"calls": [{"name": "getLead", "arguments": {"id": "{{result.0.data.0.id}}", "raw": "{{result.9.x}}"}}]}, {"calls": [{"name": "x", "arguments": "{oops"}]}]"#,
                                        file: "s.json")
        let earlier = ToolCall(id: "1", name: "listLeads", arguments: [:])
        let context = PlanningContext(transcript: [.user("q"), .calls([earlier], note: nil), .result(call: earlier, outcome: .data(["data": [["id": "lead_42"]]]))],
                                      tools: [], workspace: RuntimeFixture.workspace)
        guard case .calls(let first) = try await planner.next(context) else { Issue.record("expected calls"); return }
        #expect(first[0].arguments == ["id": "lead_42", "raw": "{{result.9.x}}"])
        guard case .calls(let second) = try await planner.next(context) else { Issue.record("expected calls"); return }
        #expect(second[0].malformedArguments == "{oops")
        #expect(try await planner.next(context) == .answer("(the script script:s.json has no more steps)"))
    }
}
