import AgentCore

extension Catalog {
    /// The whole catalog as JSON: the form of `konektor catalog --format json` and of the golden files.
    public var jsonValue: JSONValue {
        var o: JSONObject = ["title": .string(title)]
        o["version"] = version.map(JSONValue.string) ?? .null
        o["lastUpdated"] = lastUpdated.map(JSONValue.string) ?? .null
        o["baseURL"] = baseURL.map(JSONValue.string) ?? .null
        o["documentationURL"] = documentationURL.map(JSONValue.string) ?? .null
        o["requirements"] = [
            "authScheme": requirements.authScheme.map(JSONValue.string) ?? .null,
            "apiKeyEnvironmentVariable": requirements.apiKeyEnvironmentVariable.map(JSONValue.string) ?? .null,
            "httpsOnly": .bool(requirements.httpsOnly),
            "contentType": requirements.contentType.map(JSONValue.string) ?? .null,
            "rows": .array(requirements.rows.map { ["key": .string($0.key), "value": .string($0.value)] }),
        ]
        o["scopes"] = .array(scopes.map { ["name": .string($0.name), "description": .string($0.description)] })
        o["endpoints"] = .array(endpoints.map(\.jsonValue))
        o["rateLimits"] = .array(rateLimits.map { ["plan": .string($0.plan), "requestsPerMinute": .int($0.requestsPerMinute)] })
        o["errorCodes"] = .array(errorCodes.map { ["code": .string($0.code), "httpStatus": .int($0.httpStatus), "description": .string($0.description)] })
        o["responseHeaders"] = .array(responseHeaders.map { ["name": .string($0.name), "description": .string($0.description)] })
        o["valueLists"] = .array(valueLists.map { ["name": .string($0.name), "values": .array($0.values.map(JSONValue.string))] })
        return .object(o)
    }
}

extension Endpoint {
    public var jsonValue: JSONValue {
        var o: JSONObject = [
            "tool": isTool ? .string(toolName) : .null,
            "title": .string(title),
            "method": .string(method),
            "path": .string(pathTemplate),
            "auth": auth.scope.map { ["scope": .string($0)] } ?? "public",
            "writes": .bool(isWrite),
        ]
        // Only present when set, so catalogs without a suspicion render as before.
        if let writeSuspicion {
            o["suspectedWrite"] = ["verb": .string(writeSuspicion.verb), "evidence": .string(writeSuspicion.evidence.rawValue)]
        }
        o["parameters"] = .array(parameters.map(\.jsonValue))
        o["examples"] = .array(examples.map { example in
            [
                "command": .string(example.command),
                "method": .string(example.method),
                "url": example.url.map(JSONValue.string) ?? .null,
                "requestBody": example.requestBody ?? .null,
                "response": example.response ?? .null,
            ]
        })
        return .object(o)
    }
}

extension Parameter {
    public var jsonValue: JSONValue {
        var o: JSONObject = [
            "name": .string(name),
            "in": .string(location.rawValue),
            "type": .string(type.rawValue),
            "required": .bool(required),
            "description": .string(description),
        ]
        if let enumValues { o["enum"] = .array(enumValues.map(JSONValue.string)) }
        if let minimum { o["minimum"] = Catalog.number(minimum) }
        if let maximum { o["maximum"] = Catalog.number(maximum) }
        if let minLength { o["minLength"] = .int(minLength) }
        if let maxLength { o["maxLength"] = .int(maxLength) }
        if let defaultValue { o["default"] = defaultValue }
        if let format { o["format"] = .string(format) }
        return .object(o)
    }
}
