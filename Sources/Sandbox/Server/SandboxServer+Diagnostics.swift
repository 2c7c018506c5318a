import GRDB

extension SandboxServer {
    /// SQLite's plan for the queries behind the hot endpoints, to check that each uses an index.
    public func queryPlans() throws -> [(name: String, plan: [String])] {
        let queries: [(String, String)] = [
            ("leads, default order", "SELECT * FROM leads WHERE workspaceId = 'ws_toko_budi' AND deletedAt IS NULL ORDER BY createdAt DESC, seq DESC LIMIT 51"),
            ("leads, status filter", "SELECT * FROM leads WHERE workspaceId = 'ws_toko_budi' AND deletedAt IS NULL AND status = 'new' ORDER BY createdAt DESC, seq DESC LIMIT 51"),
            ("leads, by updatedAt", "SELECT * FROM leads WHERE workspaceId = 'ws_toko_budi' AND deletedAt IS NULL ORDER BY updatedAt ASC, seq ASC LIMIT 51"),
            ("leads, cursor", "SELECT * FROM leads WHERE workspaceId = 'ws_toko_budi' AND deletedAt IS NULL AND (createdAt, seq) < (1, 1) ORDER BY createdAt DESC, seq DESC LIMIT 51"),
            ("summary", "SELECT COUNT(*), TOTAL(status = 'new') FROM leads WHERE workspaceId = 'ws_toko_budi' AND deletedAt IS NULL AND createdAt <= 1 AND createdAt >= 0"),
            ("pending conversions", "SELECT id FROM leads INDEXED BY leads_sync WHERE workspaceId = 'ws_toko_budi' AND deletedAt IS NULL AND conversionSyncStatus IN ('pending', 'failed') ORDER BY updatedAt DESC, seq DESC LIMIT 100"),
        ]
        return try api.database.writer.read { db in
            try queries.map { name, sql in
                (name, try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql).map { $0["detail"] as String })
            }
        }
    }
}

extension SandboxServer {
    /// The SKILL.md every sandbox serves, rendered from its route table.
    public static var skillMarkdown: String { SandboxRoutes.skillMarkdown }
}
