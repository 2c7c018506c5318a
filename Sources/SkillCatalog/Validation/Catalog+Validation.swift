import AgentCore

extension Catalog {
    /// Checks a tool call against the catalog and builds the concrete request, before any I/O.
    ///
    /// Numeric strings are accepted for numbers and normalised ("50" → 50);
    /// unknown arguments are refused by name; path parameters must stay in
    /// their segment. Every problem is reported at once, keyed by argument.
    public func validate(_ call: ToolCall) -> Swift.Result<ValidatedCall, ValidationError> {
        validate(tool: call.name, arguments: call.arguments)
    }

    public func validate(tool name: String, arguments: JSONObject) -> Swift.Result<ValidatedCall, ValidationError> {
        guard let endpoint = tool(named: name) else {
            let known = tools.map(\.toolName).joined(separator: ", ")
            return .failure(ValidationError(tool: name, details: ["tool": .string("Unknown tool '\(name)'. Known tools: \(known)")]))
        }
        var details = JSONObject()
        var normalised = JSONObject()
        for (key, _) in arguments where endpoint.parameter(named: key) == nil {
            details[key] = "Unknown argument"
        }
        for parameter in endpoint.parameters {
            let value = arguments[parameter.name]
            // null clears an optional field of an update; anywhere else it is no value at all.
            let clears = parameter.location == .body && !parameter.required && Self.isUpdate(endpoint)
            guard let value, value != .null || clears else {
                if value == .null, !parameter.required, parameter.location == .body {
                    details[parameter.name] = .string("Expected \(parameter.type == .integer ? "integer" : parameter.type == .number ? "number" : "string"), received null")
                    continue
                }
                if parameter.required { details[parameter.name] = "Required" }
                continue
            }
            if value == .null {
                normalised[parameter.name] = .null
                continue
            }
            switch Self.check(value, against: parameter) {
            case .success(let v): normalised[parameter.name] = v
            case .failure(let problem): details[parameter.name] = .string(problem.message)
            }
        }
        guard details.isEmpty else { return .failure(ValidationError(tool: name, details: details)) }

        var path = ""
        for segment in endpoint.pathTemplate.split(separator: "/", omittingEmptySubsequences: false) {
            if segment.isEmpty && path.isEmpty { continue }
            path += "/"
            if segment.hasPrefix(":"), let value = normalised[String(segment.dropFirst())] {
                path += PercentEncoding.encodePathSegment(value.stringValue ?? value.jsonString())
            } else {
                path += segment
            }
        }
        let query = endpoint.parameters(in: .query).compactMap { parameter -> KeyValue? in
            guard let value = normalised[parameter.name], value != .null else { return nil }
            return KeyValue(key: parameter.name, value: value.stringValue ?? value.jsonString())
        }
        let bodyParameters = endpoint.parameters(in: .body)
        var body: JSONObject?
        if endpoint.isWrite || !bodyParameters.isEmpty {
            var object = JSONObject()
            for parameter in bodyParameters {
                if let value = normalised[parameter.name] { object[parameter.name] = value }
            }
            body = object
        }
        return .success(ValidatedCall(endpoint: endpoint, path: path, query: query, body: body, arguments: normalised))
    }

    /// One value against one parameter: the normalised value or the message for `details`.
    static func check(_ value: JSONValue, against parameter: Parameter) -> Swift.Result<JSONValue, ArgumentProblem> {
        let normalised: JSONValue
        switch parameter.type {
        case .integer:
            switch value {
            case .int: normalised = value
            case .double(let d) where d.rounded() == d && abs(d) < 9e15: normalised = .int(Int(d))
            case .string(let s) where Int(s.trimmingWhitespace()) != nil: normalised = .int(Int(s.trimmingWhitespace())!)
            default: return .failure("Expected integer, received \(kind(value))")
            }
        case .number:
            switch value {
            case .int, .double: normalised = value
            case .string(let s):
                let t = s.trimmingWhitespace()
                if let i = Int(t) { normalised = .int(i) } else if let d = Double(t), d.isFinite, t.first != "." { normalised = .double(d) } else {
                    return .failure("Expected number, received string")
                }
            default: return .failure("Expected number, received \(kind(value))")
            }
        case .string, .uuid, .dateTime:
            guard case .string(let s) = value else { return .failure("Expected string, received \(kind(value))") }
            normalised = .string(s)
            if parameter.type == .uuid, !Formats.isUUID(s) { return .failure("Invalid uuid") }
            if parameter.type == .dateTime, !Formats.isISO8601(s) { return .failure("Invalid datetime; expected ISO 8601 such as 2025-01-15 or 2025-01-15T10:30:00Z") }
            if parameter.format == "email", !Formats.isEmail(s) { return .failure("Invalid email") }
            // JSON Schema counts lengths in code points, not in grapheme clusters ("ṱ̺̺̕" is one Character, four scalars).
            if let min = parameter.minLength, s.unicodeScalars.count < min { return .failure("String must contain at least \(min) character(s)") }
            if let max = parameter.maxLength, s.unicodeScalars.count > max { return .failure("String must contain at most \(max) character(s)") }
            if parameter.location == .path {
                if s.isEmpty { return .failure("Must not be empty") }
                if s == "." || s == ".." { return .failure("Must not be '.' or '..'") }
                if s.contains("/") || s.contains("\\") { return .failure("Must not contain '/' or '\\'") }
                if s.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) { return .failure("Must not contain control characters") }
            }
        }
        if let values = parameter.enumValues, let s = normalised.stringValue, !values.contains(s) {
            return .failure("Invalid enum value. Expected \(values.map { "'\($0)'" }.joined(separator: " | ")), received '\(s)'")
        }
        if let number = normalised.doubleValue {
            if let min = parameter.minimum, number < min { return .failure("Number must be greater than or equal to \(JSONValue.format(min))") }
            if let max = parameter.maximum, number > max { return .failure("Number must be less than or equal to \(JSONValue.format(max))") }
        }
        return .success(normalised)
    }

    /// PATCH and PUT bodies may clear optional fields with null.
    public static func isUpdate(_ endpoint: Endpoint) -> Bool { endpoint.method == "PATCH" || endpoint.method == "PUT" }

    static func kind(_ value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool: "boolean"
        case .int: "integer"
        case .double: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }
}

/// The message for one argument that failed a check.
struct ArgumentProblem: Error, ExpressibleByStringLiteral, ExpressibleByStringInterpolation {
    var message: String
    init(stringLiteral value: String) { message = value }
    init(stringInterpolation: DefaultStringInterpolation) { message = String(stringInterpolation: stringInterpolation) }
}

extension Swift.Result where Failure == ArgumentProblem {
    static func failure(_ message: String) -> Self { .failure(ArgumentProblem(stringLiteral: message)) }
}
