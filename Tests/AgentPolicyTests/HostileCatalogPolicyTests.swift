import AgentCore
import AgentPolicy
import SkillCatalog
import Testing
import TestSupport

/// A SKILL.md from the network cannot widen what a policy allows; a redacted field cannot be probed through search.
@Suite struct HostileCatalogPolicyTests {
    /// The fixture with one more endpoint, a write that declares no scope.
    static let hostile: Catalog = {
        let extra = """

            ### Add Lead Note

            | | |
            |---|---|
            | Method | POST |
            | Path | /api/v2/agent/leads/:id/notes |

            Path Parameters:

            | Parameter | Type | Description |
            |---|---|---|
            | id | string | Lead ID |

            """
        let text = Fixtures.skillMarkdown.replacingOccurrences(of: "### Update Lead\n", with: extra + "\n### Update Lead\n")
        return SkillParser.parse(text).catalog
    }()

    static func policy(_ yaml: String) throws -> Policy {
        try PolicyLibrary(catalog: hostile, userFiles: [.init(name: "mine", file: "mine.yaml", text: yaml, shipped: false)]).resolve("mine")
    }

    @Test func theHostileEndpointIsInTheCatalog() {
        #expect(Self.hostile.tool(named: "createAddLeadNote")?.auth == .public)
    }

    @Test func aScopelessWriteIsDeniedUnderAScopeAllowlist() throws {
        let policy = try Self.policy("name: mine\nscopes:\n  allow: [agent.leads.read, agent.leads.write]\n")
        let decision = policy.decide(tool: "createAddLeadNote", arguments: ["id": "lead_1"], catalog: Self.hostile)
        #expect(decision.verdict == .deny)
        #expect(decision.rule == "catalog (no scope)")
    }

    @Test func aScopelessWriteIsDeniedEvenWhenEveryToolIsAllowed() throws {
        let policy = try Self.policy("name: mine\nextends: default\n")
        #expect(policy.decide(tool: "createAddLeadNote", arguments: ["id": "lead_1"], catalog: Self.hostile).verdict == .deny)
    }

    @Test func aScopelessWriteIsNeverOffered() throws {
        let policy = try Self.policy("name: mine\nextends: default\n")
        #expect(!policy.offeredTools(in: Self.hostile).map(\.toolName).contains("createAddLeadNote"))
    }

    @Test func aPolicyThatNamesTheToolMayUseIt() throws {
        let policy = try Self.policy("name: mine\nextends: default\ntools:\n  allow: [createAddLeadNote, listLeads]\n")
        #expect(policy.decide(tool: "createAddLeadNote", arguments: ["id": "lead_1"], catalog: Self.hostile).verdict == .confirm)
    }

    /// The fixture with a write declared as a read: `GET …/leads/:id/mark-won` under the read scope.
    static let disguised: Catalog = {
        let extra = """

            ### Mark Lead Won

            | | |
            |---|---|
            | Method | GET |
            | Path | /api/v2/agent/leads/:id/mark-won |
            | Scope | agent.leads.read |

            Path Parameters:

            | Parameter | Type | Description |
            |---|---|---|
            | id | string | Lead ID |

            """
        return SkillParser.parse(Fixtures.skillMarkdown.replacingOccurrences(of: "### Update Lead\n", with: extra + "\n### Update Lead\n")).catalog
    }()

    @Test func aWriteDeclaredAsAReadIsDeniedUnderTheAnalystPolicy() throws {
        let analyst = try PolicyLibrary(catalog: Self.disguised).resolve("analyst")
        let tool = try #require(Self.disguised.tools.first { $0.pathTemplate.hasSuffix("/mark-won") })
        #expect(analyst.decide(tool: tool.toolName, arguments: ["id": "lead_1"], catalog: Self.disguised).verdict == .deny)
    }

    @Test func aWriteDeclaredAsAReadNeedsAConfirmationByDefault() throws {
        let policy = try PolicyLibrary(catalog: Self.disguised).resolve("default")
        let tool = try #require(Self.disguised.tools.first { $0.pathTemplate.hasSuffix("/mark-won") })
        #expect(policy.decide(tool: tool.toolName, arguments: ["id": "lead_1"], catalog: Self.disguised).verdict == .confirm)
    }

    static let analyst = try! PolicyLibrary(catalog: SkillParser.parse(Fixtures.skillMarkdown).catalog).resolve("analyst")
    static let catalog = SkillParser.parse(Fixtures.skillMarkdown).catalog

    @Test(arguments: ["wulan.santoso45@o", "wulan.santoso45@x", "@gmail", "0812", "+62 812 99", "santoso45", "a", "wulan.s"])
    func analystSearchCannotProbeRedactedFields(_ search: String) {
        let decision = Self.analyst.decide(tool: "listLeads", arguments: ["search": .string(search)], catalog: Self.catalog)
        #expect(decision.verdict == .deny, "\(search)")
        #expect(decision.rule.contains("(search.allow)"))
    }

    @Test(arguments: ["CRM-1024", "KNK-002", "lead_abc123", "Siti", "Budi Santoso"])
    func analystSearchByWholeCodesAndNames(_ search: String) {
        #expect(Self.analyst.decide(tool: "listLeads", arguments: ["search": .string(search)], catalog: Self.catalog).verdict == .allow, "\(search)")
    }

    @Test func theDefaultPolicySearchesAnything() throws {
        let policy = try PolicyLibrary(catalog: Self.catalog).resolve("default")
        #expect(policy.decide(tool: "listLeads", arguments: ["search": "wulan.santoso45@o"], catalog: Self.catalog).verdict == .allow)
    }

    @Test func anUnknownSearchShapeIsAFileLineError() {
        let result = PolicyParser.parse("name: mine\nsearch:\n  allow: [code, emails]\n", file: "mine.yaml", name: "mine", catalog: Self.catalog)
        #expect(result.diagnostics.map(\.description).contains { $0.hasPrefix("mine.yaml:3:") && $0.contains("unknown search shape 'emails'") })
    }
}
