import Foundation
import GRDB

/// The sandbox's SQLite database: schema, migrations and the connection.
///
/// In memory unless a path is given; a file database uses WAL so readers do
/// not wait for writers, and is migrated by schema version on open.
struct SandboxDatabase: Sendable {
    let writer: any DatabaseWriter

    static func open(path: String?) throws -> SandboxDatabase {
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA foreign_keys = ON")
        }
        let writer: any DatabaseWriter
        if let path {
            writer = try DatabasePool(path: path, configuration: configuration)
        } else {
            writer = try DatabaseQueue(configuration: configuration)
        }
        try migrator.migrate(writer)
        return SandboxDatabase(writer: writer)
    }

    /// Version 1 of the schema. Later versions add migrations; none edits an old one.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
                CREATE TABLE workspaces (
                    id TEXT PRIMARY KEY,
                    displayName TEXT NOT NULL,
                    timezone TEXT NOT NULL,
                    currency TEXT NOT NULL,
                    language TEXT NOT NULL,
                    dateFormat TEXT NOT NULL,
                    trackingCode TEXT NOT NULL,
                    plan TEXT NOT NULL,
                    subscriptionStatus TEXT NOT NULL,
                    billingInterval TEXT NOT NULL,
                    currentPeriodEnd INTEGER NOT NULL,
                    leadsPerDayLimit INTEGER NOT NULL,
                    activeRotators INTEGER NOT NULL,
                    nextLeadNumber INTEGER NOT NULL DEFAULT 1
                );
                CREATE TABLE team_members (
                    id TEXT PRIMARY KEY,
                    workspaceId TEXT NOT NULL REFERENCES workspaces(id),
                    name TEXT NOT NULL,
                    email TEXT NOT NULL
                );
                CREATE TABLE api_keys (
                    id TEXT PRIMARY KEY,
                    workspaceId TEXT NOT NULL REFERENCES workspaces(id),
                    name TEXT NOT NULL,
                    keyHash TEXT NOT NULL UNIQUE,
                    prefix TEXT NOT NULL,
                    scopes TEXT NOT NULL,
                    revokedAt INTEGER,
                    expiresAt INTEGER,
                    ipAllowlist TEXT
                );
                CREATE TABLE leads (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    id TEXT NOT NULL UNIQUE,
                    workspaceId TEXT NOT NULL REFERENCES workspaces(id),
                    uniqueCode TEXT NOT NULL,
                    firstName TEXT NOT NULL,
                    lastName TEXT,
                    email TEXT,
                    phone TEXT,
                    status TEXT NOT NULL,
                    priority TEXT NOT NULL,
                    source TEXT,
                    adPlatform TEXT,
                    assignedTo TEXT,
                    estimatedValue REAL,
                    actualValue REAL,
                    notes TEXT,
                    externalRef TEXT,
                    campaignName TEXT,
                    conversionSyncStatus TEXT NOT NULL DEFAULT 'none',
                    lastConversionSyncAt INTEGER,
                    createdAt INTEGER NOT NULL,
                    updatedAt INTEGER NOT NULL,
                    deletedAt INTEGER,
                    UNIQUE (workspaceId, uniqueCode)
                );
                CREATE INDEX leads_created ON leads (workspaceId, createdAt, seq) WHERE deletedAt IS NULL;
                CREATE INDEX leads_updated ON leads (workspaceId, updatedAt, seq) WHERE deletedAt IS NULL;
                CREATE INDEX leads_status_created ON leads (workspaceId, status, createdAt, seq) WHERE deletedAt IS NULL;
                CREATE INDEX leads_sync ON leads (workspaceId, conversionSyncStatus, updatedAt) WHERE deletedAt IS NULL;
                CREATE INDEX leads_phone ON leads (workspaceId, phone);
                CREATE INDEX leads_external ON leads (workspaceId, externalRef);
                CREATE TABLE tickets (
                    id TEXT PRIMARY KEY,
                    workspaceId TEXT NOT NULL REFERENCES workspaces(id),
                    ticketRef TEXT NOT NULL UNIQUE,
                    subject TEXT NOT NULL,
                    message TEXT NOT NULL,
                    status TEXT NOT NULL,
                    priority TEXT NOT NULL,
                    createdAt INTEGER NOT NULL
                );
                """)
        }
        migrator.registerMigration("v2: daily usage index") { db in
            // Usage counts every lead created today, deleted or not: the partial indexes cannot serve it.
            try db.execute(sql: "CREATE INDEX leads_created_all ON leads (workspaceId, createdAt)")
        }
        return migrator
    }
}
