import AgentCore

/// One path, query or body parameter, with what its description implies made explicit.
public struct Parameter: Sendable, Hashable {
    public var name: String
    public var location: Location
    public var type: ParameterType
    public var required: Bool
    public var description: String
    /// Allowed values, when the description or the Values Reference lists them.
    public var enumValues: [String]?
    public var minimum: Double?
    public var maximum: Double?
    public var minLength: Int?
    public var maxLength: Int?
    public var defaultValue: JSONValue?
    /// A string format beyond the type (`email`).
    public var format: String?

    public init(
        name: String, location: Location, type: ParameterType, required: Bool, description: String,
        enumValues: [String]? = nil, minimum: Double? = nil, maximum: Double? = nil, minLength: Int? = nil,
        maxLength: Int? = nil, defaultValue: JSONValue? = nil, format: String? = nil
    ) {
        self.name = name
        self.location = location
        self.type = type
        self.required = required
        self.description = description
        self.enumValues = enumValues
        self.minimum = minimum
        self.maximum = maximum
        self.minLength = minLength
        self.maxLength = maxLength
        self.defaultValue = defaultValue
        self.format = format
    }

    /// Where a parameter travels in the request.
    public enum Location: String, Sendable, Hashable, CaseIterable {
        case path, query, body
    }
}

/// The value types SKILL.md uses.
public enum ParameterType: String, Sendable, Hashable, CaseIterable {
    case integer
    case number
    case string
    /// `string (UUID)`.
    case uuid
    /// `string (ISO 8601)`.
    case dateTime

    /// The spelling SKILL.md uses.
    public var documentSpelling: String {
        switch self {
        case .integer: "integer"
        case .number: "number"
        case .string: "string"
        case .uuid: "string (UUID)"
        case .dateTime: "string (ISO 8601)"
        }
    }
}
