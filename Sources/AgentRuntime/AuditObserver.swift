import AgentCore
import AuditLog
import KonektorClient

/// Writes every request and response the client makes to the audit log (never the key: the client does not report it).
public struct AuditObserver: ClientObserver {
    let log: AuditLog
    let session: String

    public init(log: AuditLog, session: String) {
        self.log = log
        self.session = session
    }

    /// Records the request, durably, with every record staged before it; a log that cannot be written stops the request.
    public func willSend(_ request: RequestRecord) async throws {
        var data: JSONObject = ["tool": .string(request.tool), "method": .string(request.method), "path": .string(request.path), "query": .object(request.query), "attempt": .int(request.attempt)]
        if let body = request.body { data["body"] = .object(body) }
        if let call = AuditContext.callId { data["call"] = .string(call) }
        try log.append(AuditEvent(kind: "http-request", session: session, data: data))
    }

    /// Writes what is staged (before a person is told of a wait, say).
    public func flush() { try? log.flush() }

    public func didReceive(_ response: ResponseRecord) async {
        let ms = Double(response.duration.components.seconds) * 1000 + Double(response.duration.components.attoseconds) / 1e15
        var data: JSONObject = ["tool": .string(response.tool), "durationMs": .double((ms * 10).rounded() / 10), "attempt": .int(response.attempt)]
        data["status"] = response.status.map(JSONValue.int) ?? .null
        if let id = response.requestId { data["requestId"] = .string(id) }
        if let remaining = response.rateLimitRemaining { data["rateLimitRemaining"] = .int(remaining) }
        if let code = response.errorCode { data["errorCode"] = .string(code) }
        if let error = response.transportError { data["transportError"] = .string(error) }
        if let call = AuditContext.callId { data["call"] = .string(call) }
        // What a read returned goes to disk with the next durable record (at the latest the answer's); what a write did, at once.
        let event = AuditEvent(kind: "http-response", session: session, data: data)
        if response.mayChangeState { _ = try? log.append(event) } else { log.stage(event) }
    }
}
