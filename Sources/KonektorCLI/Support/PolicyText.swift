import AgentPolicy
import SkillCatalog

/// A policy as `konektor policy show` prints it, for other programs of the package (`konektor-mcp` offers it as a resource).
package enum PolicyText {
    package static func render(_ policy: Policy, catalog: Catalog) -> String {
        PolicyCommand.Show.render(policy, catalog: catalog)
    }
}
