import AgentCore
import SkillCatalog

/// The sandbox's route table: every endpoint it serves, as catalog endpoints.
///
/// The same table drives dispatch, request validation and the SKILL.md the
/// sandbox serves at `/api/v2/agent/SKILL.md`, so the document cannot drift
/// from what the server does.
enum SandboxRoutes {
    static let ticketPriorities = ["low", "normal", "high", "urgent"]
    static let ticketStatuses = ["new", "open", "pending", "resolved", "closed"]
    static let leadStatuses = ["pageview", "new", "contacted", "responded", "qualified", "hot", "proposal", "negotiation", "invoice", "won", "lost"]
    static let priorities = ["low", "medium", "high", "urgent"]
    static let sources = ["website", "whatsapp", "phone", "email", "referral", "social", "ads", "event", "other"]
    static let platforms = ["meta", "google", "tiktok", "linkedin", "posthog", "other"]
    static let timeframes = ["today", "last_7_days", "last_30_days", "current_week", "current_month", "all_time"]

    static func row(_ name: String, _ location: Parameter.Location, _ type: ParameterType, _ required: Bool, _ description: String) -> Parameter {
        Parameter(name: name, location: location, type: type, required: required, description: description)
    }

    static var leadFields: [Parameter] {
        [
            row("firstName", .body, .string, true, "First name (1–100 chars)"),
            row("lastName", .body, .string, false, "Last name (max 100 chars)"),
            row("email", .body, .string, false, "Email address"),
            row("phone", .body, .string, false, "Phone number (max 20 chars)"),
            row("status", .body, .string, false, "Lead status: \(leadStatuses.joined(separator: ", ")) (default: new)"),
            row("priority", .body, .string, false, "Priority: \(priorities.joined(separator: ", ")) (default: medium)"),
            row("source", .body, .string, false, "Source: \(sources.joined(separator: ", "))"),
            row("adPlatform", .body, .string, false, "Ad platform: \(platforms.joined(separator: ", "))"),
            row("notes", .body, .string, false, "Notes (max 5000 chars)"),
            row("uniqueCode", .body, .string, false, "Custom unique code (max 100 chars)"),
            row("externalRef", .body, .string, false, "External reference ID (max 150 chars)"),
            row("assignedTo", .body, .uuid, false, "Assign to team member"),
            row("estimatedValue", .body, .number, false, "Estimated deal value"),
            row("actualValue", .body, .number, false, "Actual deal value"),
        ]
    }

    static func timeframeQuery(custom: String) -> [Parameter] {
        [
            row("timeframe", .query, .string, false, "Preset timeframe: \(timeframes.joined(separator: ", ")) (default: last_30_days)"),
            row("from", .query, .dateTime, false, "Custom start date\(custom)"),
            row("to", .query, .dateTime, false, "Custom end date\(custom)"),
        ]
    }

