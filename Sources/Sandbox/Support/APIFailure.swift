import AgentCore
import Hummingbird

/// An error the sandbox answers with, in the documented envelope.
struct APIFailure: Error, CustomStringConvertible {
    var status: HTTPResponse.Status
    var code: String
    var message: String
    var details: JSONValue = .null
    var headers: HTTPFields = [:]

    var description: String { "\(status.code) \(code): \(message)" }

    static func validation(_ details: JSONObject, message: String = "Invalid request parameters") -> APIFailure {
        APIFailure(status: .badRequest, code: "VALIDATION_ERROR", message: message, details: .object(details))
    }

    static func unauthorized(_ message: String) -> APIFailure {
        APIFailure(status: .unauthorized, code: "UNAUTHORIZED", message: message)
    }

    static func forbidden(_ message: String, details: JSONValue = .null) -> APIFailure {
        APIFailure(status: .forbidden, code: "FORBIDDEN", message: message, details: details)
    }

    static func notFound(_ message: String) -> APIFailure {
        APIFailure(status: .notFound, code: "NOT_FOUND", message: message)
    }

    var envelope: JSONValue {
        ["success": false, "error": ["code": .string(code), "message": .string(message), "details": details]]
    }
}
