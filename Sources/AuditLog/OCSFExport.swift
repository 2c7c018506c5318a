import AgentCore
import Foundation

/// `audit export --format ocsf`: one OCSF API Activity event (class 6003) per tool call, for a SIEM.
///
/// A call's plan, decision, confirmation or approval, request and response
/// records (linked by the call id) become one event: the actor (OS user,
/// host, session, planner), the API call (tool, method, path, status,
/// request id), the disposition (allowed, denied, pending) with the rule
/// that decided, and the chain fields of its last record (seq, hash, prev) so
/// an event can be checked against the log. Validated against the OCSF
/// schema (compiled by `scripts/ocsf-json-schema`) in the tests.
public enum OCSFExport {
    /// The OCSF version the events follow (the schema the tests validate against).
    public static let version = "1.9.0-dev"
    static let classUID = 6003
    static let categoryUID = 6

    /// The OCSF disposition of a call.
    public enum Disposition: String, Sendable {
        case allowed, denied, pending

        var dispositionID: Int { switch self { case .allowed: 1; case .denied: 2; case .pending: 14 } }
        var caption: String { switch self { case .allowed: "Allowed"; case .denied: "Blocked"; case .pending: "Delayed" } }
        var actionID: Int { switch self { case .allowed: 1; case .denied: 2; case .pending: 99 } }
        var action: String { switch self { case .allowed: "Allowed"; case .denied: "Denied"; case .pending: "Pending" } }
    }

    /// OCSF activity of an HTTP method: Create, Read, Update, Delete (Unknown without one).
    static func activity(_ method: String?) -> (id: Int, name: String) {
        switch method?.uppercased() {
        case "GET": (2, "Read")
        case "POST": (1, "Create")
        case "PATCH", "PUT": (3, "Update")
        case "DELETE": (4, "Delete")
        default: (0, "Unknown")
        }
    }

    /// One event per call id, in the order the calls began.
    public static func events(_ rows: [(record: AuditRecord, user: String?)]) -> [JSONValue] {
        var starts: [String: AuditRecord] = [:]
        var order: [String] = []
        var byCall: [String: [AuditRecord]] = [:]
        var approvals: [String: [AuditRecord]] = [:]
        for (r, _) in rows {
            if r.kind == "session-start" { starts[r.session] = r }
            if r.kind.hasPrefix("approval-"), let ref = r.data["approval"]?.stringValue { approvals[ref, default: []].append(r) }
            guard let call = r.data["call"]?.stringValue else { continue }
            if byCall[call] == nil { order.append(call) }
            byCall[call, default: []].append(r)
        }
        return order.compactMap { call in
            var records = byCall[call] ?? []
            guard let first = records.first, records.contains(where: { $0.kind == "decision" }) else { return nil }
            if let ref = records.first(where: { $0.kind == "approval-proposed" })?.data["approval"]?.stringValue {
                records += (approvals[ref] ?? []).filter { !records.contains($0) }
            }
            return event(call: call, records: records, start: starts[first.session])
        }
    }

