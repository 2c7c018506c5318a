import AgentCore
import ArgumentParser
import AuditLog
import Foundation

extension AuditCommand {
    /// `konektor audit trail LEAD`: every change to one lead, who asked, what decided, who confirmed or approved, before and after.
    struct Trail: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Every change to one lead: who asked, the decision and its rule, who confirmed or approved (and how), before and after, status and request id.")
        @Argument(help: ArgumentHelp("The lead's code (CRM-1024) or id.", valueName: "lead")) var lead: String
        @OptionGroup var location: AuditCommand.Location
        @OptionGroup var filters: AuditCommand.Filters
        @Flag(help: "A JSON array of changes instead of text.") var json = false

        func run() async throws {
            let changes = AuditTrail.changes(lead: lead, in: try filters.select(in: try location.requireLog()))
            if json {
                print(AuditTrail.json(changes).jsonString(.pretty))
            } else {
                print(AuditTrail.text(changes, lead: lead), terminator: "")
            }
        }
    }
}
