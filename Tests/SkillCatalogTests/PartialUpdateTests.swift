import SkillCatalog
import Testing
import TestSupport

/// "Same fields as Create Lead, all optional": an update borrows the fields, not the create's defaults.
@Suite struct PartialUpdateTests {
    static let catalog = SkillParser.parse(Fixtures.skillMarkdown).catalog

    @Test func anUpdateHasNoDefaultStatus() {
        #expect(Self.catalog.tool(named: "updateLead")?.parameter(named: "status")?.defaultValue == nil)
    }

    @Test func theCreateKeepsItsDefault() {
        #expect(Self.catalog.tool(named: "createLead")?.parameter(named: "status")?.defaultValue == "new")
    }

    @Test func theUpdateStillKnowsTheStatuses() {
        #expect(Self.catalog.tool(named: "updateLead")?.parameter(named: "status")?.enumValues?.contains("qualified") == true)
    }
}
