import AgentCore
import Foundation
import Testing

/// Every form a secret takes in text is scrubbed; ordinary text is left alone.
@Suite struct SecretScrubberTests {
    static let key = "knk_live_7Qm2xR9pL4vT8wZ1sB6n"
    let scrubber = SecretScrubber([.init(name: "KONEKTOR_API_KEY", value: Self.key, replacement: "[key]")])

    static func forms(_ key: String) -> [String: String] {
        let crKey = key + "\r"
        return [
            "raw": "token \(key) here",
            "bearer": "Authorization: Bearer \(key)",
            "escaped CR as Swift prints it": #"invalid header value "Bearer \#(key)\r""#,
            "JSON-escaped": JSONValue.object(["auth": .string("Bearer " + crKey)]).jsonString(),
            "unicode-escaped CR": "Bearer \(key)\\u000d",
            "doubly escaped": JSONValue.string(JSONValue.string("Bearer " + crKey).jsonString()).jsonString(),
            "percent-encoded": "https://x.test/?k=" + (("Bearer " + key).addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""),
            "base64 of the key": "header: " + Data(key.utf8).base64EncodedString(),
            "base64 of Bearer": "echo " + Data("Bearer \(key)".utf8).base64EncodedString(),
            "base64 of basic auth": "Basic " + Data("user:\(key)".utf8).base64EncodedString(),
            "hex": "dump " + Data(key.utf8).map { String(format: "%02x", $0) }.joined(),
        ]
    }

    /// The scrub works on UTF-8 bytes: every occurrence goes, and the text around it is kept exactly, letters beyond ASCII too.
    @Test func everyOccurrenceGoesAndTheTextAroundItStays() {
        let text = "é \(Self.key)\(Self.key) 🚀 \(Self.key)"
        #expect(scrubber.scrub(text) == "é [key][key] 🚀 [key]")
    }

    /// A form-encoded key has its spaces as `+` (the forms are computed without Foundation's string search).
    @Test func aFormEncodedValueWithSpacesIsScrubbed() {
        let spaced = SecretScrubber([.init(name: "K", value: "pass word 12345", replacement: "[k]")])
        #expect(spaced.scrub("password=pass+word+12345&x=1") == "password=[k]&x=1")
    }

    @Test(arguments: Array(Self.forms(Self.key)))
    func scrubsEveryForm(_ form: (key: String, value: String)) {
        let scrubbed = scrubber.scrub(form.value)
        #expect(!scrubber.leaks(in: scrubbed), "\(form.key): \(scrubbed)")
        #expect(!scrubbed.contains(String(Self.key.dropFirst(4).prefix(12))), "\(form.key): a long piece of the key survives in \(scrubbed)")
    }

    @Test func aJSONValueIsScrubbedAtEveryDepth() {
        let value: JSONValue = ["error": ["details": ["header": .string("Bearer \(Self.key)")], "message": .array([.string(Self.key)])]]
        #expect(!scrubber.scrub(value).jsonString().contains(Self.key))
    }

    @Test func ordinaryTextIsUntouched() {
        let text = "Leads from referral, 1–24 Nov: 21. Rp 33.000.000 on 24/11/2026, request 5a00adef-1c61-4e2a-9f11-6ee4a4c3e995."
        #expect(scrubber.scrub(text) == text)
    }

    @Test func shortValuesAreNeverScrubbed() {
        let short = SecretScrubber([.init(name: "X", value: "abc")])
        #expect(short.isEmpty)
    }

    @Test func theReplacementNamesTheSecretNotItsValue() {
        #expect(scrubber.scrub("k=\(Self.key)") == "k=[key]")
    }
}
