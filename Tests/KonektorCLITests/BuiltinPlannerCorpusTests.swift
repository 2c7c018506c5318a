import Foundation
@testable import KonektorCLI
import Testing

/// The built-in planner scored on the evaluation corpus against the pinned sandbox (seed 42, 2000 leads, Tue 24 Nov 2026 10:00 Jakarta).
@Suite struct BuiltinPlannerCorpusTests {
    static func corpus(_ name: String) throws -> PlannerCorpus {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        let path = url.appendingPathComponent("Evaluation/\(name)").path
        return try PlannerCorpus(text: String(contentsOfFile: path, encoding: .utf8), file: path)
    }

    @Test func theDevelopmentCorpusIsAtLeastNinetyFivePercentRightWithNoWrongCall() async throws {
        let corpus = try Self.corpus("corpus-dev.jsonl")
        #expect(corpus.cases.count >= 400)
        let report = try await PlannerEvaluation.run(corpus)
        let wrong = report.turns.filter { !$0.correct }.map { "[\($0.caseId)] \($0.text) → \($0.got)" }.joined(separator: "\n")
        #expect(report.accuracy >= 0.95, "\(report.correct)/\(report.turns.count)\n\(wrong)")
        #expect(report.wrongCalls == 0, "\(wrong)")
    }

    @Test func theComparisonRulesAreTheCorpusREADMEs() {
        #expect(PlannerEvaluation.equal("2026-11-01T00:00:00+07:00", "2026-11-01"), "dates as dates, in Jakarta")
        #expect(!PlannerEvaluation.equal("2026-10-31", "2026-11-01"))
        #expect(PlannerEvaluation.equal("Siti Harahap", "siti harahap"), "strings case-insensitively")
        #expect(PlannerEvaluation.equal("+6281299887766", "081299887766"), "a phone in either form")
        #expect(PlannerEvaluation.equal("anything", "*"))
        #expect(PlannerEvaluation.contains("Conversion value: Rp 745.150.000", figure: "745150000"))
        #expect(!PlannerEvaluation.contains("Leads: 231", figure: "23"))
    }
}
