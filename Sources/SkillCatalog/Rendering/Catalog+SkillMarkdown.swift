import AgentCore

extension Catalog {
    /// Renders the catalog as a SKILL.md in the layout of the Konektor document.
    ///
    /// Descriptions are written as they are, so what the reader derives from
    /// them (enums, bounds, defaults) survives a round trip through ``SkillParser``.
    public func skillMarkdown(intro: String = "Machine-readable API documentation for AI agents, LLMs, and automation tools.") -> String {
        var out = "# \(title)\n\n"
        if let version { out += "Version: \(version)\n" }
        if let lastUpdated { out += "Last updated: \(lastUpdated)\n" }
        out += "\n\(intro)\n\n"
        if let baseURL { out += "Base URL: \(baseURL)\n\n" }
        if let documentationURL { out += "Documentation: \(documentationURL)\n\n" }
        if !requirements.rows.isEmpty {
            out += "## Requirements\n\n| Key | Value |\n|---|---|\n"
            for row in requirements.rows { out += "| \(row.key) | \(row.value) |\n" }
            out += "\n"
        }
        out += "## Authentication\n\nAll endpoints (except SKILL.md) require a Bearer token:\n\n```\nAuthorization: Bearer <api_key>\n```\n\n"
        if !scopes.isEmpty {
            out += "API keys are scoped. Available scopes: \(scopes.map(\.name).joined(separator: ", "))\n\n"
        }
        out += "## Endpoints\n\n"
        for endpoint in endpoints { out += Self.skillMarkdown(for: endpoint) }
        if !rateLimits.isEmpty {
            out += "## Rate Limits\n\nRate limits are per workspace (shared across all API keys) and vary by plan:\n\n| Plan | Limit |\n|---|---|\n"
            for limit in rateLimits { out += "| \(limit.plan) | \(limit.requestsPerMinute) req/min |\n" }
            out += "\nWhen rate limited, the response includes a `Retry-After` header (seconds).\n\n"
        }
        if !errorCodes.isEmpty {
            out += "## Error Handling\n\nAll errors follow a consistent JSON format:\n\n```json\n"
            out += #"{ "success": false, "error": { "code": "ERROR_CODE", "message": "Human-readable description", "details": null } }"#
            out += "\n```\n\n### Error Codes\n\n| Code | HTTP Status | Description |\n|---|---|---|\n"
            for code in errorCodes { out += "| \(code.code) | \(code.httpStatus) | \(code.description) |\n" }
            out += "\n"
        }
        if !responseHeaders.isEmpty {
            out += "## Response Headers\n\nEvery response (except SKILL.md) includes:\n\n| Header | Description |\n|---|---|\n"
            for header in responseHeaders { out += "| \(header.name) | \(header.description) |\n" }
            out += "\n"
        }
        if !scopes.isEmpty {
            out += "## Scopes Reference\n\n| Scope | Description |\n|---|---|\n"
            for scope in scopes { out += "| \(scope.name) | \(scope.description) |\n" }
            out += "\n"
        }
        if !valueLists.isEmpty {
            out += "## Values Reference\n\n"
            for list in valueLists where !list.values.isEmpty { out += "\(list.name): \(list.values.joined(separator: ", "))\n\n" }
        }
        return out
    }

    static func skillMarkdown(for endpoint: Endpoint) -> String {
        var out = "### \(endpoint.title)\n\n| | |\n|---|---|\n| Method | \(endpoint.method) |\n| Path | \(endpoint.pathTemplate) |\n"
        switch endpoint.auth {
        case .public: out += "| Auth | None (public) |\n| Scope | — |\n"
        case .scope(let scope): out += "| Scope | \(scope) |\n"
        }
        out += "\n"
        let path = endpoint.parameters(in: .path)
        if !path.isEmpty {
            out += "Path Parameters:\n\n| Parameter | Type | Description |\n|---|---|---|\n"
            for p in path { out += "| \(p.name) | \(p.type.documentSpelling) | \(p.description) |\n" }
            out += "\n"
        }
        for (location, label, column) in [(Parameter.Location.query, "Query Parameters:", "Parameter"), (.body, "Request Body (JSON):", "Field")] {
            let parameters = endpoint.parameters(in: location)
            guard !parameters.isEmpty else { continue }
            out += "\(label)\n\n| \(column) | Type | Required | Description |\n|---|---|---|---|\n"
            for p in parameters { out += "| \(p.name) | \(p.type.documentSpelling) | \(p.required ? "Yes" : "No") | \(p.description) |\n" }
            out += "\n"
        }
        for example in endpoint.examples {
            out += "Example:\n\n```bash\n\(example.command)\n```\n\n"
            if let response = example.response { out += "```json\n\(response.jsonString(.pretty))\n```\n\n" }
        }
        return out
    }
}
