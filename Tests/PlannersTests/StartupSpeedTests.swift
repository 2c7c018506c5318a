import AgentCore
import Foundation
@testable import Planners
import Testing

/// The planner's start-up shortcuts give what the general code gives.
@Suite struct StartupSpeedTests {
    /// Words of ASCII text read by bytes are the words `Character`'s properties give.
    @Test func asciiWordsAreTheWordsTheUnicodeSplitGives() {
        var random = SeededGenerator(seed: 7)
        let alphabet = Array("abcXYZ019 -#_.,?!'\t\n/:@")
        for _ in 0..<500 {
            let text = String((0..<Int.random(in: 0...40, using: &random)).map { _ in alphabet.randomElement(using: &random)! })
            for lowercased in [true, false] {
                let general = (lowercased ? text.lowercased() : text).split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "-" || $0 == "#" || $0 == "§") }).map(String.init)
                #expect(Vocabulary.asciiWords(text, lowercased: lowercased) == general, "\(text.debugDescription)")
            }
        }
    }

    @Test func textBeyondASCIIIsLeftToTheUnicodeSplit() {
        #expect(Vocabulary.asciiWords("berapa lead § 3", lowercased: true) == nil)
        #expect(Vocabulary.words("Kafé §2 naïve") == ["kafé", "§2", "naïve"])
    }

    @Test(arguments: [(2026, 12, 2), (999, 1, 31), (12345, 10, 9), (0, 0, 0)])
    func paddedDaysAreWhatStringFormatWrites(_ day: (Int, Int, Int)) {
        #expect(Padded.day(day.0, day.1, day.2) == String(format: "%04d-%02d-%02d", day.0, day.1, day.2))
    }

    @Test(arguments: [0, 7, 42, 2026, -5])
    func paddedNumbersAreWhatStringFormatWrites(_ n: Int) {
        #expect(Padded.number(n, width: 2) == String(format: "%02d", n))
        #expect(Padded.number(n, width: 4) == String(format: "%04d", n))
    }

    /// The misspelling index is built at the first misspelling, and corrects as before.
    @Test func aMisspellingIsCorrectedByTheLazilyBuiltIndex() {
        let vocabulary = BuiltinPlanner.markerVocabulary
        #expect(vocabulary.correct("laeds") == "leads")
    }
}
