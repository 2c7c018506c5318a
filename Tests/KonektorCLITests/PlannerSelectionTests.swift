import AgentCore
import Foundation
import Testing
import TestSupport

/// Choosing a planner from the command line, the environment and config.yaml, through the real binary.
@Suite struct PlannerSelectionTests {
    func environment(_ temp: TemporaryDirectory, _ extra: [String: String] = [:]) -> [String: String] {
        var env = ["XDG_CONFIG_HOME": temp.appending("config").path, "XDG_STATE_HOME": temp.appending("state").path]
        for (k, v) in extra { env[k] = v }
        return env
    }

    @Test func badChoicesAreClearErrors() async throws {
        let temp = try TemporaryDirectory("konektor-planner")
        defer { temp.remove() }
        let unknown = try await CommandLineRunner.run(["ask", "hi", "--planner", "gpt"], environment: environment(temp))
        #expect(unknown.status == 2 && unknown.stderr.contains("unknown planner 'gpt'; choose one of: builtin, openai[:MODEL], anthropic[:MODEL], script:FILE"))
        let noKey = try await CommandLineRunner.run(["ask", "hi", "--planner", "anthropic"], environment: environment(temp))
        #expect(noKey.status == 1 && noKey.stderr.contains("the anthropic planner needs ANTHROPIC_API_KEY"), "\(noKey.stderr)")
        let plain = try await CommandLineRunner.run(["ask", "hi", "--planner", "openai"], environment: environment(temp, ["OPENAI_API_KEY": "sk-x", "OPENAI_BASE_URL": "http://llm.example.net/v1"]))
        #expect(plain.status == 2)
        #expect(plain.stderr.contains("refusing plain HTTP to llm.example.net (OPENAI_BASE_URL)"), "\(plain.stderr)")
        let missingScript = try await CommandLineRunner.run(["ask", "hi"], environment: environment(temp, ["KONEKTOR_PLANNER": "script:/nonexistent.json"]))
        #expect(missingScript.status == 1 && missingScript.stderr.contains("/nonexistent.json:1: error: no readable file here"))

        try FileManager.default.createDirectory(at: temp.appending("config/konektor"), withIntermediateDirectories: true)
        try "planner: builtin\nplaner: openai\n".write(to: temp.appending("config/konektor/config.yaml"), atomically: true, encoding: .utf8)
        let typo = try await CommandLineRunner.run(["ask", "hi"], environment: environment(temp))
        #expect(typo.status == 1 && typo.stderr.contains("config.yaml:2: error: unknown setting 'planer'; known: planner, model, policy"), "\(typo.stderr)")
    }

    @Test func aScriptFromConfigYamlRunsThroughTheWholeStack() async throws {
        let temp = try TemporaryDirectory("konektor-script")
        defer { temp.remove() }
        let script = temp.appending("steps.json")
        try #"{"steps": [{"calls": [{"name": "getAnalyticsSummary", "arguments": {"timeframe": "today"}}]}, {"calls": [{"name": "createSupportTicket", "arguments": {"subject": "s", "message": "m"}}]}, {"answer": "Scripted answer."}]}"#
            .write(to: script, atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(at: temp.appending("config/konektor"), withIntermediateDirectories: true)
        try "planner: script:\(script.path)\npolicy: analyst\n".write(to: temp.appending("config/konektor/config.yaml"), atomically: true, encoding: .utf8)
        let result = try await CommandLineRunner.run(["ask", "anything", "--json"], environment: environment(temp))
        #expect(result.status == 4, "the analyst policy denies the ticket: \(result.stderr)")
        let json = try JSONValue(parsing: result.stdout)
        #expect(json["answer"] == "Scripted answer." && json["calls"]?[0]?["query"] == ["timeframe": "today"] && json["calls"]?[0]?["status"] == 200)
        #expect(json["calls"]?[1]?["decision"] == "deny" && json["calls"]?[1]?["rule"]?.stringValue?.contains("analyst.yaml") == true, "policy from config.yaml")
        // The command line wins over config.yaml.
        let builtin = try await CommandLineRunner.run(["ask", "how many new leads this week?", "--planner", "builtin"], environment: environment(temp))
        #expect(builtin.stdout.contains("Leads created, this week ("), "\(builtin.stdout)")
    }

    @Test func aProviderErrorIsOneBadTurnNotTheEndOfTheREPL() async throws {
        let temp = try TemporaryDirectory("konektor-openai-401")
        defer { temp.remove() }
        let server = try await ProviderServer.start([.status(401, body: OpenAIWire.error("Incorrect API key provided: sk-live-****cdef.", type: "invalid_request_error", code: "invalid_api_key"))])
        defer { Task { await server.shutdown() } }
        let env = environment(temp, ["OPENAI_BASE_URL": server.baseURL + "/v1", "OPENAI_API_KEY": "sk-live-0123456789abcdef", "HOME": temp.url.path])
        let result = try await CommandLineRunner.pipe("how many leads?\n/whoami\n", arguments: ["--planner", "openai:gpt-test"], environment: env)
        #expect(result.status == 0)
        #expect(result.stderr.contains("error: the OpenAI-compatible server at \(server.baseURL)/v1 refused the API key (HTTP 401)"), "\(result.stderr)")
        #expect(result.stderr.components(separatedBy: "planner openai:gpt-test").count == 2, "the banner, on standard error")
        #expect(result.stdout.components(separatedBy: "planner openai:gpt-test").count == 2, "/whoami after the failed turn")
        #expect(!(result.stdout + result.stderr).contains("sk-live-0123456789abcdef"))
        let log = try await CommandLineRunner.run(["audit", "export"], environment: env)
        #expect(log.stdout.contains("planner-error") && !log.stdout.contains("sk-live-0123456789abcdef"))
    }

    @Test func theOpenAIPlannerThroughTheBinaryWithUsage() async throws {
        let temp = try TemporaryDirectory("konektor-openai")
        defer { temp.remove() }
        let server = try await ProviderServer.start([
            .stream(OpenAIWire.toolCalls([("call_1", "getAnalyticsSummary", #"{"timeframe":"current_week"}"#)], usage: (800, 20))),
            .stream(OpenAIWire.text("Some leads this week.", usage: (1000, 10))),
        ])
        defer { Task { await server.shutdown() } }
        let env = environment(temp, ["OPENAI_BASE_URL": server.baseURL + "/v1", "KONEKTOR_PLANNER": "openai", "KONEKTOR_MODEL": "gpt-test"])
        let result = try await CommandLineRunner.pipe("how many leads this week?\n/whoami\n/usage\n", environment: env.merging(["HOME": temp.url.path]) { a, _ in a })
        let text = result.stdout
        #expect(result.status == 0)
        #expect(text.contains("Some leads this week.") && text.contains("planner openai:gpt-test"), "\(text)")
        #expect(text.contains("openai:gpt-test: 2 model responses, 1800 input + 30 output = 1830 tokens this session"))
        let requests = server.requests
        #expect(requests.count == 2 && requests[0].headers["authorization"] == nil, "no OPENAI_API_KEY, no Authorization header (a local server)")
        #expect(requests.allSatisfy { !$0.body.contains("knk_") }, "the Konektor key never reaches the model")
        let verify = try await CommandLineRunner.run(["audit", "show", "--kind", "planner-usage"], environment: environment(temp))
        #expect(verify.stdout.contains("planner-usage"), "\(verify.stdout)\(verify.stderr)")
    }
}
