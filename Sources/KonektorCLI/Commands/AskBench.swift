import AgentCore
import AgentRuntime
import ArgumentParser
import Foundation
import KonektorKit
import Sandbox

/// `konektor bench ask`: the whole `ask --json` process against a running sandbox, and the runtime's own cost per call.
struct AskBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ask",
        abstract: "Time `konektor ask --json` as a process, and the runtime's cost per call apart from the network."
    )

    @Option(help: "How many `ask` processes to time.")
    var processes = 30

    @Option(help: "How many in-process turns to time for the per-call cost.")
    var turns = 300

    @Option(help: "The question to ask.")
    var question = "How many new leads this week?"

    func validate() throws {
        guard processes > 0, turns > 0 else { throw ValidationError("--processes and --turns must be at least 1") }
    }

    func run() async throws {
        // Rate limits scaled up: this measures konektor, not the plan's request budget.
        let sandbox = try await SandboxServer.start(SandboxConfiguration(port: 0, seed: 42, leadCount: 2000, rateLimitScale: 1000))
        let temp = FileManager.default.temporaryDirectory.appendingPathComponent("konektor-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: temp) }
        let environment = [
            "KONEKTOR_API_KEY": sandbox.key("full"), "KONEKTOR_BASE_URL": sandbox.baseURL,
            "XDG_CONFIG_HOME": temp.appendingPathComponent("config").path, "XDG_STATE_HOME": temp.appendingPathComponent("state").path,
            "HOME": temp.path, "PATH": "/usr/bin:/bin",
        ]
        do {
            let ask = try processWallTime(environment: environment)
            try curlComparison(ask: ask, environment: environment)
            try await perCallCost(environment: environment)
        } catch {
            await sandbox.shutdown()
            throw error
        }
        await sandbox.shutdown()
    }

    /// Runs this very binary as `ask --json`, as another program would.
    @discardableResult
    func processWallTime(environment: [String: String]) throws -> Timing {
        // This very binary, however it was started (argv[0] may be a bare name found on PATH).
        guard let executable = Bundle.main.executableURL else { throw CommandFailure("cannot find konektor's own executable") }
        var samples: [Duration] = []
        let clock = ContinuousClock()
        for i in 0..<(processes + 2) {
            let process = Process()
            process.executableURL = executable
            process.arguments = ["ask", question, "--json"]
            process.environment = environment
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            process.standardInput = FileHandle.nullDevice
            let start = clock.now
            try process.run()
            process.waitUntilExit()
            let elapsed = clock.now - start
            guard process.terminationStatus == 0 else { throw CommandFailure("ask exited \(process.terminationStatus)") }
            // The first two runs warm the page cache and create the audit keys.
            if i >= 2 { samples.append(elapsed) }
        }
        print("konektor ask --json \"\(question)\" (whole process, live mode against a loopback sandbox), \(processes) runs")
        print("  \(Timing(samples))")
        return Timing(samples)
    }

    /// `curl` of the endpoint the question needs, in the same run: the floor a one-shot process could reach, and konektor's ratio to it.
    func curlComparison(ask: Timing, environment: [String: String]) throws {
        guard let curl = ["/usr/bin/curl", "/usr/local/bin/curl", "/bin/curl"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            print("curl is not installed: no ratio to curl (apt-get install -y curl)")
            return
        }
        let url = (environment["KONEKTOR_BASE_URL"] ?? "") + "/api/v2/agent/analytics/summary?timeframe=current_week"
        var samples: [Duration] = []
        let clock = ContinuousClock()
        for i in 0..<(processes + 2) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: curl)
            process.arguments = ["-s", "-f", "-o", "/dev/null", "-H", "Authorization: Bearer \(environment["KONEKTOR_API_KEY"] ?? "")", url]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            process.standardInput = FileHandle.nullDevice
            let start = clock.now
            try process.run()
            process.waitUntilExit()
            let elapsed = clock.now - start
            guard process.terminationStatus == 0 else { throw CommandFailure("curl exited \(process.terminationStatus) for \(url)") }
            if i >= 2 { samples.append(elapsed) }
        }
        let floor = Timing(samples)
        print("curl of the same endpoint (GET /api/v2/agent/analytics/summary), \(processes) runs")
        print("  \(floor)")
        print("ratio to curl: p50 \(Self.ratio(ask.percentile(0.5), floor.percentile(0.5)))×  min \(Self.ratio(ask.sorted.first ?? .zero, floor.sorted.first ?? .zero))× (target ≤ 3×)")
    }

    static func ratio(_ a: Duration, _ b: Duration) -> String {
        let seconds = { (d: Duration) in Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }
        guard seconds(b) > 0 else { return "?" }
        return String(format: "%.1f", seconds(a) / seconds(b))
    }

    /// Turns inside one session: per call, the time outside the client (validation, policy, audit) and inside it.
    func perCallCost(environment: [String: String]) async throws {
        let factory = SessionFactory.terminal(policyName: "default", dryRun: false, assumeYes: false, confirmer: nil, environment: environment,
                                     paths: KonektorPaths(environment: environment))
        let built = try await factory.build()
        var runtime: [Duration] = []
        var network: [Duration] = []
        var failed: [String] = []
        let questions = [question, "Show me the conversion funnel for this month", "Which campaign generated the most leads?", "show me 20 qualified leads"]
        for i in 0..<(turns + 20) {
            let result = try await built.session.turn(questions[i % questions.count])
            guard i >= 20 else { continue }
            for call in result.calls {
                guard call.status == 200 else {
                    failed.append("\(call.tool): \(call.error ?? "status \(call.status.map(String.init) ?? "none")")")
                    continue
                }
                runtime.append(call.elapsed - call.network)
                network.append(call.network)
            }
        }
        await SessionFactory.finish(built)
        if let first = failed.first { print("\(failed.count) calls failed and are left out; the first: \(first)") }
        print("per call, \(runtime.count) calls in \(turns) turns (audit log on disk; each effect fsynced with the records before it):")
        print("  runtime (validation + policy + audit)  \(Timing(runtime))")
        print("  client (HTTP + sandbox)                \(Timing(network))")
    }
}
