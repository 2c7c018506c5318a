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
        // Rows recovered from a listing come split already; a row that could not be split (no cells) is left out.
        let parsed = lines.filter { $0.cells?.isEmpty != true }.map { Row(line: $0.number, cells: $0.cells ?? Self.cells($0.text)) }
        firstLine = lines.first?.number ?? 0
        if let first = lines.first, first.isHeader {
            header = parsed.first?.cells
            rows = Array(parsed.dropFirst())
        } else if parsed.count >= 2, Self.isSeparator(parsed[1].cells) {
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
        var text = text
        text.makeContiguousUTF8()
        return text.utf8.withContiguousStorageIfAvailable { all -> [String] in
            var start = 0
            var end = all.count
            if end > 0, all[0] == UInt8(ascii: "|") { start = 1 }
            if end > start, all[end - 1] == UInt8(ascii: "|") { end -= 1 }
            func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0D }
            var cells: [String] = []
            var cellStart = start
            var i = start
            while i <= end {
                if i == end || all[i] == UInt8(ascii: "|") {
                    var a = cellStart
                    var b = i
                    while a < b, isSpace(all[a]) { a += 1 }
                    while b > a, isSpace(all[b - 1]) { b -= 1 }
                    cells.append(String(decoding: UnsafeBufferPointer(rebasing: all[a..<b]), as: UTF8.self))
                    cellStart = i + 1
                }
                i += 1
            }
            return cells
        } ?? []
    }

    static func isSeparator(_ cells: [String]) -> Bool {
        !cells.isEmpty && cells.allSatisfy { cell in
            !cell.isEmpty && cell.contains("-") && cell.allSatisfy { $0 == "-" || $0 == ":" }
        }
    }
}
