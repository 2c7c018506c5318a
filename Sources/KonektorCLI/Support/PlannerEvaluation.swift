import AgentCore
import AgentPolicy
import AgentRuntime
import Foundation
import KonektorClient
import Planners
import Sandbox
import SkillCatalog
import Synchronization

/// The planner evaluation corpus (`Evaluation/corpus-*.jsonl`): dialogues with the calls and figures each turn expects.
struct PlannerCorpus: Sendable {
    struct Case: Sendable {
        var id: String
        var lang: String
        var intent: String
        var turns: [Turn]
    }

    struct Turn: Sendable {
        var text: String
        var outcome: String
        /// Each an acceptable call set.
        var alternatives: [[(tool: String, args: JSONObject)]]
        var figures: [String]
    }

    var cases: [Case]

    /// A corpus problem names its file and line.
    struct Problem: Error, CustomStringConvertible {
        var file: String
        var line: Int
        var reason: String
        var description: String { "\(file):\(line): \(reason)" }
    }

    init(text: String, file: String) throws {
        var cases: [Case] = []
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            let value: JSONValue
            do { value = try JSONValue(parsing: String(line)) } catch { throw Problem(file: file, line: number + 1, reason: "\(error)") }
            guard let id = value["id"]?.stringValue, let turns = value["turns"]?.arrayValue else {
                throw Problem(file: file, line: number + 1, reason: "a case needs \"id\" and \"turns\"")
            }
            var parsed: [Turn] = []
            for turn in turns {
                let expect = turn["expect"] ?? .null
                func set(_ v: JSONValue) -> [(tool: String, args: JSONObject)] {
                    (v.arrayValue ?? []).map { ($0["tool"]?.stringValue ?? "", $0["args"]?.objectValue ?? [:]) }
                }
                var alternatives = (expect["alternatives"]?.arrayValue ?? []).map(set)
                if let calls = expect["calls"] { alternatives.insert(set(calls), at: 0) }
                parsed.append(Turn(text: turn["text"]?.stringValue ?? "", outcome: expect["outcome"]?.stringValue ?? "answered", alternatives: alternatives,
                                   figures: (expect["figures"]?.arrayValue ?? []).compactMap(\.stringValue)))
            }
            cases.append(Case(id: id, lang: value["lang"]?.stringValue ?? "?", intent: value["intent"]?.stringValue ?? "?", turns: parsed))
        }
        self.cases = cases
    }
}

/// A planner in the loop that records every step it plans and how long planning took.
final class RecordingPlanner: Planner, Sendable {
    let inner: BuiltinPlanner
    let steps = Mutex<[PlannerStep]>([])
    let timings = Mutex<[Duration]>([])
    var name: String { inner.name }

    init(_ inner: BuiltinPlanner) { self.inner = inner }

    func next(_ context: PlanningContext) async throws -> PlannerStep {
        let clock = ContinuousClock()
        let start = clock.now
        let step = inner.step(context)
        let elapsed = clock.now - start
        timings.withLock { $0.append(elapsed) }
        steps.withLock { $0.append(step) }
        return step
    }

    /// The calls planned since the last reset, in order.
    func takeCalls() -> [ToolCall] {
        steps.withLock { steps in
            defer { steps.removeAll() }
            return steps.flatMap { step -> [ToolCall] in if case .calls(let c) = step { c } else { [] } }
        }
    }
}

/// Runs the corpus through sessions against a pinned in-process sandbox and scores each turn by the corpus's comparison rules.
struct PlannerEvaluation {
    /// Tuesday 24 Nov 2026, 10:00 in Jakarta: the corpus's pinned "now".
    static let now = Date(timeIntervalSince1970: 1_795_489_200)

    /// The pinned sandbox's workspace as the planner sees it.
    static let workspace = WorkspaceFacts(name: "Toko Budi Online", timezone: "Asia/Jakarta", currency: "IDR", language: "id", dateFormat: "DD/MM/YYYY",
                                          now: "2026-11-24T03:00:00.000Z")

