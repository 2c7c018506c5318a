import AgentCore
@testable import KonektorCLI
import LineEditor
import Testing

@Suite struct TerminalConfirmerLanguageTests {
    static func preview(_ request: String) -> WritePreview {
        WritePreview(tool: "updateLead", method: "PATCH", path: "/api/v2/agent/leads/lead_1", body: ["status": "won"], current: ["status": "new"],
                     reason: "writes are confirmed", request: request)
    }

    @Test func anIndonesianRequestIsConfirmedInIndonesian() {
        let preview = Self.preview("ubah status KNK-1932 jadi won")
        #expect(TerminalConfirmer.question(preview, indonesian: true).hasPrefix("Lanjutkan?"))
        #expect(TerminalConfirmer.summary(preview, style: TerminalStyle(enabled: false), indonesian: true).contains("Ini akan mengubah data:"))
    }

    @Test func anEnglishRequestIsConfirmedInEnglish() {
        let preview = Self.preview("mark KNK-1932 as won")
        #expect(TerminalConfirmer.question(preview, indonesian: false).hasPrefix("Proceed?"))
    }
}
