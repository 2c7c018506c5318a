import AgentCore
import ArgumentParser
import AgentPolicy
import AuditLog
import Foundation
import KonektorKit
import Sandbox
import SkillCatalog

/// `konektor bench`: measured speed figures, run in a release build.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure konektor's speed on this machine (build with -c release).",
        subcommands: [CatalogBench.self, PolicyBench.self, AuditBench.self, SandboxBench.self, AskBench.self, PromptBench.self, PlannerBench.self, ServerBench.self, McpBench.self]
    )
}

/// Parsing the bundled SKILL.md, and the size of the tool definitions it yields.
struct CatalogBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "catalog", abstract: "Time SKILL.md parsing and report tool-definition sizes.")

    @Option(help: "How many parses to time.")
    var iterations = 2000

    @Option(name: .long, help: ArgumentHelp("A SKILL.md file to parse instead of the bundled one.", valueName: "path"))
    var skill: String?

    func validate() throws {
        guard iterations > 0 else { throw ValidationError("--iterations must be at least 1") }
    }

    func run() async throws {
        let source = try await SkillSource.load(skill)
        let clock = ContinuousClock()
        var samples: [Duration] = []
        samples.reserveCapacity(iterations)
        var endpoints = 0
        for _ in 0..<20 { endpoints &+= SkillParser.parse(source.text).catalog.endpoints.count }
        for _ in 0..<iterations {
            let start = clock.now
            let result = SkillParser.parse(source.text)
            samples.append(clock.now - start)
            endpoints &+= result.catalog.endpoints.count
        }
        let stats = Timing(samples)
        let catalog = SkillParser.parse(source.text).catalog
        let skillBytes = source.text.utf8.count
        let openAI = catalog.openAITools().jsonString().utf8.count
        let anthropic = catalog.anthropicTools().jsonString().utf8.count
        print("parse \(source.name) (\(skillBytes) bytes, \(catalog.endpoints.count) endpoints), \(iterations) runs")
        print("  \(stats)")
        print("tool definitions for \(catalog.tools.count) tools:")
        print("  openai-tools    \(openAI) bytes (\(percent(openAI, of: skillBytes)) of SKILL.md)")
        print("  anthropic-tools \(anthropic) bytes (\(percent(anthropic, of: skillBytes)) of SKILL.md)")
        if endpoints == 0 { print("(no endpoints parsed)") }
        largeDocument(from: source.text, clock: clock)
    }

    /// A 10 MB SKILL.md grown from this one (each copy with its own endpoints): parsing must stay linear.
    func largeDocument(from text: String, clock: ContinuousClock) {
        let large = EnlargedSkill(from: text, atLeast: 10 * 1024 * 1024)
        let bytes = large.text.utf8.count
        var samples: [Duration] = []
        var result = SkillParser.parse(large.text)
        for _ in 0..<3 {
            let start = clock.now
            result = SkillParser.parse(large.text)
            samples.append(clock.now - start)
        }
        let best = samples.min() ?? .zero
        let seconds = Double(best.components.seconds) + Double(best.components.attoseconds) / 1e18
        let rate = seconds > 0 ? (Double(bytes) / 1_048_576 / seconds * 10).rounded() / 10 : 0
        print("parse \((Double(bytes) / 1_048_576 * 10).rounded() / 10) MB SKILL.md (\(large.copies) copies, \(result.catalog.endpoints.count) endpoints, \(result.diagnostics.count) diagnostics), 3 runs")
        print("  \(Timing(samples))  (\(rate) MB/s at best)")
    }

    func percent(_ part: Int, of whole: Int) -> String {
        let p = Double(part) / Double(whole) * 100
        return "\((p * 10).rounded() / 10)%"
    }
}

/// Latency statistics over a set of samples.
package struct Timing: CustomStringConvertible {
    package var sorted: [Duration]

    package init(_ samples: [Duration]) { sorted = samples.sorted() }

    package func percentile(_ p: Double) -> Duration {
        guard !sorted.isEmpty else { return .zero }
        let index = min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)
        return sorted[max(0, index)]
    }

    package var mean: Duration {
        guard !sorted.isEmpty else { return .zero }
        return sorted.reduce(.zero, +) / sorted.count
    }

    package static func format(_ d: Duration) -> String {
        let micros = Double(d.components.seconds) * 1e6 + Double(d.components.attoseconds) / 1e12
        if micros >= 1000 { return "\((micros / 10).rounded() / 100) ms" }
        return "\((micros * 10).rounded() / 10) µs"
    }

    package var description: String {
        "min \(Self.format(sorted.first ?? .zero))  p50 \(Self.format(percentile(0.5)))  mean \(Self.format(mean))  p99 \(Self.format(percentile(0.99)))  max \(Self.format(sorted.last ?? .zero))"
    }
}

