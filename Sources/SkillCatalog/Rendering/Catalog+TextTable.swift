extension Catalog {
    /// A readable table of the tools: name, method, path, scope, read or write.
    public func textTable() -> String {
        var header = title
        if let version { header += " \(version)" }
        if let lastUpdated { header += " (\(lastUpdated))" }
        if let baseURL { header += " — \(baseURL)" }
        let rows = [["TOOL", "METHOD", "PATH", "SCOPE", "ACCESS"]]
            + endpoints.map { e in
                [e.isTool ? e.toolName : "(document)", e.method, e.pathTemplate, e.auth.scope ?? "public", e.isWrite ? "write" : e.writeSuspicion != nil ? "write?" : "read"]
            }
        let widths = (0..<5).map { column in rows.map { $0[column].count }.max() ?? 0 }
        var out = header + "\n\n"
        for row in rows {
            let line = row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[index] - cell.count)
            }.joined(separator: "  ")
            out += line + "\n"
        }
        out += "\n\(tools.count) tools, \(tools.filter(\.isWrite).count) of them write; scopes: \(scopes.map(\.name).joined(separator: ", "))\n"
        return out
    }
}
