import AgentCore
import AgentPolicy
import SkillCatalog
import Testing
import TestSupport

@Suite struct PolicyFileTests {
    let catalog = SkillParser.parse(Fixtures.skillMarkdown).catalog

    func diagnostics(_ yaml: String) -> [Diagnostic] {
        PolicyParser.parse(yaml, file: "mine.yaml", name: "mine", catalog: catalog).diagnostics
    }

    /// YAML is composed without the default resolver: `true` written plainly is a flag, a quoted "true" is text.
    @Test func unattendedWritesTakesAPlainTrueAndRefusesAQuotedOne() {
        let plain = PolicyParser.parse("name: mine\nunattendedWrites: true\n", file: "mine.yaml", name: "mine", catalog: catalog)
        #expect(plain.layer.unattendedWrites == true)
        #expect(plain.diagnostics.isEmpty, "\(plain.diagnostics)")
        #expect(diagnostics("name: mine\nunattendedWrites: \"true\"\n").contains { $0.line == 2 && $0.message.contains("true or false") })
        #expect(diagnostics("name: mine\nunattendedWrites: yes\n").contains { $0.line == 2 })
    }

    @Test func unknownNamesAreErrorsWithLines() {
        let d = diagnostics("""
            name: mine
            colour: blue
            scopes:
              allow: [agent.leads.read, agent.leads.delete]
            tools:
              deny: [nukeLeads]
            redact: [email, passport]
            writes: sometimes
            limits:
              maxPageSize: lots
              coffeeBreaks: 2
            rules:
              - name: r
                tools: [updateLead]
                when:
                  status: [won, victorious]
                decision: deny
              - tools: [listLeads]
            """)
        let lines = d.filter { $0.severity == .error }.map(\.line)
        #expect(lines == [2, 4, 6, 7, 8, 10, 11, 16, 18], "\(d)")
        #expect(d.contains { $0.line == 4 && $0.message.contains("unknown scope 'agent.leads.delete'") })
        #expect(d.contains { $0.line == 16 && $0.message.contains("'victorious' is not a value of 'status'") })
        #expect(d.contains { $0.line == 18 && $0.message.contains("needs a 'decision'") })
        #expect(d.allSatisfy { "\($0)".hasPrefix("mine.yaml:") })
    }

    @Test func badYAMLIsADiagnosticWithItsLine() {
        let d = diagnostics("name: mine\nscopes:\n  allow: [agent.leads.read\nwrites: deny\n")
        #expect(d.count == 1 && d[0].severity == .error && d[0].message.hasPrefix("invalid YAML"))
        #expect(d[0].line >= 3)
        #expect(diagnostics("- just\n- a list\n").first?.message.contains("mapping") == true)
    }

    @Test func aSessionCannotStartOnAnInvalidPolicy() {
        let library = PolicyLibrary(catalog: catalog, userFiles: [
            .init(name: "broken", file: "broken.yaml", text: "extends: analyst\nwrites: maybe\n", shipped: false),
            .init(name: "loop-a", file: "a.yaml", text: "extends: loop-b\n", shipped: false),
            .init(name: "loop-b", file: "b.yaml", text: "extends: loop-a\n", shipped: false),
            .init(name: "orphan", file: "o.yaml", text: "extends: nowhere\n", shipped: false),
        ])
        #expect(throws: PolicyLibrary.Invalid.self) { try library.resolve("broken") }
        do {
            _ = try library.resolve("loop-a")
            Issue.record("a cycle must not resolve")
        } catch {
            #expect(error.description.contains("cycle"))
        }
        #expect(library.check("orphan").first?.message.contains("no policy named 'nowhere'") == true)
        #expect(library.check("orphan").first?.file == "o.yaml")
    }

    @Test func extendsOverridesKeyByKeyAndRulesByName() throws {
        let library = PolicyLibrary(catalog: catalog, userFiles: [
            .init(name: "mine", file: "mine.yaml", text: """
                extends: supervised
                writes: confirm
                rules:
                  - name: no-tickets
                    tools: createSupportTicket
                    decision: deny
                    reason: Tickets go through the account manager.
                """, shipped: false),
        ])
        let policy = try library.resolve("mine")
        #expect(policy.lineage == ["default", "supervised", "mine"])
        #expect(policy.writes == .confirm)
        #expect(policy.limits.writesPerSession == 20)
        #expect(policy.rules.map(\.name) == ["closing-deals-needs-supervisor", "no-tickets"])
        let decision = policy.decide(tool: "createSupportTicket", arguments: [:], catalog: catalog)
        #expect(decision.verdict == .deny && decision.rule == "mine.yaml:4 (no-tickets)" && decision.reason == "Tickets go through the account manager.")
        let userOverride = PolicyLibrary(catalog: catalog, userFiles: [.init(name: "default", file: "/home/x/default.yaml", text: "writes: deny\n", shipped: false)])
        #expect(try userOverride.resolve("analyst").writes == .deny, "analyst sets writes itself")
        #expect(try userOverride.resolve("default").writes == .deny)
    }

    @Test func aChildCanWidenWhatItsParentNarrowed() throws {
        let library = PolicyLibrary(catalog: catalog, userFiles: [
            .init(name: "wide", file: "wide.yaml", text: "extends: analyst\nscopes:\n  allow: \"*\"\n  deny: [agent.support.write]\n", shipped: false),
        ])
        let policy = try library.resolve("wide")
        #expect(policy.allowedScopes == nil)
        #expect(policy.origins["scopes.allow"]?.description == "wide.yaml:3")
        #expect(policy.effectiveScopes(in: catalog) == Set(catalog.scopes.map(\.name)).subtracting(["agent.support.write"]))
        #expect(policy.decide(tool: "createSupportTicket", arguments: [:], catalog: catalog).rule == "wide.yaml:4 (scopes.deny)")
    }
}