    struct TurnScore: Sendable {
        var caseId: String
        var intent: String
        var lang: String
        var text: String
        var expected: String
        var got: String
        var outcome: String
        var correct: Bool
        /// Answered with calls that match no expected set: a different question answered.
        var wrongCall: Bool
        var callsMatch: Bool
        var figuresMissing: [String]
        var answer: String
    }

    struct Report: Sendable {
        var turns: [TurnScore]
        var dialogues: Int
        var dialoguesCorrect: Int
        var planning: [Duration]
        var correct: Int { turns.filter(\.correct).count }
        var wrongCalls: Int { turns.filter(\.wrongCall).count }
        var accuracy: Double { turns.isEmpty ? 0 : Double(correct) / Double(turns.count) }
    }

    static func run(_ corpus: PlannerCorpus) async throws -> Report {
        let sandbox = try await SandboxServer.start(SandboxConfiguration(port: 0, seed: 42, leadCount: 2000, clock: .manual(now), rateLimitScale: 1000))
        do {
            let report = try await run(corpus, sandbox: sandbox)
            await sandbox.shutdown()
            return report
        } catch {
            await sandbox.shutdown()
            throw error
        }
    }

    static func run(_ corpus: PlannerCorpus, sandbox: RunningSandbox) async throws -> Report {
        let catalog = SkillParser.parse(BundledSkill.markdown).catalog
        let client = try KonektorClient(configuration: ClientConfiguration(baseURL: sandbox.baseURL, apiKey: APIKey(sandbox.key("full"))), catalog: catalog, now: { now })
        let policy = try PolicyLibrary(catalog: catalog).resolve("default")
        let planner = RecordingPlanner(BuiltinPlanner(catalog: catalog))
        var scores: [TurnScore] = []
        var dialoguesCorrect = 0
        for c in corpus.cases {
            // Writes are planned and confirmed but never sent, so every figure is read from the fresh sandbox.
            let session = Session(id: "eval-\(c.id)", catalog: catalog, policy: policy, planner: planner, client: client, audit: nil, confirmer: nil,
                                  workspace: workspace, configuration: .init(dryRun: true, assumeYes: true))
            var all = true
            for turn in c.turns {
                _ = planner.takeCalls()
                let result = try await session.turn(turn.text)
                let calls = planner.takeCalls()
                let score = Self.score(turn, calls: calls, outcome: result.outcome.rawValue, answer: result.answer, catalog: catalog, c: c)
                all = all && score.correct
                scores.append(score)
            }
            if all { dialoguesCorrect += 1 }
        }
        await client.shutdown()
        return Report(turns: scores, dialogues: corpus.cases.count, dialoguesCorrect: dialoguesCorrect, planning: planner.timings.withLock { $0 })
    }

    static func score(_ turn: PlannerCorpus.Turn, calls: [ToolCall], outcome: String, answer: String, catalog: Catalog, c: PlannerCorpus.Case) -> TurnScore {
        let got = calls.map { "\($0.name)\(JSONValue.object($0.arguments).jsonString())" }.joined(separator: " ")
        let expected = turn.outcome == "answered"
            ? turn.alternatives.map { $0.map { "\($0.tool)\(JSONValue.object($0.args).jsonString())" }.joined(separator: " ") }.joined(separator: "  |  ")
            : turn.outcome
        var s = TurnScore(caseId: c.id, intent: c.intent, lang: c.lang, text: turn.text, expected: expected, got: outcome == "answered" ? got : "\(outcome)\(calls.isEmpty ? "" : " after " + got)",
                          outcome: outcome, correct: false, wrongCall: false, callsMatch: false, figuresMissing: [], answer: answer)
        if turn.outcome == "answered" {
            s.callsMatch = turn.alternatives.contains { matches(calls, $0, catalog: catalog) }
            s.figuresMissing = turn.figures.filter { !contains(answer, figure: $0) }
            s.correct = outcome == "answered" && s.callsMatch && s.figuresMissing.isEmpty
            s.wrongCall = outcome == "answered" && !s.callsMatch
        } else {
            s.callsMatch = calls.isEmpty
            s.correct = calls.isEmpty && outcome == turn.outcome
            s.wrongCall = outcome == "answered"
        }
        return s
    }

