/// Every kind of record konektor writes, so a filter with an unknown kind is an error that lists these, not an empty result.
public enum AuditKind: String, CaseIterable, Sendable {
    case logStart = "log-start"
    case sessionStart = "session-start"
    case request, plan, decision
    case validationFailure = "validation-failure"
    case confirmation, cancelled
    case grantRevoked = "grant-revoked"
    case httpRequest = "http-request"
    case httpResponse = "http-response"
    case error, answer
    case plannerError = "planner-error"
    case plannerUsage = "planner-usage"
    case approvalProposed = "approval-proposed"
    case approvalApproved = "approval-approved"
    case approvalRejected = "approval-rejected"
    case approvalExpired = "approval-expired"
    case approvalExecuting = "approval-executing"
    case approvalExecuted = "approval-executed"
    case approvalFailed = "approval-failed"
    case sessionEnd = "session-end"
    case checkpoint
    case tornWriteRecovered = "torn-write-recovered"

    /// The kinds' names, in the order a session writes them.
    public static var names: [String] { allCases.map(\.rawValue) }
}
