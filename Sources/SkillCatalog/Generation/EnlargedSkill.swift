/// A large SKILL.md made from a real one, for measuring and for tests that a big document stays fast.
///
/// The document is repeated until it reaches a size; every copy after the
/// first gets its own endpoint titles (`List Leads Copy2`), paths
/// (`/api/v2/agent/copy2/leads`) and cross-references, so each copy adds real
/// endpoints for the reader to build rather than duplicates it skips.
public struct EnlargedSkill: Sendable {
    /// The generated document.
    public var text: String
    /// How many copies of the source it holds (the first one unchanged).
    public var copies: Int

    /// Repeats `markdown` until the result has at least `bytes` UTF-8 bytes (and at least one copy).
    public init(from markdown: String, atLeast bytes: Int) {
        let lines = markdown.split(separator: "\n", omittingEmptySubsequences: false)
        let size = max(markdown.utf8.count + 1, 1)
        let copies = max(1, (bytes + size - 1) / size)
        var text = ""
        text.reserveCapacity(copies * (size + 256))
        for copy in 1...copies {
            for line in lines {
                text += copy == 1 ? String(line) : Self.renamed(line, copy: copy)
                text += "\n"
            }
        }
        self.text = text
        self.copies = copies
    }

    /// One line of copy `copy`: headings, Path rows and `Same as …` references get the copy's suffix.
    static func renamed(_ line: Substring, copy: Int) -> String {
        let suffix = " Copy\(copy)"
        if line.hasPrefix("### ") { return String(line) + suffix }
        if line.hasPrefix("| Path | /api/v2/agent/") {
            return "| Path | /api/v2/agent/copy\(copy)/" + line.dropFirst("| Path | /api/v2/agent/".count)
        }
        for marker in ["Same fields as ", "Same as "] {
            guard let range = line.range(of: marker) else { continue }
            let rest = line[range.upperBound...]
            // The title runs to the first comma or full stop.
            let end = rest.firstIndex { $0 == "," || $0 == "." } ?? rest.endIndex
            return String(line[..<end]) + suffix + String(line[end...])
        }
        return String(line)
    }
}