/// Seeding time and per-endpoint latency of the sandbox with a large workspace, without HTTP in the way.
struct SandboxBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sandbox",
        abstract: "Time seeding and each endpoint of the sandbox (use `wrk` against `sandbox serve` for HTTP throughput)."
    )

    @Option(help: "Leads to seed.")
    var leads = 100_000

    @Option(help: "Requests to time per endpoint.")
    var iterations = 300

    func validate() throws {
        guard leads >= 1, iterations >= 1 else { throw ValidationError("--leads and --iterations must be at least 1") }
    }

    func run() async throws {
        let clock = ContinuousClock()
        let start = clock.now
        let server = try SandboxServer.prepare(SandboxConfiguration(leadCount: leads, rateLimitScale: 1_000_000))
        print("seed \(leads) leads (in memory): \(Timing.format(clock.now - start))")
        let key = server.keys.first { $0.role == "full" }!.key
        let api = server.api
        func request(_ target: String) -> SandboxAPI.Incoming {
            let parts = target.split(separator: "?", maxSplits: 1)
            return .init(method: "GET", path: String(parts[0]), query: parts.count > 1 ? String(parts[1]) : "", authorization: "Bearer \(key)")
        }
        let first = await api.respond(to: request("/api/v2/agent/leads?limit=50"))
        let cursor = (try? JSONValue(parsing: first.body))?["pagination"]?["nextCursor"]?.stringValue ?? ""
        let targets = [
            "/api/v2/agent/leads?limit=50",
            "/api/v2/agent/leads?limit=50&status=new&sortBy=updatedAt&sortOrder=desc",
            "/api/v2/agent/leads?limit=50&adPlatform=meta&priority=high&sortOrder=asc",
            "/api/v2/agent/leads?limit=50&cursor=\(cursor)",
            "/api/v2/agent/leads?limit=50&page=100",
            "/api/v2/agent/leads?limit=50&search=santoso",
            "/api/v2/agent/analytics/summary?timeframe=last_30_days",
            "/api/v2/agent/analytics/summary?timeframe=all_time",
            "/api/v2/agent/analytics/funnel?timeframe=current_month",
            "/api/v2/agent/analytics/campaigns?timeframe=last_30_days",
            "/api/v2/agent/conversions/status?timeframe=last_30_days",
            "/api/v2/agent/conversions/pending",
            "/api/v2/agent/workspace",
        ]
        for target in targets {
            var samples: [Duration] = []
            for _ in 0..<iterations {
                let began = clock.now
                let reply = await api.respond(to: request(target))
                samples.append(clock.now - began)
                if reply.status != 200 { throw CommandFailure("\(target) answered \(reply.status): \(reply.body)") }
            }
            let stats = Timing(samples)
            print("\(target)\n    p50 \(Timing.format(stats.percentile(0.5)))  p99 \(Timing.format(stats.percentile(0.99)))  max \(Timing.format(stats.sorted.last ?? .zero))")
        }
        print("query plans:")
        for (name, plan) in try server.queryPlans() {
            print("  \(name): \(plan.joined(separator: " | "))")
        }
    }
}

/// Policy evaluation plus argument validation per call: the gate every planned call passes.
struct PolicyBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "policy", abstract: "Time the policy decision and argument validation of one call.")

    @Option(help: "Calls to time per case.")
    var iterations = 20_000

    func run() async throws {
        let catalog = SkillParser.parse(BundledSkill.markdown).catalog
        let library = PolicyLoading.library(catalog: catalog)
        let cases: [(String, ToolCall)] = [
            ("default", ToolCall(id: "1", name: "listLeads", arguments: ["status": "new", "limit": "50", "sortBy": "updatedAt", "createdFrom": "2026-11-01"])),
            ("analyst", ToolCall(id: "2", name: "getAnalyticsSummary", arguments: ["timeframe": "current_week"])),
            ("supervised", ToolCall(id: "3", name: "updateLead", arguments: ["id": "lead_abc123", "status": "qualified", "notes": "Called via WhatsApp"])),
            ("supervised", ToolCall(id: "4", name: "updateLead", arguments: ["id": "lead_abc123", "status": "won", "actualValue": 5_000_000])),
            ("analyst", ToolCall(id: "5", name: "createLead", arguments: ["firstName": "Andi"])),
        ]
        let clock = ContinuousClock()
        for (name, call) in cases {
            let gate = CallGate(catalog: catalog, policy: try library.resolve(name))
            var samples: [Duration] = []
            samples.reserveCapacity(iterations)
            var verdict = ""
            for _ in 0..<iterations {
                let start = clock.now
                let outcome = gate.check(call)
                samples.append(clock.now - start)
                verdict = outcome.decision.verdict.rawValue
            }
            let stats = Timing(samples)
            print("\(name) \(call.name) → \(verdict): \(stats)")
        }
    }
}

