import AgentCore
import Foundation
import Testing
import TestSupport

/// Secrets never reach stdout, stderr, the audit log or a model provider, whatever form a server or library puts them in.
///
/// Each test drives the real binary and then searches every byte a person or
/// a log could see — both streams, every audit file, the bytes a local model
/// provider received — for every textual form of the secret.
@Suite(.serialized) struct SecretLeakTests {
    func environment(_ temp: TemporaryDirectory, _ extra: [String: String] = [:]) -> [String: String] {
        var env = ["XDG_CONFIG_HOME": temp.appending("config").path, "XDG_STATE_HOME": temp.appending("state").path, "HOME": temp.url.path]
        for (k, v) in extra { env[k] = v }
        return env
    }

    /// Every file under `directory`, as text.
    func files(under directory: URL) -> String {
        guard let walker = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil) else { return "" }
        var text = ""
        for case let url as URL in walker {
            if let data = FileManager.default.contents(atPath: url.path) { text += String(decoding: data, as: UTF8.self) + "\n" }
        }
        return text
    }

    func scrubber(_ secret: String) -> SecretScrubber { SecretScrubber([.init(name: "secret", value: secret)]) }

    @Test func aKonektorKeyWithATrailingCRLFIsTrimmedAndNeverShown() async throws {
        let h = try await SandboxHarness(leads: 200)
        let temp = try TemporaryDirectory("konektor-leak")
        defer { temp.remove() }
        let key = h.key("full")
        let env = environment(temp, ["KONEKTOR_API_KEY": key + "\r\n", "KONEKTOR_BASE_URL": h.baseURL])
        let result = try await CommandLineRunner.run(["ask", "How many new leads this week?", "--json"], environment: env)
        let export = try await CommandLineRunner.run(["audit", "export"], environment: env)
        await h.shutdown()
        #expect(result.status == 0, "the trimmed key works: \(result.stderr)")
        let seen = result.stdout + result.stderr + export.stdout + export.stderr + files(under: temp.url)
        #expect(!scrubber(key).leaks(in: seen))
    }

    @Test func aKeyWithACarriageReturnInsideIsRefusedNamingTheVariable() async throws {
        let temp = try TemporaryDirectory("konektor-leak")
        defer { temp.remove() }
        let key = "knk_test_4f8a2c9e\r7b1d3f5a6c8e"
        let result = try await CommandLineRunner.run(["ask", "How many leads?"], environment: environment(temp, ["KONEKTOR_API_KEY": key, "KONEKTOR_BASE_URL": "http://127.0.0.1:9"]))
        #expect(result.status == 2)
        #expect(result.stderr.contains("KONEKTOR_API_KEY contains a control character"))
        #expect(!result.stderr.contains("4f8a2c9e"))
        #expect(!result.stderr.contains("7b1d3f5a"))
    }

    @Test func aProviderKeyWithATrailingCRReachesNeitherTheStreamsNorTheLog() async throws {
        let temp = try TemporaryDirectory("konektor-leak")
        defer { temp.remove() }
        let providerKey = "sk-live-9f8e7d6c5b4a39281706"
        let server = try await ProviderServer.start([.status(401, body: OpenAIWire.error("Incorrect API key provided: \(providerKey)\r.", type: "invalid_request_error"))])
        let env = environment(temp, ["OPENAI_BASE_URL": server.baseURL + "/v1", "OPENAI_API_KEY": providerKey + "\r"])
        let result = try await CommandLineRunner.run(["ask", "How many leads?", "--planner", "openai:gpt-test"], environment: env)
        let export = try await CommandLineRunner.run(["audit", "export"], environment: env)
        let sent = server.requests.first?.headers["authorization"]
        await server.shutdown()
        #expect(sent == "Bearer \(providerKey)", "the provider gets the trimmed key")
        let seen = result.stdout + result.stderr + export.stdout + files(under: temp.url)
        #expect(!scrubber(providerKey).leaks(in: seen))
    }

    /// A hostile or buggy API echoes the Authorization header in `error.message` and `error.details`.
    @Test func anEchoingServerNeverPutsTheKeyBeforeTheModelOrInTheLog() async throws {
        let temp = try TemporaryDirectory("konektor-leak")
        defer { temp.remove() }
        let key = "knk_live_Zq81Lp02Xr93Mn47"
        let skill = Fixtures.skillMarkdown
        let api = try await FaultServer.start([], router: { request in
            if request.path.hasPrefix("/api/v2/agent/SKILL.md") { return .respond(status: 200, body: skill) }
            if request.path.hasPrefix("/api/v2/agent/workspace") {
                return .respond(status: 200, body: #"{"success":true,"data":{"displayName":"Echo Shop","timezone":"Asia/Jakarta","currency":"IDR","language":"en"}}"#)
            }
            let auth = request.header("Authorization") ?? ""
            let echoed = JSONValue.object([
                "success": false,
                "error": ["code": "VALIDATION_ERROR", "message": .string("bad request with header \(auth)"),
                          "details": ["authorization": .string(auth), "escaped": .string(JSONValue.string(auth + "\r").jsonString()),
                                      "encoded": .string(auth.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")]],
            ])
            return .respond(status: 400, body: echoed.jsonString())
        })
        let model = try await ProviderServer.start([
            .stream(OpenAIWire.toolCalls([("call_1", "listLeads", #"{"status":"new"}"#)])),
            .stream(OpenAIWire.text("The API refused the request.")),
        ])
        let env = environment(temp, ["KONEKTOR_API_KEY": key, "KONEKTOR_BASE_URL": api.baseURL, "OPENAI_BASE_URL": model.baseURL + "/v1"])
        let result = try await CommandLineRunner.run(["ask", "show new leads", "--planner", "openai:gpt-test", "--json"], environment: env)
        let export = try await CommandLineRunner.run(["audit", "export"], environment: env)
        let toModel = model.requests.map(\.body).joined(separator: "\n")
        let echoes = api.received.filter { $0.path.hasPrefix("/api/v2/agent/leads") }.count
        await api.shutdown()
        await model.shutdown()
        #expect(echoes == 1, "the call reached the echoing server: \(result.stderr) \(result.stdout)")
        #expect(model.requests.count == 2, "the error went back to the model")
        #expect(toModel.contains("VALIDATION_ERROR") || toModel.contains("rejected"), "the model saw the error: \(toModel.suffix(600))")
        #expect(!scrubber(key).leaks(in: toModel))
        #expect(!scrubber(key).leaks(in: result.stdout + result.stderr))
        #expect(!scrubber(key).leaks(in: export.stdout + files(under: temp.url)))
    }

    @Test func userInfoInABaseURLIsRefusedWithoutEchoingIt() async throws {
        let temp = try TemporaryDirectory("konektor-leak")
        defer { temp.remove() }
        let konektor = try await CommandLineRunner.run(["ask", "hi"], environment: environment(temp, [
            "KONEKTOR_API_KEY": "knk_live_0000111122223333", "KONEKTOR_BASE_URL": "https://analyst:Pa55w0rd-Xy@konektor.id",
        ]))
        #expect(konektor.status == 2)
        #expect(konektor.stderr.contains("https://[redacted]@konektor.id"))
        #expect(!konektor.stderr.contains("Pa55w0rd"))
        let provider = try await CommandLineRunner.run(["ask", "hi", "--planner", "openai"], environment: environment(temp, [
            "OPENAI_API_KEY": "sk-live-00001111222233334444", "OPENAI_BASE_URL": "https://me:Hunter2-Secret@api.example.test/v1",
        ]))
        #expect(provider.status == 2)
        #expect(provider.stderr.contains("[redacted]@api.example.test"))
        #expect(!provider.stderr.contains("Hunter2"))
    }

    @Test func aLookalikeLoopbackHostIsRefusedForEveryService() async throws {
        let temp = try TemporaryDirectory("konektor-leak")
        defer { temp.remove() }
        let provider = try await CommandLineRunner.run(["ask", "hi", "--planner", "openai"], environment: environment(temp, [
            "OPENAI_API_KEY": "sk-live-00001111222233334444", "OPENAI_BASE_URL": "http://127.attacker.invalid/v1",
        ]))
        #expect(provider.status == 2)
        #expect(provider.stderr.contains("refusing plain HTTP to 127.attacker.invalid (OPENAI_BASE_URL)"))
        let konektor = try await CommandLineRunner.run(["ask", "hi"], environment: environment(temp, [
            "KONEKTOR_API_KEY": "knk_live_0000111122223333", "KONEKTOR_BASE_URL": "http://127.attacker.invalid",
        ]))
        #expect(konektor.status == 2)
        #expect(konektor.stderr.contains("refusing plain HTTP to 127.attacker.invalid (KONEKTOR_BASE_URL)"))
    }
}
