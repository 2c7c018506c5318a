import AgentCore
import ArgumentParser
import SkillCatalog

/// `konektor bench`: measured speed figures, run in a release build.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure konektor's speed on this machine (build with -c release).",
        subcommands: [CatalogBench.self]
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
    }

    func percent(_ part: Int, of whole: Int) -> String {
        let p = Double(part) / Double(whole) * 100
        return "\((p * 10).rounded() / 10)%"
    }
}

/// Latency statistics over a set of samples.
struct Timing: CustomStringConvertible {
    var sorted: [Duration]

    init(_ samples: [Duration]) { sorted = samples.sorted() }

    func percentile(_ p: Double) -> Duration {
        guard !sorted.isEmpty else { return .zero }
        let index = min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)
        return sorted[max(0, index)]
    }

    var mean: Duration {
        guard !sorted.isEmpty else { return .zero }
        return sorted.reduce(.zero, +) / sorted.count
    }

    static func format(_ d: Duration) -> String {
        let micros = Double(d.components.seconds) * 1e6 + Double(d.components.attoseconds) / 1e12
        if micros >= 1000 { return "\((micros / 10).rounded() / 100) ms" }
        return "\((micros * 10).rounded() / 10) µs"
    }

    var description: String {
        "min \(Self.format(sorted.first ?? .zero))  p50 \(Self.format(percentile(0.5)))  mean \(Self.format(mean))  p99 \(Self.format(percentile(0.99)))  max \(Self.format(sorted.last ?? .zero))"
    }
}