    /// The endpoints, in the order the document lists them.
    static var endpoints: [Endpoint] {
        let optionalLeadFields = leadFields.map { field -> Parameter in
            var f = field
            f.required = false
            return f
        }
        let idPath = row("id", .path, .string, true, "Lead ID")
        return [
            Endpoint(toolName: "getSkillMd", title: "SKILL.md (this document)", method: "GET", pathTemplate: "/api/v2/agent/SKILL.md", auth: .public),
            Endpoint(toolName: "listLeads", title: "List Leads", method: "GET", pathTemplate: "/api/v2/agent/leads", auth: .scope("agent.leads.read"), parameters: [
                row("page", .query, .integer, false, "Page number (min: 1)"),
                row("limit", .query, .integer, false, "Items per page (1–100, default: 50)"),
                row("cursor", .query, .string, false, "Cursor for cursor-based pagination"),
                row("status", .query, .string, false, "Filter by status: \(leadStatuses.joined(separator: ", "))"),
                row("priority", .query, .string, false, "Filter by priority: \(priorities.joined(separator: ", "))"),
                row("source", .query, .string, false, "Filter by source: \(sources.joined(separator: ", "))"),
                row("adPlatform", .query, .string, false, "Filter by ad platform: \(platforms.joined(separator: ", "))"),
                row("assignedTo", .query, .uuid, false, "Filter by assigned team member"),
                row("createdFrom", .query, .dateTime, false, "Filter leads created after this date"),
                row("createdTo", .query, .dateTime, false, "Filter leads created before this date"),
                row("search", .query, .string, false, "Search by name, email, phone, uniqueCode, or externalRef (max 200 chars)"),
                row("sortBy", .query, .string, false, "Sort field: createdAt, updatedAt (default: createdAt)"),
                row("sortOrder", .query, .string, false, "Sort order: asc, desc (default: desc)"),
            ]),
            Endpoint(toolName: "getLead", title: "Get Lead", method: "GET", pathTemplate: "/api/v2/agent/leads/:id", auth: .scope("agent.leads.read"), parameters: [idPath]),
            Endpoint(toolName: "createLead", title: "Create Lead", method: "POST", pathTemplate: "/api/v2/agent/leads", auth: .scope("agent.leads.write"), parameters: leadFields),
            Endpoint(toolName: "upsertLead", title: "Upsert Lead", method: "POST", pathTemplate: "/api/v2/agent/leads/upsert", auth: .scope("agent.leads.write"),
                     parameters: [row("id", .body, .string, false, "Match an existing lead by ID (matching order: id, uniqueCode, phone, externalRef)")]
                        + optionalLeadFields.map { field in
                            var f = field
                            if f.name == "firstName" { f.description = "First name (1–100 chars); required when no lead matches" }
                            return f
                        }),
            Endpoint(toolName: "updateLead", title: "Update Lead", method: "PATCH", pathTemplate: "/api/v2/agent/leads/:id", auth: .scope("agent.leads.write"),
                     parameters: [idPath] + optionalLeadFields),
            Endpoint(toolName: "getAnalyticsSummary", title: "Analytics Summary", method: "GET", pathTemplate: "/api/v2/agent/analytics/summary",
                     auth: .scope("agent.analytics.read"), parameters: timeframeQuery(custom: " (overrides timeframe)")),
            Endpoint(toolName: "getAnalyticsFunnel", title: "Analytics Funnel", method: "GET", pathTemplate: "/api/v2/agent/analytics/funnel",
                     auth: .scope("agent.analytics.read"), parameters: timeframeQuery(custom: " (overrides timeframe)")),
            Endpoint(toolName: "getCampaignPerformance", title: "Campaign Performance", method: "GET", pathTemplate: "/api/v2/agent/analytics/campaigns",
                     auth: .scope("agent.analytics.read"), parameters: timeframeQuery(custom: " (overrides timeframe)")),
            Endpoint(toolName: "getConversionSyncStatus", title: "Conversion Sync Status", method: "GET", pathTemplate: "/api/v2/agent/conversions/status",
                     auth: .scope("agent.conversions.read"),
                     parameters: timeframeQuery(custom: "") + [row("platform", .query, .string, false, "Filter by ad platform: \(platforms.joined(separator: ", "))")]),
            Endpoint(toolName: "listPendingConversions", title: "Pending Conversions", method: "GET", pathTemplate: "/api/v2/agent/conversions/pending", auth: .scope("agent.conversions.read")),
            Endpoint(toolName: "getWorkspace", title: "Workspace Info", method: "GET", pathTemplate: "/api/v2/agent/workspace", auth: .scope("agent.workspace.read")),
            Endpoint(toolName: "createSupportTicket", title: "Create Support Ticket", method: "POST", pathTemplate: "/api/v2/agent/support/tickets", auth: .scope("agent.support.write"), parameters: [
                row("subject", .body, .string, true, "Ticket subject (3–180 chars)"),
                row("message", .body, .string, true, "Ticket body (1–10000 chars)"),
                row("priority", .body, .string, false, "Priority: \(ticketPriorities.joined(separator: ", ")) (default: normal)"),
            ]),
        ]
    }

