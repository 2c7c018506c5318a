import AgentCore

/// What a catalog lets a session call — tool, method, path and scope of each endpoint — and how two such tables differ.
///
/// A SKILL.md fetched from the network is untrusted: a compromised server
/// could add an endpoint, turn a read into a write or drop a scope. The table
/// is what a pin keeps and compares; descriptions are not part of it, so a
/// reworded SKILL.md is taken without asking.
public struct EndpointTable: Sendable, Hashable {
    public struct Row: Sendable, Hashable, Comparable {
        public var tool: String
        public var method: String
        public var path: String
        /// The scope, or nil for a public endpoint.
        public var scope: String?

        public init(tool: String, method: String, path: String, scope: String?) {
            self.tool = tool
            self.method = method
            self.path = path
            self.scope = scope
        }

        public static func < (a: Row, b: Row) -> Bool { (a.tool, a.method, a.path) < (b.tool, b.method, b.path) }

        public var jsonValue: JSONValue {
            ["tool": .string(tool), "method": .string(method), "path": .string(path), "scope": scope.map(JSONValue.string) ?? .null]
        }

        public init?(json: JSONValue) {
            guard let tool = json["tool"]?.stringValue, let method = json["method"]?.stringValue, let path = json["path"]?.stringValue else { return nil }
            self.init(tool: tool, method: method, path: path, scope: json["scope"]?.stringValue)
        }
    }

    /// A difference that needs a person's decision before the new catalog is used.
    public enum Change: Sendable, Hashable, CustomStringConvertible {
        case added(Row)
        case removed(Row)
        case method(tool: String, from: String, to: String)
        case path(tool: String, from: String, to: String)
        case scope(tool: String, from: String?, to: String?)

        public var description: String {
            switch self {
            case .added(let row): "+ \(row.tool): \(row.method) \(row.path) (\(row.scope ?? "no scope"))"
            case .removed(let row): "- \(row.tool): \(row.method) \(row.path) (\(row.scope ?? "no scope"))"
            case .method(let tool, let from, let to): "~ \(tool): method \(from) → \(to)"
            case .path(let tool, let from, let to): "~ \(tool): path \(from) → \(to)"
            case .scope(let tool, let from, let to): "~ \(tool): scope \(from ?? "none") → \(to ?? "none")"
            }
        }
    }

    public var rows: [Row]

    public init(rows: [Row]) { self.rows = rows.sorted() }

    public init(_ catalog: Catalog) {
        self.init(rows: catalog.endpoints.map { Row(tool: $0.toolName, method: $0.method, path: $0.pathTemplate, scope: $0.auth.scope) })
    }

    public var jsonValue: JSONValue { .array(rows.map(\.jsonValue)) }

    /// What `newer` changes relative to this table, by tool name; empty when only descriptions differ.
    public func changes(to newer: EndpointTable) -> [Change] {
        let old = Dictionary(rows.map { ($0.tool, $0) }, uniquingKeysWith: { a, _ in a })
        let new = Dictionary(newer.rows.map { ($0.tool, $0) }, uniquingKeysWith: { a, _ in a })
        var changes: [Change] = []
        for row in newer.rows {
            guard let before = old[row.tool] else { changes.append(.added(row)); continue }
            if before.method != row.method { changes.append(.method(tool: row.tool, from: before.method, to: row.method)) }
            if before.path != row.path { changes.append(.path(tool: row.tool, from: before.path, to: row.path)) }
            if before.scope != row.scope { changes.append(.scope(tool: row.tool, from: before.scope, to: row.scope)) }
        }
        for row in rows where new[row.tool] == nil { changes.append(.removed(row)) }
        // Two endpoints under one tool name in either table is a change of its own kind: compare whole rows too.
        if changes.isEmpty, rows != newer.rows {
            changes += Set(newer.rows).subtracting(rows).sorted().map(Change.added)
            changes += Set(rows).subtracting(newer.rows).sorted().map(Change.removed)
        }
        return changes
    }
}
