import AgentCore
import Foundation
import KonektorClient
import NIOCore
import SkillCatalog
import Testing
import TestSupport

/// The client against a server that drops connections, stalls, fails and talks nonsense.
@Suite struct ClientFaultTests {
    static let catalog = SkillParser.parse(Fixtures.skillMarkdown).catalog
    static let ok = FaultServer.Behavior.respond(status: 200, body: #"{"success":true,"data":{"displayName":"Toko Budi Online"}}"#)

    // A loopback connect never takes long, but a 2-core machine running the whole suite (browsers, PostgreSQL, Python
    // clients) can stall one for over a second; a connect timeout then costs an attempt and the scripted faults shift.
    func client(_ url: String, sleeper: SleepRecorder = SleepRecorder(), readTimeout: Duration = .seconds(5), observer: RecordingObserver? = nil) throws -> KonektorClient {
        try KonektorClient(
            configuration: ClientConfiguration(baseURL: url, apiKey: APIKey("knk_test_secret_value"), connectTimeout: .seconds(10), readTimeout: readTimeout,
                                               maxReadAttempts: 4, retryBudget: .seconds(300), maxRateLimitWait: .seconds(10)),
            catalog: Self.catalog, observer: observer, sleep: sleeper.sleep)
    }

    let read = try! catalog.validate(tool: "getWorkspace", arguments: [:]).get()
    let write = try! catalog.validate(tool: "createLead", arguments: ["firstName": "Andi"]).get()

    @Test func readsRecoverFromDroppedConnectionsAnd5xx() async throws {
        let server = try await FaultServer.start([.close, .respond(status: 503, body: "{}"), .close, Self.ok])
        let sleeper = SleepRecorder()
        let client = try client(server.baseURL, sleeper: sleeper)
        defer { Task { await client.shutdown(); await server.shutdown() } }
        let response = try await client.send(read)
        #expect(response.data["displayName"] == "Toko Budi Online")
        #expect(server.requests.count == 4)
        let delays = sleeper.slept.withLock { $0 }
        #expect(delays.count == 3 && delays.allSatisfy { $0 <= .seconds(3) }, "\(delays)")
    }

    @Test func readsGiveUpWithinTheirBounds() async throws {
        let server = try await FaultServer.start(Array(repeating: .respond(status: 500, body: #"{"success":false,"error":{"code":"INTERNAL_ERROR","message":"boom","details":null}}"#), count: 10))
        let client = try client(server.baseURL)
        defer { Task { await client.shutdown(); await server.shutdown() } }
        await #expect(throws: ClientError.self) { try await client.send(read) }
        #expect(server.requests.count == 4)
    }

    @Test func writesAreSentAtMostOnce() async throws {
        for fault in [FaultServer.Behavior.close, .respond(status: 502, body: "<html>bad gateway</html>"), .stall(.seconds(3))] {
            let server = try await FaultServer.start([fault, Self.ok, Self.ok])
            let client = try client(server.baseURL, readTimeout: .seconds(1))
            do {
                _ = try await client.send(write)
                Issue.record("\(fault): the write should have failed")
            } catch {
                #expect("\(error)".isEmpty == false)
            }
            #expect(server.requests == ["POST /api/v2/agent/leads HTTP/1.1"], "\(fault)")
            await client.shutdown()
            await server.shutdown()
        }
    }

    @Test func stalledReadsTimeOutAndAreRetried() async throws {
        // The stall outlasts the read timeout by far, so a busy machine cannot make the answer after it late too.
        let server = try await FaultServer.start([.stall(.seconds(12)), Self.ok])
        let client = try client(server.baseURL, readTimeout: .seconds(3))
        defer { Task { await client.shutdown(); await server.shutdown() } }
        let response = try await client.send(read)
        #expect(response.status == 200 && server.requests.count == 2)
    }

    @Test func garbageIsAnErrorNotACrash() async throws {
        let server = try await FaultServer.start([
            .respond(status: 200, body: "this is not json"),
            .respond(status: 200, body: #"{"success":true,"data":[1,2"#),
            .raw("NOT HTTP AT ALL\r\n\r\n"),
            .raw("HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n{\"success\":"),
        ])
        let client = try client(server.baseURL, readTimeout: .seconds(1))
        defer { Task { await client.shutdown(); await server.shutdown() } }
        for _ in 0..<2 {
            do {
                _ = try await client.send(read)
                Issue.record("garbage accepted")
            } catch {
                if case .invalidResponse = error {} else { Issue.record("\(error)") }
            }
        }
        // The last two are retried as reads and run out of script into the default success.
        let recovered = try await client.send(read)
        #expect(recovered.status == 200)
    }

    @Test func retryAfterIsHonouredUpToItsBound() async throws {
        let limited = FaultServer.Behavior.respond(status: 429, headers: [("Retry-After", "2")], body: #"{"success":false,"error":{"code":"RATE_LIMITED","message":"slow down","details":null}}"#)
        let server = try await FaultServer.start([limited, Self.ok, .respond(status: 429, headers: [("Retry-After", "120")], body: "{}")])
        let sleeper = SleepRecorder()
        let client = try client(server.baseURL, sleeper: sleeper)
        defer { Task { await client.shutdown(); await server.shutdown() } }
        #expect(try await client.send(write).status == 200, "a 429 was not processed, so even a write is sent again")
        #expect(sleeper.slept.withLock { $0 } == [.seconds(2)])
        do {
            _ = try await client.send(read)
            Issue.record("a 120 s Retry-After is past the bound")
        } catch {
            if case .rateLimitWait(let seconds, let limit) = error {
                #expect(seconds == 120 && limit == 10)
            } else {
                Issue.record("\(error)")
            }
        }
    }

    @Test func refusedConnectionsMayRetryEvenWrites() async throws {
        let dead = try RefusingPort()
        let url = dead.baseURL
        defer { withExtendedLifetime(dead) {} }
        let observer = RecordingObserver()
        let client = try client(url, observer: observer)
        defer { Task { await client.shutdown() } }
        do {
            _ = try await client.send(write)
            Issue.record("nothing listens there")
        } catch {
            if case .transport(let reason, let attempts) = error {
                #expect(attempts == 4 && reason.contains("refused"))
            } else {
                Issue.record("\(error)")
            }
        }
    }

    @Test func plainHTTPIsRefusedOffThisMachine() {
        for url in ["http://konektor.id", "http://10.0.0.5:8080", "ftp://konektor.id", "konektor.id", "https://konektor.id/api"] {
            #expect(throws: ClientError.self, "\(url)") { try ClientConfiguration(baseURL: url, apiKey: APIKey("k")).validate() }
        }
        for url in ["https://konektor.id", "http://127.0.0.1:8080", "http://localhost:9", "http://[::1]:80", "https://konektor.id/"] {
            #expect(throws: Never.self, "\(url)") { try ClientConfiguration(baseURL: url, apiKey: APIKey("k")).validate() }
        }
        do {
            try ClientConfiguration(baseURL: "http://konektor.id", apiKey: APIKey("k")).validate()
        } catch {
            #expect(error.description.contains("unencrypted"))
        }
        #expect(ClientConfiguration.baseURL(environment: [:]) == "https://konektor.id")
        #expect(ClientConfiguration.baseURL(environment: ["KONEKTOR_BASE_URL": "http://127.0.0.1:1"]) == "http://127.0.0.1:1")
    }

    @Test func anEchoedKeyIsScrubbedFromErrors() async throws {
        let server = try await FaultServer.start([
            .respond(status: 401, body: #"{"success":false,"error":{"code":"UNAUTHORIZED","message":"bad key knk_test_secret_value","details":null}}"#),
        ])
        let client = try client(server.baseURL)
        defer { Task { await client.shutdown(); await server.shutdown() } }
        do {
            _ = try await client.send(read)
        } catch {
            #expect(!"\(error)".contains("knk_test_secret_value"))
            #expect("\(error)".contains("sha256:"))
        }
    }
}
