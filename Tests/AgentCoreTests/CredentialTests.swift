import AgentCore
import Testing

/// Keys are normalised once, where they are read.
@Suite struct CredentialTests {
    @Test(arguments: ["knk_abc12345\r", "knk_abc12345\r\n", "  knk_abc12345\n", "\tknk_abc12345 "])
    func surroundingWhitespaceIsTrimmed(_ raw: String) throws {
        #expect(try Credential.normalise(raw, variable: "KONEKTOR_API_KEY") == "knk_abc12345")
    }

    @Test func blankIsUnset() throws {
        #expect(try Credential.normalise(" \r\n", variable: "KONEKTOR_API_KEY") == nil)
    }

    @Test func aControlCharacterInsideIsRefused() {
        #expect(throws: CredentialError(variable: "KONEKTOR_API_KEY", problem: .controlCharacter)) {
            try Credential.normalise("knk_abc\r12345", variable: "KONEKTOR_API_KEY")
        }
    }

    @Test func whitespaceInsideIsRefused() {
        #expect(throws: CredentialError(variable: "OPENAI_API_KEY", problem: .innerWhitespace)) {
            try Credential.normalise("sk-abc 12345", variable: "OPENAI_API_KEY")
        }
    }

    @Test func theMessageNamesTheVariableAndNotTheKey() {
        let message = CredentialError(variable: "OPENAI_API_KEY", problem: .controlCharacter).description
        #expect(message.contains("OPENAI_API_KEY"))
        #expect(!message.contains("sk-"))
    }
}
