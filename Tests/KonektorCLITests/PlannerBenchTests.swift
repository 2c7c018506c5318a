import Foundation
import Testing
import TestSupport

/// `konektor bench planner` through the binary, on a two-case corpus: the report's sections, and a wrong call counted as one.
@Suite struct PlannerBenchTests {
    @Test func theReportHasAccuracyByIntentAndLanguageWrongCallsConfusionsAndTiming() async throws {
        let temp = try TemporaryDirectory("konektor-bench-planner")
        defer { temp.remove() }
        let corpus = temp.appending("corpus.jsonl")
        let lines = [
            #"{"id":"t-1","lang":"en","intent":"funnel","tags":[],"turns":[{"text":"show the funnel this month","expect":{"outcome":"answered","calls":[{"tool":"getAnalyticsFunnel","args":{"timeframe":"current_month"}}],"figures":[]}}]}"#,
            #"{"id":"t-2","lang":"id","intent":"workspace","tags":[],"turns":[{"text":"kita pakai paket apa?","expect":{"outcome":"answered","calls":[{"tool":"getAnalyticsFunnel","args":{}}],"figures":[]}}]}"#,
        ]
        try (lines.joined(separator: "\n") + "\n").write(to: corpus, atomically: true, encoding: .utf8)
        let result = try await CommandLineRunner.run(["bench", "planner", "--corpus", corpus.path])
        #expect(result.status == 0, "\(result.stderr)")
        let out = result.stdout
        #expect(out.contains("turns correct      1/2 (50.0%)"), "\(out)")
        #expect(out.contains("wrong-call answers 1"), "the second case expects another tool: \(out)")
        #expect(out.contains("by intent:"))
        #expect(out.contains("by language:"))
        #expect(out.contains("planning time per step"))
        #expect(out.contains("[t-2] kita pakai paket apa?"), "the confusion is listed")
    }

    @Test func aBrokenCorpusLineIsNamedByFileAndLine() async throws {
        let temp = try TemporaryDirectory("konektor-bench-planner-bad")
        defer { temp.remove() }
        let corpus = temp.appending("bad.jsonl")
        try "{\"id\":\"a\",\"turns\":[]}\n{not json\n".write(to: corpus, atomically: true, encoding: .utf8)
        let result = try await CommandLineRunner.run(["bench", "planner", "--corpus", corpus.path])
        #expect(result.status != 0)
        #expect(result.stderr.contains("bad.jsonl:2:"), "\(result.stderr)")
    }
}