    /// The catalog the sandbox documents, before parsing derives enums and bounds from descriptions.
    static var documentCatalog: Catalog {
        Catalog(
            title: "Konektor Agent API",
            version: "2.2.0",
            lastUpdated: "2026-03-11",
            baseURL: "https://konektor.id",
            documentationURL: "https://konektor.id/docs/api/agent-api",
            requirements: Requirements(rows: [
                KeyValue(key: "Authentication", value: "Bearer token (API key)"),
                KeyValue(key: "Environment Variable", value: "KONEKTOR_API_KEY"),
                KeyValue(key: "Minimum Scopes", value: "Depends on endpoint (see Scopes Reference)"),
                KeyValue(key: "Base URL", value: "https://konektor.id"),
                KeyValue(key: "Transport", value: "HTTPS only"),
                KeyValue(key: "Content-Type", value: "application/json"),
            ]),
            scopes: [
                Scope(name: "agent.leads.read", description: "Read leads (list, get)"),
                Scope(name: "agent.leads.write", description: "Create, update, and upsert leads"),
                Scope(name: "agent.analytics.read", description: "Read analytics (summary, funnel, campaigns)"),
                Scope(name: "agent.conversions.read", description: "Read conversion sync status and pending conversions"),
                Scope(name: "agent.workspace.read", description: "Read workspace info and subscription"),
                Scope(name: "agent.support.write", description: "Create support tickets"),
            ],
            endpoints: endpoints,
            rateLimits: [
                RateLimit(plan: "starter", requestsPerMinute: 60), RateLimit(plan: "pro", requestsPerMinute: 200),
                RateLimit(plan: "enterprise", requestsPerMinute: 600), RateLimit(plan: "custom", requestsPerMinute: 200),
            ],
            errorCodes: [
                ErrorCode(code: "UNAUTHORIZED", httpStatus: 401, description: "Missing, invalid, expired, or revoked API key"),
                ErrorCode(code: "FORBIDDEN", httpStatus: 403, description: "Insufficient scope or plan does not support Agent API"),
                ErrorCode(code: "VALIDATION_ERROR", httpStatus: 400, description: "Invalid request parameters (details contains field-level errors)"),
                ErrorCode(code: "NOT_FOUND", httpStatus: 404, description: "Resource not found or soft-deleted"),
                ErrorCode(code: "RATE_LIMITED", httpStatus: 429, description: "Rate limit exceeded"),
                ErrorCode(code: "INTERNAL_ERROR", httpStatus: 500, description: "Unexpected server error"),
            ],
            responseHeaders: [
                ResponseHeader(name: "X-Request-Id", description: "Unique request ID (UUID) for debugging"),
                ResponseHeader(name: "X-RateLimit-Limit", description: "Max requests per minute"),
                ResponseHeader(name: "X-RateLimit-Remaining", description: "Remaining requests"),
                ResponseHeader(name: "X-RateLimit-Reset", description: "Window reset timestamp (Unix seconds)"),
            ],
            valueLists: [
                ValueList(name: "Lead Statuses", values: leadStatuses),
                ValueList(name: "Lead Priorities", values: priorities),
                ValueList(name: "Lead Sources", values: sources),
                ValueList(name: "Ad Platforms", values: platforms),
                ValueList(name: "Timeframes", values: timeframes),
                ValueList(name: "Ticket Statuses", values: ticketStatuses),
                ValueList(name: "Ticket Priorities", values: ticketPriorities),
                ValueList(name: "Error Codes", values: ["UNAUTHORIZED", "FORBIDDEN", "VALIDATION_ERROR", "NOT_FOUND", "RATE_LIMITED", "INTERNAL_ERROR"]),
            ]
        )
    }

    /// The SKILL.md served at `/api/v2/agent/SKILL.md`.
    static let skillMarkdown: String = documentCatalog.skillMarkdown()

    /// The catalog the server validates requests with: the served document, parsed back.
    static let catalog: Catalog = SkillParser.parse(skillMarkdown).catalog
}
