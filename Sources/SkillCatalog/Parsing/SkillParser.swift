import AgentCore

/// Reads a SKILL.md into a ``Catalog`` and the diagnostics of what it had to guess or recover.
///
/// The reader accepts the Markdown document, renderings that lost their
/// headings (a registry's plain-text view) and registry listings whose tables
/// lost their `|` separators (cells glued together or separated by spaces):
/// it recognises tables by their header columns and endpoints by their
/// Method/Path rows rather than by heading levels. The document is data from
/// the network: a path that could leave the base URL's origin or the
/// documented path drops its endpoint (``PathProblem``), and a GET that looks
/// like a write is marked (``WriteSuspicion``). It never throws, never loops
/// on its input, and its time grows linearly with the document; everything it
/// could not make sense of becomes a ``Diagnostic``.
public struct SkillParser: Sendable {
    /// The catalog and what the reader had to say about the document.
    public struct Result: Sendable {
        public var catalog: Catalog
        public var diagnostics: [Diagnostic]

        /// True when a diagnostic of severity error was produced.
        public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
    }

    /// Parses SKILL.md text; `file` names the document in diagnostics.
    public static func parse(_ text: String, file: String? = nil) -> Result {
        var state = ParserState(lines: SourceLine.split(text), file: file)
        state.run()
        return Result(catalog: state.catalog, diagnostics: state.diagnostics)
    }
}

/// One line of the document with its 1-based number.
struct SourceLine {
    var number: Int
    var text: Substring
    /// The cells of a table row recovered from a listing (its text is then just `|`); an empty array is a row that did not split.
    var cells: [String]? = nil
    /// True for a listing table's header row, which has no separator row under it.
    var isHeader = false

    /// Splits on `\n` and trims ASCII white space, on the UTF-8 bytes, so a 16 KB document takes microseconds.
    static func split(_ text: String) -> [SourceLine] {
        var text = text
        text.makeContiguousUTF8()
        return text.utf8.withContiguousStorageIfAvailable { bytes -> [SourceLine] in
            var lines: [SourceLine] = []
            lines.reserveCapacity(512)
            func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0D || b == 0x0B || b == 0x0C }
            var number = 0
            var lineStart = 0
            func add(_ end: Int) {
                number += 1
                var start = lineStart
                var stop = end
                while start < stop, isSpace(bytes[start]) { start += 1 }
                while stop > start, isSpace(bytes[stop - 1]) { stop -= 1 }
                lines.append(SourceLine(number: number, text: Substring(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<stop]), as: UTF8.self))))
            }
            var i = 0
            while i < bytes.count {
                if bytes[i] == 0x0A {
                    add(i)
                    lineStart = i + 1
                }
                i += 1
            }
            add(bytes.count)
            return lines
        } ?? []
    }
}

extension Substring {
    /// Trims ASCII white space (and the non-breaking space), working on UTF-8.
    func trimmingWhitespace() -> Substring {
        var start = startIndex
        var end = endIndex
        let u = utf8
        func isSpace(_ i: String.Index) -> Bool {
            let b = u[i]
            return b == 0x20 || b == 0x09 || b == 0x0D || b == 0x0A || b == 0x0B || b == 0x0C
        }
        while start < end, isSpace(start) { start = u.index(after: start) }
        while end > start, isSpace(u.index(before: end)) { end = u.index(before: end) }
        return self[start..<end]
    }
}

extension String {
    func trimmingWhitespace() -> String { String(self[...].trimmingWhitespace()) }
}
