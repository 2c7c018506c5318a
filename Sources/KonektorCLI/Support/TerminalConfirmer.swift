import AgentCore
import Foundation
import LineEditor
import Planners

/// Asks the person at the terminal before a write: the exact request, the lead's current values beside the new ones.
///
/// Answers: yes, no, always (for this tool, this session), details (the
/// whole request as JSON, then the question again). Ctrl-C at the question
/// declines and cancels the turn; end of input declines.
struct TerminalConfirmer: Confirmer {
    /// Reads one answer after showing the prompt.
    let read: @Sendable (String) async -> LineEditor.Input
    let style: TerminalStyle
    var spinner: Spinner?

    func confirm(_ preview: WritePreview) async -> ConfirmationAnswer {
        spinner?.suspend()
        defer { spinner?.resume() }
        let indonesian = BuiltinPlanner.isIndonesian(preview.request)
        writeStandardError(Self.summary(preview, style: style, indonesian: indonesian))
        while true {
            switch await read(Self.question(preview, indonesian: indonesian)) {
            case .interrupted:
                writeStandardError(indonesian ? "dibatalkan; tidak ada yang dikirim\n" : "cancelled; nothing was sent\n")
                withUnsafeCurrentTask { $0?.cancel() }
                return .no
            case .endOfInput:
                return .no
            case .line(let raw):
                guard let answer = Self.answer(raw) else {
                    writeStandardError(Self.details(preview))
                    continue
                }
                return answer
            }
        }
    }

    /// The answer a typed word stands for; nil for "details".
    static func answer(_ raw: String) -> ConfirmationAnswer? {
        switch raw.trimmingCharacters(in: .whitespaces).lowercased() {
        case "y", "yes", "ya", "iya", "boleh", "lanjut", "ok", "oke": .yes
        case "a", "always", "selalu": .always
        case "d", "details", "detail", "?": nil
        default: .no
        }
    }

    /// The question, in the request's language.
    static func question(_ preview: WritePreview, indonesian: Bool) -> String {
        indonesian ? "Lanjutkan? [y]a / [n] tidak / [a] selalu untuk \(preview.tool) / [d]etail: "
                   : "Proceed? [y]es / [n]o / [a]lways for \(preview.tool) / [d]etails: "
    }

    static func summary(_ preview: WritePreview, style: TerminalStyle, indonesian: Bool = false) -> String {
        var text = "\n" + style.yellow(indonesian ? "Ini akan mengubah data:" : "This will change data:") + " " + style.bold("\(preview.method) \(preview.path)") + "\n"
        for (key, value) in preview.body ?? [:] {
            let before = preview.current?[key].map { show($0) + " → " } ?? ""
            text += "  \(key): \(before)\(show(value))\n"
        }
        return text + style.dim("(\(preview.reason))") + "\n"
    }

    static func details(_ preview: WritePreview) -> String {
        var request: JSONObject = ["method": .string(preview.method), "path": .string(preview.path), "body": preview.body.map(JSONValue.object) ?? .null]
        if let current = preview.current { request["currentValues"] = .object(current) }
        return JSONValue.object(request).jsonString(.pretty) + "\n"
    }

    static func show(_ value: JSONValue) -> String { value.stringValue ?? value.jsonString() }
}
