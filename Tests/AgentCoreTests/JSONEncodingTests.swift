import AgentCore
import Foundation
import Testing

/// JSON string literals as the audit log and every rendering write them.
@Suite struct JSONEncodingTests {
    static let samples = [
        "", "plain", "quote \" inside", "back\\slash", "line\nbreak", "cr\r", "tab\t", "bell\u{07}", "nul\u{00}end", "\u{1F}",
        "separator \u{2028} and \u{2029}", "emoji 🧾 and é", "Rp 33.000.000", "\"\\\n", "ends with quote\"", "\u{2028}",
    ]

    @Test(arguments: samples)
    func aStringSurvivesARoundTripThroughFoundation(_ text: String) throws {
        let encoded = JSONValue.string(text).jsonString()
        let decoded = try JSONSerialization.jsonObject(with: Data(encoded.utf8), options: [.fragmentsAllowed]) as? String
        #expect(decoded == text)
    }

    @Test(arguments: samples)
    func aStringSurvivesARoundTripThroughTheOwnParser(_ text: String) throws {
        #expect(try JSONValue(parsing: JSONValue.string(text).jsonString()) == .string(text))
    }

    @Test func controlCharactersAreEscapedNeverRaw() {
        let encoded = JSONValue.string("a\u{01}b\u{1F}c").jsonString()
        #expect(encoded == "\"a\\u0001b\\u001fc\"")
    }

    @Test func lineSeparatorsAreEscapedForJavaScript() {
        #expect(JSONValue.string("x\u{2028}y\u{2029}").jsonString() == "\"x\\u2028y\\u2029\"")
    }

    @Test func unescapedTextIsCopiedAsIs() {
        #expect(JSONValue.string("Budi Santoso — 🧾").jsonString() == "\"Budi Santoso — 🧾\"")
    }
}
