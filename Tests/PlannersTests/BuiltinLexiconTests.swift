import Foundation
@testable import Planners
import Testing

@Suite struct BuiltinLexiconTests {
    static var lexiconFile: URL {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.appendingPathComponent("Sources/Planners/Builtin/Data/lexicon.json")
    }

    @Test func theBundledLexiconIsTheDataFile() throws {
        let file = try String(contentsOf: Self.lexiconFile, encoding: .utf8)
        #expect(file == BundledLexicon.json + "\n", "run scripts/bundle-lexicon")
    }

    @Test func aLexiconWithTheWrongShapeIsAnErrorNamingTheKey() {
        #expect(throws: (any Error).self) { try Lexicon.parse(#"{"informal": {}, "particles": "not a list"}"#) }
        do {
            _ = try Lexicon.parse(#"{"informal": {"yg": 1}}"#)
            Issue.record("a lexicon with a number for an informal form was read")
        } catch {
            #expect("\(error)".contains("informal.yg"))
        }
    }

    @Test func theLexiconDecodes() throws {
        let lexicon = try Lexicon.parse(BundledLexicon.json)
        #expect(lexicon.values["whatsapp"]?.contains("wa") == true)
        #expect(lexicon.informal["yg"] == "yang")
        #expect(lexicon.concepts["time.lastWeek"]?.contains("minggu lalu") == true)
    }

    @Test func aBrokenLexiconIsAnError() {
        #expect(throws: (any Error).self) { try Lexicon.parse(#"{"informal": 3}"#) }
    }
}
