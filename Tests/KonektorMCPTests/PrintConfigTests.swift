import Foundation
import Testing
import TestSupport

/// `konektor mcp --print-config claude|cursor|codex`: the snippets that register konektor with a client (golden files).
@Suite struct PrintConfigTests {
    @Test(arguments: ["claude", "cursor", "codex"])
    func snippetMatchesItsGoldenFile(client: String) async throws {
        let result = try await CommandLineRunner.run(["mcp", "--print-config", client, "--policy", "analyst"])
        #expect(result.status == 0, "\(result.stderr)")
        let golden = Golden.check(result.stdout, named: "mcp-config-\(client).txt")
        #expect(golden.matches, "\(result.stdout)")
    }

    @Test func snippetNeverHoldsTheKey() async throws {
        let result = try await CommandLineRunner.run(["mcp", "--print-config", "claude"], environment: ["KONEKTOR_API_KEY": "knk_live_secret_0123456789"])
        #expect(result.status == 0)
        #expect(!(result.stdout + result.stderr).contains("knk_live_secret_0123456789"))
        #expect(result.stdout.contains("${KONEKTOR_API_KEY}"))
    }

    @Test func anUnknownClientIsAUsageError() async throws {
        let result = try await CommandLineRunner.run(["mcp", "--print-config", "vim"])
        #expect(result.status == 2)
    }
}

/// `konektor bench mcp` runs and reports the MCP layer's cost beside the direct call (a smoke test; the figures are for people).
@Suite struct McpBenchSmokeTests {
    @Test func benchReportsTheOverheadOfTheMCPLayer() async throws {
        let result = try await CommandLineRunner.run(["bench", "mcp", "--calls", "5"], timeout: 120)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("direct Session.perform") && result.stdout.contains("MCP layer overhead"), "\(result.stdout)")
    }
}
