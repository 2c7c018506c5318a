import AgentCore
import ArgumentParser
import AsyncHTTPClient
import Foundation
import KonektorKit
import NIOCore
import SupervisionServer

/// `konektor bench server`: proposals and decisions per second, and decision latency, over HTTP against an in-process server.
struct ServerBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "server",
        abstract: "Time proposals and decisions against the supervision server on SQLite (and PostgreSQL with --postgres).")

    @Option(help: "Proposals (and as many decisions) to send.") var actions = 2000
    @Option(help: "Requests in flight at once.") var concurrency = 8
    @Option(help: "Agent runs the proposals are spread over, round robin (one agent session each); 1 puts every action in one run.")
    var runs = 8
    @Option(help: ArgumentHelp("Also measure on this PostgreSQL database (its tables get bench rows).", valueName: "url")) var postgres: String?

    func validate() throws {
        guard actions >= 1, (1...256).contains(concurrency), (1...actions).contains(runs) else {
            throw ValidationError("--actions must be at least 1, --concurrency 1–256 and --runs 1 to --actions")
        }
        if let postgres, PostgresLocation(url: postgres) == nil { throw ValidationError("--postgres must be a postgres:// URL") }
    }

    func run() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("konektor-bench-server-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: folder) }
        var stores: [(String, StoreLocation)] = [("SQLite (file, WAL)", .sqlite(path: folder.appendingPathComponent("bench.sqlite").path))]
        if let postgres, let location = PostgresLocation(url: postgres) { stores.append(("PostgreSQL \(location)", .postgres(location))) }
        print("\(actions) proposals over \(runs) run\(runs == 1 ? "" : "s"), then \(actions) decisions, over HTTP on loopback, \(concurrency) in flight, \(ProcessInfo.processInfo.activeProcessorCount) cores")
        for (name, location) in stores { try await measure(name, location) }
    }

    func measure(_ name: String, _ location: StoreLocation) async throws {
        let running = try await SupervisionServer.start(.init(storage: location, options: .init(maxPendingPerSession: actions + 1), logger: ServerCommand.quietLogger))
        let suffix = UUID().uuidString.prefix(6).lowercased()
        let agent = try await TokenAdministration.create(name: "bench-agent-\(suffix)", scopes: [.propose], in: running.store)
        let approver = try await TokenAdministration.create(name: "bench-approver-\(suffix)", scopes: [.approve], in: running.store)
        let base = running.baseURL
        var runIds: [String] = []
        for r in 0..<runs {
            let run = try await Self.send(base + "/v1/runs", token: agent, ["session": .string("bench-\(suffix)-\(r)"), "request": "bench"])
            guard let runId = run.1["data"]?["runId"]?.stringValue else { throw CommandFailure("the server did not create a run: \(run)") }
            runIds.append(runId)
        }
        let runs = runIds.count
        let expires = UTCTimestamp.format(millis: Int64(Date().addingTimeInterval(3600).timeIntervalSince1970 * 1000))
        let proposal: JSONValue = [
            "tool": "updateLead", "arguments": ["id": "lead_1", "status": "qualified"], "method": "PATCH", "path": "/api/v2/agent/leads/lead_1",
            "body": ["status": "qualified"], "current": ["status": "new"], "policy": ["name": "supervised", "hash": "00"], "rule": "bench", "reason": "bench",
            "proposer": ["user": "bench", "host": "localhost", "session": .string("bench-\(suffix)"), "pid": 1],
            "baseURL": "https://konektor.id", "keyFingerprint": "sha256:00", "expiresAt": .string(expires),
        ]
        let clock = ContinuousClock()
        // Action i goes to run i mod runs; there it is number i / runs + 1.
        let (proposeWall, proposeSamples) = try await phase(clock) { [runIds] i in
            try await Self.send(base + "/v1/runs/\(runIds[i % runs])/actions", token: agent, proposal)
        }
        let (decideWall, decideSamples) = try await phase(clock) { [runIds] i in
            try await Self.send(base + "/v1/runs/\(runIds[i % runs])/actions/\(i / runs + 1)/approve", token: approver, ["note": "bench"])
        }
        func rate(_ wall: Duration) -> String {
            let seconds = Double(wall.components.seconds) + Double(wall.components.attoseconds) / 1e18
            return "\(Int((Double(actions) / seconds).rounded()))/s"
        }
        print("\(name)")
        print("  proposals \(rate(proposeWall))   latency \(Timing(proposeSamples))")
        print("  decisions \(rate(decideWall))   latency \(Timing(decideSamples))")
        await running.shutdown()
    }

    /// Sends `actions` requests, `concurrency` at a time; every answer must be 200.
    func phase(_ clock: ContinuousClock, _ request: @escaping @Sendable (Int) async throws -> (Int, JSONValue)) async throws -> (Duration, [Duration]) {
        let start = clock.now
        var samples: [Duration] = []
        samples.reserveCapacity(actions)
        let actions = actions, concurrency = concurrency
        try await withThrowingTaskGroup(of: Duration.self) { group in
            var next = 0
            func add() {
                let i = next
                next += 1
                group.addTask {
                    let begin = clock.now
                    let (status, body) = try await request(i)
                    guard status == 200 else { throw CommandFailure("request \(i) answered \(status): \(body)") }
                    return clock.now - begin
                }
            }
            for _ in 0..<min(concurrency, actions) { add() }
            while let sample = try await group.next() {
                samples.append(sample)
                if next < actions { add() }
            }
        }
        return (clock.now - start, samples)
    }

    static func send(_ url: String, token: String, _ body: JSONValue) async throws -> (Int, JSONValue) {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: body.jsonString()))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let text = String(buffer: try await response.body.collect(upTo: 1 << 20))
        return (Int(response.status.code), (try? JSONValue(parsing: text)) ?? .string(text))
    }
}