/// Append rate (fsync per record and batched) and verify rate of the audit log.
struct AuditBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Time audit-log appends (fsync per record, batched) and verification.",
        discussion: "With --append N --log DIR it only appends N records to DIR, one fsync each: run two at once to exercise concurrent appenders."
    )

    @Option(help: "Records appended one by one, each fsynced.") var single = 2000
    @Option(help: "Records appended in batches of 100, one fsync per batch.") var batched = 100_000
    @Option(name: .customLong("verify-records"), help: "Records in the log that is verified.") var verifyRecords = 1_000_000
    @Option(help: "Only append this many records to --log, then stop.") var append: Int?
    @Option(help: ArgumentHelp("The log folder for --append.", valueName: "dir")) var log: String?

    static func event(_ n: Int, session: String) -> AuditEvent {
        AuditEvent(kind: "http-response", session: session, data: [
            "tool": "listLeads", "status": 200, "requestId": .string("3f2b8c1e-9d4a-4e6b-8a7c-\(String(100_000_000_000 + n))"),
            "durationMs": 12, "rateLimitRemaining": .int(199 - n % 200),
        ])
    }

    func run() async throws {
        let clock = ContinuousClock()
        if let append {
            guard let log else { throw CommandFailure("--append needs --log DIR") }
            let directory = URL(fileURLWithPath: log)
            let keys = try AuditKeys.loadOrCreate(in: directory.appendingPathComponent(".keys"))
            let audit = try AuditLog(configuration: .init(directory: directory), keys: keys)
            let session = UUID().uuidString.lowercased()
            let start = clock.now
            for n in 0..<append { try audit.append(Self.event(n, session: session)) }
            try audit.checkpoint(session: session)
            let elapsed = clock.now - start
            print("appended \(append) records in \(Timing.format(elapsed))")
            return
        }
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("konektor-audit-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let keys = try AuditKeys.loadOrCreate(in: root.appendingPathComponent("keys"))
        let session = "bench"

        let single = try AuditLog(configuration: .init(directory: root.appendingPathComponent("single")), keys: keys)
        var start = clock.now
        for n in 0..<self.single { try single.append(Self.event(n, session: session)) }
        report("append, fsync per record", count: self.single, elapsed: clock.now - start)

        let batchedLog = try AuditLog(configuration: .init(directory: root.appendingPathComponent("batched")), keys: keys)
        start = clock.now
        var n = 0
        while n < batched {
            try batchedLog.append((n..<min(n + 100, batched)).map { Self.event($0, session: session) })
            n += 100
        }
        report("append, batches of 100, fsync per batch", count: batched, elapsed: clock.now - start)

        let big = root.appendingPathComponent("big")
        let bigLog = try AuditLog(configuration: .init(directory: big, maxFileBytes: 64 << 20, fsync: false), keys: keys)
        start = clock.now
        n = 0
        while n < verifyRecords {
            try bigLog.append((n..<min(n + 1000, verifyRecords)).map { Self.event($0, session: session) })
            n += 1000
        }
        try bigLog.checkpoint(session: session)
        report("write \(verifyRecords) records (no fsync, batches of 1000)", count: verifyRecords, elapsed: clock.now - start)
        start = clock.now
        let verified = try AuditVerifier.verify(directory: big, trustedKey: keys.publicKey)
        let elapsed = clock.now - start
        guard verified.intact else { throw CommandFailure("the benchmark log did not verify: \(verified.problem!)") }
        report("verify (\(verified.files) files, \(verified.checkpoints) checkpoints)", count: verified.records, elapsed: elapsed)
    }

    func report(_ what: String, count: Int, elapsed: Duration) {
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print("\(what): \(count) records in \(Timing.format(elapsed)) = \(Int(Double(count) / seconds)) records/s")
    }
}
