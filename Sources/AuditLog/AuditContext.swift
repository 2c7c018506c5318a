/// What the audit log records about the step in progress, carried down the task tree.
///
/// The session sets the call id around everything one tool call does, so the
/// client's request and response records (written by an observer that knows
/// nothing of sessions) carry the same id as the call's plan, decision and
/// confirmation.
public enum AuditContext {
    @TaskLocal public static var callId: String?
}
