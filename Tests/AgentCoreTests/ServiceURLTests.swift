import AgentCore
import Testing

/// Where requests may go: one judgement for the Konektor API and every model provider.
@Suite struct ServiceURLTests {
    @Test(arguments: ["localhost", "127.0.0.1", "127.1.2.3", "127.255.255.254", "::1", "[::1]", "0:0:0:0:0:0:0:1", "::ffff:127.0.0.1", "::ffff:7f00:1", "LOCALHOST"])
    func loopback(_ host: String) {
        #expect(ServiceURL.isLoopback(host: host))
    }

    @Test(arguments: ["127.attacker.invalid", "127.0.0.1.attacker.invalid", "127.0.0.256", "1127.0.0.1", "127.0.0", "0x7f.0.0.1", "localhost.attacker.invalid",
                      "::2", "::ffff:10.0.0.1", "example.com", "10.0.0.1", "127.0.0.01x", ""])
    func notLoopback(_ host: String) {
        #expect(!ServiceURL.isLoopback(host: host))
    }

    @Test func plainHTTPToALookalikeHostIsRefusedBeforeAnyConnection() {
        #expect(throws: ServiceURLError.self) { try ServiceURL(parsing: "http://127.attacker.invalid/v1", variable: "OPENAI_BASE_URL") }
    }

    @Test func plainHTTPWithoutASecretMayGoAnywhere() throws {
        #expect(try ServiceURL(parsing: "http://gpu-box.lan:11434/v1", variable: "OPENAI_BASE_URL", secret: false).host == "gpu-box.lan")
    }

    @Test func plainHTTPToThisMachineIsAllowed() throws {
        #expect(try ServiceURL(parsing: "http://127.0.0.1:8080", variable: "KONEKTOR_BASE_URL", allowPath: false).origin == "http://127.0.0.1:8080")
    }

    @Test func userInfoIsRefusedWithoutEchoingIt() {
        do {
            _ = try ServiceURL(parsing: "https://alice:s3cretpass@konektor.id", variable: "KONEKTOR_BASE_URL")
            Issue.record("user info was accepted")
        } catch {
            #expect(error.description.contains("https://[redacted]@konektor.id"))
            #expect(!error.description.contains("s3cretpass"))
            #expect(!error.description.contains("alice"))
        }
    }

    @Test func aPathIsRefusedWhereOnlyAnOriginIsMeant() {
        #expect(throws: ServiceURLError.self) { try ServiceURL(parsing: "https://konektor.id/api", variable: "KONEKTOR_BASE_URL", allowPath: false) }
    }

    @Test func providersKeepTheirPath() throws {
        #expect(try ServiceURL(parsing: "https://api.openai.com/v1/", variable: "OPENAI_BASE_URL").path == "/v1")
    }
}