    static func matches(_ calls: [ToolCall], _ expected: [(tool: String, args: JSONObject)], catalog: Catalog) -> Bool {
        guard calls.count == expected.count else { return false }
        for (call, want) in zip(calls, expected) {
            guard call.name == want.tool else { return false }
            for (key, value) in want.args {
                guard let actual = call.arguments[key], equal(actual, value) else { return false }
            }
            let hasPeriod = want.args.contains { ["timeframe", "from", "to", "createdFrom", "createdTo"].contains($0.key) }
            for (key, value) in call.arguments where want.args[key] == nil {
                guard let parameter = catalog.tool(named: call.name)?.parameter(named: key), parameter.location == .query else { return false }
                let atDefault: Bool = switch key {
                case "page": value.intValue == 1
                case "limit": value.intValue == 50
                case "sortBy": value.stringValue == "createdAt"
                case "sortOrder": value.stringValue == "desc"
                case "timeframe": value.stringValue == "last_30_days" && !hasPeriod
                default: false
                }
                if !atDefault { return false }
            }
        }
        return true
    }

    static func equal(_ actual: JSONValue, _ expected: JSONValue) -> Bool {
        if let e = expected.stringValue {
            if e == "*" { return !(actual.stringValue ?? actual.jsonString()).isEmpty }
            let a = actual.stringValue ?? actual.jsonString()
            if a.lowercased() == e.lowercased() { return true }
            if e.count == 10, isDay(e), let day = jakartaDay(a) { return day == e }
            // Phone numbers: the digits typed or the +62 form.
            let ed = e.filter(\.isNumber), ad = a.filter(\.isNumber)
            if ed.count >= 9, ad.count >= 9 { return normalisedPhone(ed) == normalisedPhone(ad) }
            return false
        }
        if let e = expected.doubleValue, let a = actual.doubleValue ?? actual.stringValue.flatMap(Double.init) { return abs(e - a) < 0.0001 }
        return actual == expected
    }

    static func normalisedPhone(_ digits: String) -> String {
        if digits.hasPrefix("62") { return String(digits.dropFirst(2)) }
        if digits.hasPrefix("0") { return String(digits.dropFirst()) }
        return digits
    }

    static func isDay(_ text: String) -> Bool { text.range(of: #"^\d{4}-\d{2}-\d{2}$"#, options: .regularExpression) != nil }

    /// The Jakarta calendar day of a date or an instant.
    static func jakartaDay(_ text: String) -> String? {
        if isDay(text) { return text }
        guard let date = WorkspaceFacts.instant(text) else { return nil }
        let shifted = date.addingTimeInterval(7 * 3600)
        let c = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: shifted)
        return String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
    }

    /// Whether the answer shows the figure: integers with or without thousands separators (`.`, `,`, space) and `Rp`.
    static func contains(_ answer: String, figure: String) -> Bool {
        // A number is matched whole: "231" does not show the figure 23.
        guard figure.allSatisfy(\.isNumber) else { return answer.localizedCaseInsensitiveContains(figure) }
        var digitsRun = ""
        var runs: [String] = []
        let chars = Array(answer)
        for (i, ch) in chars.enumerated() {
            if ch.isNumber { digitsRun.append(ch); continue }
            // A thousands separator: one of . , space between digits, followed by exactly three digits.
            let group = i + 3 < chars.count && chars[(i + 1)...(i + 3)].allSatisfy(\.isNumber) && (i + 4 == chars.count || !chars[i + 4].isNumber)
            if (ch == "." || ch == "," || ch == " "), !digitsRun.isEmpty, group { continue }
            if !digitsRun.isEmpty { runs.append(digitsRun); digitsRun = "" }
        }
        if !digitsRun.isEmpty { runs.append(digitsRun) }
        return runs.contains(figure)
    }
}
