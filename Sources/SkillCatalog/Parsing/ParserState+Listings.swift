extension ParserState {
    /// Turns the tables of a registry listing, printed without `|` separators, back into table rows.
    ///
    /// A table starts at a line that is a known header glued or spaced
    /// (`ParameterTypeRequiredDescription`, `Scope Description`) or at an
    /// endpoint's first row (`MethodGET`), and runs to the next blank line
    /// (an endpoint's table, to the first line that is not one of its keys).
    /// Each row is split by ``ListingTable``; the rows keep their line numbers,
    /// so every later diagnostic points into the listing. Markdown tables, code
    /// blocks and documents without such lines are left alone.
    mutating func readListingTables() {
        var tables: [(start: Int, end: Int, table: ListingTable)] = []
        var inFence = false
        var i = 0
        while i < lines.count {
            let text = lines[i].text
            if text.startsWithASCII("```") { inFence.toggle() }
            guard !inFence, !text.isEmpty, !text.startsWithASCII("|"),
                let table = ListingTable(headerLine: text) ?? ListingTable(endpointLine: text)
            else {
                i += 1
                continue
            }
            var end = i + 1
            // An endpoint's table holds only its known keys, so a label right under it (`Query Parameters:`) stays text.
            let keys = table.header == nil ? ListingTable.endpointKeys : nil
            while end < lines.count, !lines[end].text.isEmpty,
                keys.map({ keys in keys.contains { lines[end].text.hasPrefix($0) } }) ?? true
            {
                end += 1
            }
            tables.append((i, end, table))
            i = end
        }
        guard !tables.isEmpty else { return }
        // The vocabulary is every line outside these tables: the prose, lists and examples.
        var inTable = [Bool](repeating: false, count: lines.count)
        for t in tables { for j in t.start..<t.end { inTable[j] = true } }
        var vocabulary = DocumentVocabulary(lines: [])
        for j in lines.indices where !inTable[j] { vocabulary.add(lines[j].text) }
        for t in tables {
            let first = lines[t.start]
            var rows = t.start
            if let header = t.table.header {
                diagnose(.note, first.number,
                    "table '\(header.joined(separator: " | "))' has its cells \(t.table.spaced ? "separated by spaces" : "glued together"); split by its columns and the document's vocabulary")
                lines[t.start].cells = header
                lines[t.start].isHeader = true
                lines[t.start].text = "|"
                rows += 1
            }
            while rows < t.end {
                let line = lines[rows]
                guard let split = t.table.split(line.text, vocabulary: vocabulary) else {
                    diagnose(.warning, line.number, "'\(Self.printable(String(line.text)))' does not fit the columns of the table above; skipped")
                    // Kept as an empty row, so the table is not cut in two.
                    lines[rows].cells = []
                    lines[rows].text = "|"
                    rows += 1
                    continue
                }
                if let column = split.guessedCell {
                    let how = split.confidence == .vocabulary ? "a term the document uses elsewhere" : "letter case alone"
                    diagnose(split.confidence == .vocabulary ? .note : .warning, line.number,
                        "took '\(split.cells[column])' as the \(t.table.header?[column] ?? "key") cell by \(how)")
                }
                if split.ambiguous {
                    diagnose(.warning, line.number, "row can be split more than one way; took '\(split.cells.joined(separator: " | "))'")
                }
                lines[rows].cells = split.cells
                lines[rows].text = "|"
                rows += 1
            }
        }
    }
}
