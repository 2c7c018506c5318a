import Foundation
import GRDB

/// A workspace as the API layer needs it.
struct WorkspaceRow: Sendable {
    var id: String
    var displayName: String
    var timezone: String
    var currency: String
    var language: String
    var dateFormat: String
    var trackingCode: String
    var plan: String
    var subscriptionStatus: String
    var billingInterval: String
    var currentPeriodEnd: Millis
    var leadsPerDayLimit: Int
    var activeRotators: Int

    init(row: Row) {
        id = row["id"]
        displayName = row["displayName"]
        timezone = row["timezone"]
        currency = row["currency"]
        language = row["language"]
        dateFormat = row["dateFormat"]
        trackingCode = row["trackingCode"]
        plan = row["plan"]
        subscriptionStatus = row["subscriptionStatus"]
        billingInterval = row["billingInterval"]
        currentPeriodEnd = row["currentPeriodEnd"]
        leadsPerDayLimit = row["leadsPerDayLimit"]
        activeRotators = row["activeRotators"]
    }

    var zone: TimeZone { TimeZone(identifier: timezone) ?? TimeZone(secondsFromGMT: 7 * 3600)! }
}

/// An API key row joined with its workspace.
struct KeyRecord: Sendable {
    var id: String
    var scopes: Set<String>
    var revokedAt: Millis?
    var expiresAt: Millis?
    var ipAllowlist: [String]
    var workspace: WorkspaceRow
}

extension SandboxAPI {
    func key(hash: String) async throws -> KeyRecord? {
        try await database.writer.read { db in
            guard let key = try Row.fetchOne(db, sql: "SELECT * FROM api_keys WHERE keyHash = ?", arguments: [hash]),
                let workspace = try Row.fetchOne(db, sql: "SELECT * FROM workspaces WHERE id = ?", arguments: [key["workspaceId"] as String])
            else { return nil }
            let scopes: String = key["scopes"]
            let allowlist: String? = key["ipAllowlist"]
            return KeyRecord(
                id: key["id"], scopes: Set(scopes.split(separator: " ").map(String.init)), revokedAt: key["revokedAt"],
                expiresAt: key["expiresAt"], ipAllowlist: allowlist?.split(separator: " ").map(String.init) ?? [],
                workspace: WorkspaceRow(row: workspace))
        }
    }
}