    static func event(call: String, records: [AuditRecord], start: AuditRecord?) -> JSONValue {
        let first = records[0]
        let last = records.max { $0.seq < $1.seq } ?? first
        func value(_ kind: String, _ key: String) -> JSONValue? { records.last { $0.kind == kind && $0.data[key] != nil }?.data[key] }
        let tool = first.data["tool"]?.stringValue ?? ""
        let decision = value("decision", "decision")?.stringValue
        let method = value("http-request", "method")?.stringValue ?? value("confirmation", "method")?.stringValue ?? value("approval-proposed", "method")?.stringValue
        let path = value("http-request", "path")?.stringValue ?? value("confirmation", "path")?.stringValue ?? value("approval-proposed", "path")?.stringValue
        let status = value("http-response", "status")?.intValue ?? records.last { $0.kind == "approval-executed" }?.data["status"]?.intValue
        let requestId = value("http-response", "requestId")?.stringValue ?? records.last { $0.kind == "approval-executed" }?.data["requestId"]?.stringValue
        let approvalStates = records.filter { $0.kind.hasPrefix("approval-") }.map(\.kind)
        let declined = value("confirmation", "answer") == "no"
        let disposition: Disposition =
            if decision == "deny" || declined || approvalStates.contains("approval-rejected") || approvalStates.contains("approval-expired") { .denied }
            else if approvalStates.contains("approval-proposed") && !approvalStates.contains("approval-executed") && !approvalStates.contains("approval-failed") && status == nil { .pending }
            else { .allowed }
        let activity = activity(method)
        let millis = AuditTimeBound.recordMillis(last.time) ?? 0
        let user = start?.data["user"]?.stringValue ?? "unknown"

        var actor: JSONObject = [
            "user": ["name": .string(user), "type_id": 1, "type": "User"],
            "session": ["uid": .string(first.session)],
            "app_name": .string("konektor"),
        ]
        if let planner = start?.data["planner"]?.stringValue { actor["app_uid"] = .string("planner:\(planner)") }
        var api: JSONObject = [
            "operation": .string(tool),
            "service": ["name": "Konektor Agent API v2"],
            "request": ["uid": .string(call)],
        ]
        var response = JSONObject()
        if let status { response["code"] = .int(status) }
        if let requestId { response["message"] = .string("X-Request-Id \(requestId)") }
        if !response.isEmpty { api["response"] = .object(response) }

        var event: JSONObject = [
            "class_uid": .int(classUID), "class_name": "API Activity", "category_uid": .int(categoryUID), "category_name": "Application Activity",
            "activity_id": .int(activity.id), "activity_name": .string(activity.name), "type_uid": .int(classUID * 100 + activity.id),
            "type_name": .string("API Activity: \(activity.name)"),
            "time": .int(Int(millis)), "severity_id": .int(disposition == .denied ? 3 : 1), "severity": .string(disposition == .denied ? "Medium" : "Informational"),
            "actor": .object(actor), "api": .object(api),
            "src_endpoint": ["hostname": .string(start?.data["host"]?.stringValue ?? "unknown")],
            "disposition_id": .int(disposition.dispositionID), "disposition": .string(disposition.caption),
            "action_id": .int(disposition.actionID), "action": .string(disposition.action),
            "metadata": [
                "version": .string(version), "product": ["name": "konektor", "vendor_name": "konektor"],
                "log_name": "konektor audit", "uid": .string(last.hash), "sequence": .int(last.seq), "correlation_uid": .string(call),
            ],
        ]
        if let rule = value("decision", "rule")?.stringValue { event["policy"] = ["name": .string(rule), "desc": .string(value("decision", "reason")?.stringValue ?? "")] }
        if let base = start?.data["baseURL"]?.stringValue, let host = URL(string: base)?.host { event["dst_endpoint"] = ["hostname": .string(host)] }
        if let method {
            var url: JSONObject = [:]
            if let path { url["path"] = .string(path) }
            event["http_request"] = ["http_method": .string(method), "url": .object(url)]
        }
        if let status { event["http_response"] = ["code": .int(status)] }
        if status != nil {
            event["status_id"] = .int((200..<300).contains(status!) ? 1 : 2)
            event["status"] = .string((200..<300).contains(status!) ? "Success" : "Failure")
            event["status_code"] = .string(String(status!))
        }
        if let lead = records.first(where: { $0.data["lead"] != nil })?.data["lead"]?.stringValue {
            var resource: JSONObject = ["uid": .string(lead), "type": "lead"]
            if let code = records.compactMap({ $0.data["leadCode"]?.stringValue }).first { resource["name"] = .string(code) }
            event["resources"] = [.object(resource)]
        }
        var konektor: JSONObject = [
            "call": .string(call), "seq": .int(last.seq), "hash": .string(last.hash), "prev": .string(last.prev),
            "records": .array(records.map { .int($0.seq) }), "decision": decision.map(JSONValue.string) ?? .null,
            "disposition": .string(disposition.rawValue),
        ]
        if let confirmation = records.last(where: { $0.kind == "confirmation" }) {
            konektor["confirmation"] = ["answer": confirmation.data["answer"] ?? .null, "by": confirmation.data["by"] ?? .null, "how": confirmation.data["how"] ?? .null,
                                        "grantSeq": confirmation.data["grantSeq"] ?? .null]
        }
        if let approved = records.last(where: { $0.kind == "approval-approved" || $0.kind == "approval-rejected" }) {
            konektor["approval"] = ["state": .string(String(approved.kind.dropFirst("approval-".count))), "by": approved.data["decidedBy"] ?? .null, "note": approved.data["note"] ?? .null]
        }
        event["unmapped"] = ["konektor": .object(konektor)]
        return .object(event)
    }
}
