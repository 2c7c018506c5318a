import AgentCore
import Foundation
import Testing
import TestSupport

/// The REPL as a person meets it: a real terminal (tmux), real keys, the real binary, a loopback sandbox.
@Suite(.serialized) struct ReplTerminalTests {
    @Test func aPersonAtTheTerminal() async throws {
        // Every API answer takes 600 ms, so a turn is still in flight when Ctrl-C arrives.
        let h = try await SandboxHarness(leads: 300, latency: .milliseconds(600))
        let temp = try TemporaryDirectory("konektor-repl")
        defer { temp.remove() }
        let environment = [
            "KONEKTOR_API_KEY=\(h.key("full"))", "KONEKTOR_BASE_URL=\(h.baseURL)", "XDG_STATE_HOME=\(temp.appending("state").path)",
            "XDG_CONFIG_HOME=\(temp.appending("config").path)", "HOME=\(temp.url.path)", "TERM=xterm-256color", "LANG=C.UTF-8",
        ]
        let command = "env -i \(environment.joined(separator: " ")) \(CommandLineRunner.executable.path); echo \"EXIT=$?\"; sleep 20"
        let terminal = try await TerminalSession(command: command, directory: temp.url)
        do {
            try await converse(terminal, h: h, temp: temp)
        } catch {
            await terminal.close()
            await h.shutdown()
            throw error
        }
        await terminal.close()
        await h.shutdown()
    }

    func converse(_ terminal: TerminalSession, h: SandboxHarness, temp: TemporaryDirectory) async throws {

        try await terminal.wait(for: "konektor>")
        // A question, and its answer checked against the sandbox's own numbers.
        try await terminal.type("How many new leads this week?")
        try await terminal.send("Enter")
        let summary = try await h.get("/api/v2/agent/analytics/summary?timeframe=current_week").data
        // The answer starts from what was understood (this week, with its days), then the figures.
        let expected = ": \(summary["totalLeads"]!.intValue!); \(summary["newLeads"]!.intValue!) of them still in status new."
        try await terminal.wait(for: expected)
        #expect(try await terminal.screen(escapes: true).contains("\u{1B}[1mLeads created, this week ("), "the answer's sentence is bold on a colour terminal")

        // Up recalls it; Ctrl-U clears the line again.
        try await terminal.send("Up")
        try await terminal.wait(for: "konektor> How many new leads this week?", count: 2)
        try await terminal.send("C-u")

        // Ctrl-C while the turn waits on the network cancels the turn, not the REPL.
        try await terminal.type("Which campaign generated the most leads?")
        try await terminal.send("Enter")
        try await terminal.wait(for: "working…")
        try await terminal.send("C-c")
        try await terminal.wait(for: "(cancelled)\nkonektor>")
        #expect(!(try await terminal.screen()).contains("Campaigns by leads"))

        // A pasted form: one multi-line input, a confirmation showing the exact call, then the lead.
        try await terminal.paste("Create a new lead from this form submission\nName: Sari Lestari\nEmail: sari.lestari@example.com\nNo. HP: 0813-1111-2222\nSource: Instagram\n")
        try await terminal.wait(for: "Proceed? [y]es / [n]o / [a]lways for createLead / [d]etails: ")
        let preview = try await terminal.screen()
        #expect(preview.contains("This will change data: POST /api/v2/agent/leads") && preview.contains("firstName: Sari") && preview.contains("phone: +6281311112222"))
        try await terminal.type("y")
        try await terminal.send("Enter")
        try await terminal.wait(for: "for Sari.")
        let created = try await h.get("/api/v2/agent/leads?search=sari.lestari@example.com").data.arrayValue ?? []
        #expect(created.count == 1 && created.first?["source"] == "social")
        #expect(try await terminal.screen().contains("Created lead \(created.first?["uniqueCode"]?.stringValue ?? "?") for Sari."))

        // Ctrl-D leaves with status 0, and the history holds what was asked.
        try await terminal.send("C-d")
        try await terminal.wait(for: "EXIT=0")
        let history = try String(contentsOf: temp.appending("state/konektor/history"), encoding: .utf8)
        #expect(history.contains("How") && history.contains("campaign"))
        #expect(!history.contains("Sari"), "a pasted form never reaches the history file")
        #expect(!history.contains("0813"))
    }
}
