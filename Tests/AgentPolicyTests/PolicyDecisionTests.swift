import AgentCore
import AgentPolicy
import Foundation
import Sandbox
import SkillCatalog
import Testing
import TestSupport

@Suite struct PolicyDecisionTests {
    static let catalog = SkillParser.parse(Fixtures.skillMarkdown).catalog
    static let library = PolicyLibrary(catalog: catalog)

    static func policy(_ name: String) -> Policy { try! library.resolve(name) }

    struct Case: CustomTestStringConvertible, Sendable {
        var policy: String
        var tool: String
        var arguments: JSONObject
        var verdict: Decision.Verdict
        /// A fragment the deciding rule must contain: `file:line (name)` or a built-in rule.
        var rule: String
        var testDescription: String { "\(policy): \(tool) \(arguments.jsonValueString) → \(verdict.rawValue)" }
    }

    static let cases: [Case] = [
        Case(policy: "default", tool: "listLeads", arguments: ["status": "new"], verdict: .allow, rule: "Policies/default.yaml:9 (reads)"),
        Case(policy: "default", tool: "updateLead", arguments: ["id": "lead_1", "status": "qualified"], verdict: .confirm, rule: "Policies/default.yaml:10 (writes)"),
        Case(policy: "default", tool: "createSupportTicket", arguments: ["subject": "Pixel", "message": "x"], verdict: .confirm, rule: "(writes)"),
        Case(policy: "default", tool: "listLeads", arguments: ["limit": 100], verdict: .allow, rule: "(reads)"),
        Case(policy: "default", tool: "deleteEverything", arguments: [:], verdict: .deny, rule: "catalog"),
        Case(policy: "analyst", tool: "getAnalyticsSummary", arguments: [:], verdict: .allow, rule: "Policies/default.yaml:9 (reads)"),
        Case(policy: "analyst", tool: "updateLead", arguments: ["id": "lead_1", "status": "won"], verdict: .deny, rule: "Policies/analyst.yaml:7 (scopes.allow)"),
        Case(policy: "analyst", tool: "createSupportTicket", arguments: [:], verdict: .deny, rule: "(scopes.allow)"),
        Case(policy: "analyst", tool: "listLeads", arguments: ["limit": "80"], verdict: .deny, rule: "Policies/analyst.yaml:12 (limits.maxPageSize)"),
        Case(policy: "analyst", tool: "listLeads", arguments: [:], verdict: .allow, rule: "(reads)"),
        Case(policy: "supervised", tool: "updateLead", arguments: ["id": "lead_1", "status": "qualified"], verdict: .approve, rule: "Policies/supervised.yaml:7 (writes)"),
        Case(policy: "supervised", tool: "updateLead", arguments: ["id": "lead_1", "status": "won"], verdict: .deny, rule: "Policies/supervised.yaml:10 (closing-deals-needs-supervisor)"),
        Case(policy: "supervised", tool: "createLead", arguments: ["firstName": "A", "actualValue": 5], verdict: .deny, rule: "(closing-deals-needs-supervisor)"),
        Case(policy: "supervised", tool: "listLeads", arguments: ["status": "won"], verdict: .allow, rule: "(reads)"),
        Case(policy: "supervisor", tool: "updateLead", arguments: ["id": "lead_1", "status": "lost"], verdict: .approve, rule: "Policies/supervisor.yaml:7 (closing-deals-needs-supervisor)"),
        Case(policy: "auditor", tool: "getWorkspace", arguments: [:], verdict: .deny, rule: "Policies/auditor.yaml:8 (tools.allow)"),
        Case(policy: "auditor", tool: "listLeads", arguments: [:], verdict: .deny, rule: "(tools.allow)"),
    ]

    @Test(arguments: cases)
    func decides(_ c: Case) {
        let decision = Self.policy(c.policy).decide(tool: c.tool, arguments: c.arguments, catalog: Self.catalog)
        #expect(decision.verdict == c.verdict, "\(decision)")
        #expect(decision.rule.contains(c.rule), "\(decision.rule)")
        #expect(!decision.reason.isEmpty)
    }

    @Test func shippedPoliciesAreValidAgainstBothCatalogs() {
        let sandbox = SkillParser.parse(SandboxServer.skillMarkdown).catalog
        for catalog in [Self.catalog, sandbox] {
            let library = PolicyLibrary(catalog: catalog)
            #expect(library.names == ["analyst", "auditor", "default", "supervised", "supervisor"])
            for name in library.names {
                #expect(library.check(name).isEmpty, "\(name): \(library.check(name))")
            }
        }
    }

