import AgentCore

/// Why the server refused a request or a state change, as the error envelope names it.
public struct SupervisionError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable, CaseIterable {
        case unauthorized = "UNAUTHORIZED"
        case forbidden = "FORBIDDEN"
        case notFound = "NOT_FOUND"
        case validation = "VALIDATION_ERROR"
        case conflict = "CONFLICT"
        case gone = "GONE"
        case rateLimited = "RATE_LIMITED"
        case payloadTooLarge = "PAYLOAD_TOO_LARGE"
        case methodNotAllowed = "METHOD_NOT_ALLOWED"
        case `internal` = "INTERNAL_ERROR"

        public var status: Int {
            switch self {
            case .unauthorized: 401
            case .forbidden: 403
            case .notFound: 404
            case .validation: 400
            case .conflict: 409
            case .gone: 410
            case .rateLimited: 429
            case .payloadTooLarge: 413
            case .methodNotAllowed: 405
            case .internal: 500
            }
        }
    }

    public var code: Code
    public var message: String
    public var details: JSONValue

    public init(_ code: Code, _ message: String, details: JSONValue = .null) {
        self.code = code
        self.message = message
        self.details = details
    }

    public var description: String { "\(code.status) \(code.rawValue): \(message)" }

    public var envelope: JSONValue {
        ["success": false, "error": ["code": .string(code.rawValue), "message": .string(message), "details": details]]
    }

    static func unauthorized(_ message: String) -> Self { .init(.unauthorized, message) }
    static func forbidden(_ message: String) -> Self { .init(.forbidden, message) }
    static func notFound(_ message: String) -> Self { .init(.notFound, message) }
    static func conflict(_ message: String) -> Self { .init(.conflict, message) }
    static func gone(_ message: String) -> Self { .init(.gone, message) }
    static func `internal`(_ message: String) -> Self { .init(.internal, message) }
    static func validation(_ details: JSONObject, message: String = "Invalid request") -> Self { .init(.validation, message, details: .object(details)) }
}
