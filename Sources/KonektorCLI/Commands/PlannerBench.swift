import AgentCore
import ArgumentParser
import Foundation
import KonektorKit
import Planners
import SkillCatalog

/// `konektor bench planner`: the built-in planner against the evaluation corpus — accuracy, wrong-call answers, confusions, planning time.
struct PlannerBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "planner",
        abstract: "Score the built-in planner on an evaluation corpus against a pinned sandbox, and time its planning."
    )

    @Option(name: .long, help: ArgumentHelp("A corpus file (JSON lines); repeat for several.", valueName: "path"))
    var corpus: [String] = ["Evaluation/corpus-dev.jsonl"]

    @Option(help: "How many confusions to list.")
    var confusions = 40

    @Flag(help: "Print every turn, right or wrong.")
    var verbose = false

    @Option(help: ArgumentHelp("Print the first planned step for one request, offline, and stop.", valueName: "request"))
    var explain: String?

    func run() async throws {
        if let explain {
            let catalog = SkillParser.parse(BundledSkill.markdown).catalog
            let planner = BuiltinPlanner(catalog: catalog)
            var transcript: [TranscriptEntry] = []
            for part in explain.components(separatedBy: " || ") { transcript.append(.user(part)); transcript.append(.answer("")) }
            transcript.removeLast()
            let context = PlanningContext(transcript: transcript, tools: catalog.tools.map(\.toolName), workspace: PlannerEvaluation.workspace)
            print(planner.explain(context))
            return
        }
        for path in corpus {
            let text: String
            do { text = try String(contentsOfFile: path, encoding: .utf8) } catch { throw CommandFailure("cannot read \(path): \(error.localizedDescription)") }
            let parsed = try PlannerCorpus(text: text, file: path)
            let report = try await PlannerEvaluation.run(parsed)
            print(Self.render(report, name: path, confusions: confusions, verbose: verbose))
        }
    }

    static func render(_ r: PlannerEvaluation.Report, name: String, confusions: Int, verbose: Bool) -> String {
        func pct(_ a: Int, _ b: Int) -> String { b == 0 ? "-" : String(format: "%.1f%%", Double(a) / Double(b) * 100) }
        var lines = ["\(name): \(r.dialogues) dialogues, \(r.turns.count) turns"]
        lines.append("  turns correct      \(r.correct)/\(r.turns.count) (\(pct(r.correct, r.turns.count)))")
        lines.append("  dialogues correct  \(r.dialoguesCorrect)/\(r.dialogues) (\(pct(r.dialoguesCorrect, r.dialogues)))")
        lines.append("  wrong-call answers \(r.wrongCalls)")
        let figureMisses = r.turns.filter { $0.callsMatch && !$0.figuresMissing.isEmpty }.count
        lines.append("  right calls, figure missing \(figureMisses)")
        for (title, key) in [("by intent", \PlannerEvaluation.TurnScore.intent), ("by language", \PlannerEvaluation.TurnScore.lang)] {
            lines.append("  \(title):")
            let groups = Dictionary(grouping: r.turns, by: { $0[keyPath: key] })
            for (group, turns) in groups.sorted(by: { $0.key < $1.key }) {
                let ok = turns.filter(\.correct).count
                lines.append("    \(group.padding(toLength: 20, withPad: " ", startingAt: 0)) \(ok)/\(turns.count) (\(pct(ok, turns.count)))  wrong-call \(turns.filter(\.wrongCall).count)")
            }
        }
        let timing = Timing(r.planning)
        lines.append("  planning time per step (\(r.planning.count) steps): \(timing)")
        let wrong = r.turns.filter { !$0.correct }
        lines.append("  confusions (\(wrong.count); wrong-call answers first):")
        for t in (wrong.filter(\.wrongCall) + wrong.filter { !$0.wrongCall }).prefix(verbose ? wrong.count : confusions) {
            lines.append("    [\(t.caseId)] \(t.text.replacingOccurrences(of: "\n", with: " ⏎ "))")
            lines.append("      expected: \(t.expected.prefix(300))")
            lines.append("      got:      \(t.got.prefix(300))\(t.figuresMissing.isEmpty || !t.callsMatch ? "" : "  (figures missing: \(t.figuresMissing.joined(separator: ", ")))")")
            if verbose { lines.append("      answer:   \(t.answer.prefix(200).replacingOccurrences(of: "\n", with: " ⏎ "))") }
        }
        return lines.joined(separator: "\n")
    }
}
