import AgentCore
@testable import KonektorCLI
import LineEditor
import Synchronization
import Testing

@Suite struct TerminalConfirmerTests {
    let preview = WritePreview(tool: "updateLead", method: "PATCH", path: "/api/v2/agent/leads/lead_1", body: ["status": "qualified"],
                               current: ["status": "contacted"], reason: "writes need a confirmation under the default policy")

    final class Prompts: Sendable { let seen = Mutex<[String]>([]) }

    func confirmer(_ inputs: [LineEditor.Input]) -> (TerminalConfirmer, Prompts) {
        let queue = Mutex(inputs)
        let prompts = Prompts()
        let confirmer = TerminalConfirmer(read: { prompt in
            prompts.seen.withLock { $0.append(prompt) }
            return queue.withLock { $0.isEmpty ? .endOfInput : $0.removeFirst() }
        }, style: TerminalStyle(enabled: false))
        return (confirmer, prompts)
    }

    @Test func answersInBothLanguages() async {
        for (typed, answer) in [("y", ConfirmationAnswer.yes), ("ya", .yes), ("always", .always), ("selalu", .always), ("n", .no), ("", .no), ("tidak", .no)] {
            #expect(await confirmer([.line(typed)]).0.confirm(preview) == answer, "\(typed)")
        }
        #expect(await confirmer([]).0.confirm(preview) == .no, "end of input declines")
    }

    @Test func detailsShowTheRequestThenAskAgain() async {
        let (c, prompts) = confirmer([.line("d"), .line("y")])
        #expect(await c.confirm(preview) == .yes)
        #expect(prompts.seen.withLock { $0.count } == 2)
        #expect(TerminalConfirmer.summary(preview, style: TerminalStyle(enabled: false)).contains("  status: contacted → qualified\n"))
        #expect(TerminalConfirmer.details(preview).contains(#""currentValues": {"#))
    }

    @Test func ctrlCDeclinesAndCancelsTheTurn() async {
        let (c, _) = confirmer([.interrupted])
        let task = Task { (await c.confirm(preview), Task.isCancelled) }
        let (answer, cancelled) = await task.value
        #expect(answer == .no && cancelled)
    }
}
