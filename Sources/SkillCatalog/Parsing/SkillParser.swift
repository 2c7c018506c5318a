import AgentCore

/// Reads a SKILL.md into a ``Catalog`` and the diagnostics of what it had to guess or recover.
///
/// The reader accepts the Markdown document and renderings that lost their
/// headings (a registry's plain-text view): it recognises tables by their
/// header columns and endpoints by their Method/Path rows rather than by
/// heading levels. It never throws and never loops on its input; everything
/// it could not make sense of becomes a ``Diagnostic``.
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

    static func split(_ text: String) -> [SourceLine] {
        var lines: [SourceLine] = []
        var number = 0
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            number += 1
            lines.append(SourceLine(number: number, text: raw.trimmingWhitespace()))
        }
        return lines
    }
}

extension Substring {
    func trimmingWhitespace() -> Substring {
        var start = startIndex
        var end = endIndex
        while start < end, self[start].isWhitespace { start = index(after: start) }
        while end > start, self[index(before: end)].isWhitespace { end = index(before: end) }
        return self[start..<end]
    }
}

extension String {
    func trimmingWhitespace() -> String { String(self[...].trimmingWhitespace()) }
}
