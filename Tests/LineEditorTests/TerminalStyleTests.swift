import Foundation
import LineEditor
import Testing

@Suite struct TerminalStyleTests {
    @Test func colourOnlyOnATerminalAndNeverWithNoColor() throws {
        #expect(TerminalStyle.wantsColour(isTerminal: true, environment: ["TERM": "xterm-256color"]))
        #expect(!TerminalStyle.wantsColour(isTerminal: false, environment: [:]), "a pipe or a file gets plain text")
        #expect(!TerminalStyle.wantsColour(isTerminal: true, environment: ["NO_COLOR": "1"]))
        #expect(TerminalStyle.wantsColour(isTerminal: true, environment: ["NO_COLOR": ""]), "an empty NO_COLOR does not count (no-color.org)")
        #expect(!TerminalStyle.wantsColour(isTerminal: true, environment: ["TERM": "dumb"]))
        let pipe = Pipe()
        #expect(!TerminalStyle.forDescriptor(pipe.fileHandleForWriting.fileDescriptor, environment: [:]).enabled)
        let on = TerminalStyle(enabled: true)
        #expect(on.bold("x") == "\u{1B}[1mx\u{1B}[0m" && on.red("") == "")
        #expect(TerminalStyle(enabled: false).red("error") == "error")
    }
}
