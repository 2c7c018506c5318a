import Foundation
@_exported import struct AgentCore.SeededGenerator

/// Test fixtures copied from `../shared`, so tests never read outside the package.
public enum Fixtures {
    /// The SKILL.md in Markdown (spec/konektor-SKILL.md).
    public static var skillMarkdown: String { text("konektor-SKILL.md") }

    /// The same document as a registry's text rendering: headings lost, one field name dropped.
    public static var skillTextRendering: String { text("konektor-SKILL-text-rendering.txt") }

    /// A fixture file's text.
    public static func text(_ name: String) -> String {
        guard let url = Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil),
            let text = try? String(contentsOf: url, encoding: .utf8)
        else { fatalError("missing test fixture \(name)") }
        return text
    }
}

/// Compares text with a golden file in `Tests/TestSupport/Fixtures/golden`.
///
/// Set `KONEKTOR_UPDATE_GOLDEN=1` to write the file instead, then review the diff.
public enum Golden {
    public static func check(_ actual: String, named name: String, sourceFile: String = #filePath) -> (matches: Bool, expected: String?) {
        let directory = URL(fileURLWithPath: sourceFile).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("TestSupport/Fixtures/golden")
        let url = directory.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["KONEKTOR_UPDATE_GOLDEN"] == "1" {
            try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try? actual.write(to: url, atomically: true, encoding: .utf8)
            return (true, actual)
        }
        let expected = try? String(contentsOf: url, encoding: .utf8)
        return (expected == actual, expected)
    }
}
