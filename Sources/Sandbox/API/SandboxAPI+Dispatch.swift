import AgentCore
import SkillCatalog

extension SandboxAPI {
    typealias Outcome = (status: Int, body: JSONValue, headers: [(String, String)])

    func dispatch(_ endpoint: Endpoint, arguments: JSONObject, caller: Caller) async throws -> Outcome {
        switch endpoint.toolName {
        case "listLeads": return try await listLeads(arguments, caller: caller)
        case "getLead": return try await getLead(arguments, caller: caller)
        case "createLead": return try await createLead(arguments, caller: caller)
        case "upsertLead": return try await upsertLead(arguments, caller: caller)
        case "updateLead": return try await updateLead(arguments, caller: caller)
        case "getAnalyticsSummary": return try await analyticsSummary(arguments, caller: caller)
        case "getAnalyticsFunnel": return try await analyticsFunnel(arguments, caller: caller)
        case "getCampaignPerformance": return try await campaignPerformance(arguments, caller: caller)
        case "getConversionSyncStatus": return try await conversionStatus(arguments, caller: caller)
        case "listPendingConversions": return try await pendingConversions(caller: caller)
        case "getWorkspace": return try await workspaceInfo(caller: caller)
        case "createSupportTicket": return try await createTicket(arguments, caller: caller)
        default: throw APIFailure.notFound("No handler for \(endpoint.toolName)")
        }
    }

    static func success(_ data: JSONValue, status: Int = 200, extra: JSONObject = [:]) -> Outcome {
        var body: JSONObject = ["success": true, "data": data]
        for (key, value) in extra { body[key] = value }
        return (status, .object(body), [])
    }
}