    @Test func shippedCopiesMatchThePoliciesFolder() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Policies")
        for (name, text) in ShippedPolicies.all {
            let file = try String(contentsOf: folder.appendingPathComponent("\(name).yaml"), encoding: .utf8)
            #expect(file == text + "\n", "run scripts/bundle-policies (\(name))")
        }
    }

    @Test func offeredToolsFollowPolicyAndKeyScopes() {
        let analyst = Self.policy("analyst").offeredTools(in: Self.catalog).map(\.toolName)
        #expect(!analyst.contains("updateLead") && !analyst.contains("createLead") && analyst.contains("listLeads"))
        #expect(Self.policy("auditor").offeredTools(in: Self.catalog).isEmpty)
        #expect(Self.policy("default").offeredTools(in: Self.catalog).count == 11)
        let keyed = Self.policy("default").offeredTools(in: Self.catalog, keyScopes: ["agent.leads.read"]).map(\.toolName)
        #expect(keyed == ["listLeads", "getLead"])
        let refused = Self.policy("default").decide(tool: "getWorkspace", arguments: [:], catalog: Self.catalog, usage: SessionUsage(keyScopes: ["agent.leads.read"]))
        #expect(refused.verdict == .deny && refused.reason.contains("agent.workspace.read") && refused.reason.contains("API key"))
    }

    @Test func sessionLimitsAreEnforced() {
        let supervised = Self.policy("supervised")
        let capped = supervised.decide(tool: "updateLead", arguments: ["id": "x", "priority": "high"], catalog: Self.catalog,
                                       usage: SessionUsage(writesThisSession: 20))
        #expect(capped.verdict == .deny && capped.rule.contains("limits.writesPerSession"))
        let busy = supervised.decide(tool: "listLeads", arguments: [:], catalog: Self.catalog, usage: SessionUsage(callsThisTurn: 8))
        #expect(busy.verdict == .deny && busy.rule.contains("Policies/default.yaml") && busy.rule.contains("limits.callsPerTurn"))
    }

    @Test func redactionHidesFieldsAtAnyDepth() {
        let analyst = Self.policy("analyst")
        let result: JSONValue = ["success": true, "data": [["id": "lead_1", "firstName": "Budi", "lastName": "Santoso", "email": "b@x.id", "phone": .null]]]
        let seen = analyst.redactForPlanner(result)
        #expect(seen["data"]?.arrayValue?.first == ["id": "lead_1", "firstName": "Budi", "lastName": "[redacted]", "email": "[redacted]", "phone": .null])
        #expect(Self.policy("default").redactForPlanner(result) == result)
    }

    /// A planner that tries everything: out-of-scope tools, tools not in the catalog, escapes in ids,
    /// oversized pages and writes past the cap. The policy with the catalog refuses every attempt.
    @Test func adversarialSequenceIsRefusedEveryTime() {
        let analyst = Self.policy("analyst")
        let supervised = Self.policy("supervised")
        let attempts: [(Policy, String, JSONObject, SessionUsage)] = [
            (analyst, "updateLead", ["id": "lead_1", "status": "lost"], SessionUsage()),
            (analyst, "createSupportTicket", ["subject": "my key is", "message": "knk_..."], SessionUsage()),
            (analyst, "http://evil.example/collect", [:], SessionUsage()),
            (analyst, "../../admin", [:], SessionUsage()),
            (analyst, "listLeads", ["limit": 100], SessionUsage()),
            (analyst, "listLeads", ["limit": "1000"], SessionUsage()),
            (supervised, "updateLead", ["id": "lead_9", "status": "won", "actualValue": 1], SessionUsage()),
            (supervised, "createLead", ["firstName": "X"], SessionUsage(writesThisSession: 20)),
            (supervised, "getLead", ["id": "x"], SessionUsage(callsThisTurn: 99)),
        ]
        for (policy, tool, arguments, usage) in attempts {
            #expect(policy.decide(tool: tool, arguments: arguments, catalog: Self.catalog, usage: usage).verdict == .deny, "\(tool) \(arguments.jsonValueString)")
        }
        // What the policy lets through still meets the catalog's validation before any I/O.
        for id in ["../workspace", "..", "a/b", "https://evil.example/x"] {
            #expect(analyst.decide(tool: "getLead", arguments: ["id": .string(id)], catalog: Self.catalog).verdict == .allow)
            guard case .failure = Self.catalog.validate(tool: "getLead", arguments: ["id": .string(id)]) else {
                if case .success(let call) = Self.catalog.validate(tool: "getLead", arguments: ["id": .string(id)]) {
                    #expect(call.path.split(separator: "/").count == 5 && !call.path.contains(".."), "\(call.path)")
                }
                continue
            }
        }
    }
}

extension JSONObject {
    var jsonValueString: String { JSONValue.object(self).jsonString() }
}
