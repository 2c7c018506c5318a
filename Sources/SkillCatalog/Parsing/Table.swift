/// A run of `|`-delimited lines: an optional header and its rows.
struct Table {
    struct Row {
        var line: Int
        var cells: [String]
    }

    /// The header cells when the table has a separator row under its first row.
    var header: [String]?
    var rows: [Row]
    var firstLine: Int

    init(lines: ArraySlice<SourceLine>) {
        let parsed = lines.map { Row(line: $0.number, cells: Self.cells($0.text)) }
        firstLine = lines.first?.number ?? 0
        if parsed.count >= 2, Self.isSeparator(parsed[1].cells) {
            header = parsed[0].cells
            rows = parsed.dropFirst(2).filter { !Self.isSeparator($0.cells) }
        } else {
            header = nil
            rows = parsed.filter { !Self.isSeparator($0.cells) }
        }
    }

    /// A two-column key/value table (its header empty or absent) holding these keys.
    func isKeyValue(requiredKeys: [String]) -> Bool {
        if let header, header.contains(where: { !$0.isEmpty }) { return false }
        let keys = Set(rows.compactMap { $0.cells.first })
        return requiredKeys.contains { keys.contains($0) }
    }

    static func cells(_ text: Substring) -> [String] {
        var body = text
        if body.hasPrefix("|") { body = body.dropFirst() }
        if body.hasSuffix("|") { body = body.dropLast() }
        return body.split(separator: "|", omittingEmptySubsequences: false).map { String($0.trimmingWhitespace()) }
    }

    static func isSeparator(_ cells: [String]) -> Bool {
        !cells.isEmpty && cells.allSatisfy { cell in
            !cell.isEmpty && cell.contains("-") && cell.allSatisfy { $0 == "-" || $0 == ":" }
        }
    }
}
