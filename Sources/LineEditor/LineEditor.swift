import CLibEdit
import Foundation

/// Reads lines at a terminal with libedit: history, Ctrl-R search, Tab completion, Ctrl-C and Ctrl-D.
///
/// When standard input is not a terminal it reads plain lines and keeps no
/// history. A pasted block (several lines arriving at once) is returned as
/// one multi-line input.
public final class LineEditor: @unchecked Sendable {
    /// What a read produced.
    public enum Input: Equatable, Sendable {
        case line(String)
        /// Ctrl-C at the prompt: the line was discarded.
        case interrupted
        /// Ctrl-D or the end of piped input.
        case endOfInput
    }

    public let isInteractive: Bool
    var interruptedAtPrompt = false
    let historyFile: URL?
    let editLine: OpaquePointer?
    let history: OpaquePointer?
    /// Words Tab completes, given what is typed so far.
    public var completions: @Sendable (String) -> [String] = { _ in [] }
    /// What of an entered line goes into the history file: the line, a cleaned copy of it, or nothing (nil).
    public var historyFilter: @Sendable (String) -> String? = { $0 }
    nonisolated(unsafe) static var prompt: UnsafeMutablePointer<CChar> = strdup("konektor> ")
    /// el_gets blocks: it runs on its own thread, never on the cooperative pool.
    let queue = DispatchQueue(label: "konektor.line-editor")

    public init(historyFile: URL?, interactive: Bool = isatty(0) == 1 && isatty(1) == 1) {
        isInteractive = interactive
        self.historyFile = interactive ? historyFile : nil
        guard interactive else {
            editLine = nil
            history = nil
            return
        }
        konektor_install_sigint()
        let el = konektor_el_init("konektor")
        let h = konektor_history_init()
        editLine = el
        history = h
        konektor_history_setsize(h, 1000)
        konektor_history_setunique(h, 1)
        konektor_el_set_hist(el, h)
        konektor_el_set_editor(el, "emacs")
        konektor_el_set_prompt(el) { _ in LineEditor.prompt }
        konektor_el_set_clientdata(el, Unmanaged.passUnretained(self).toOpaque())
        konektor_el_addfn(el, "konektor-complete", "Complete a command, tool or value") { el, _ in
            guard let el, let data = konektor_el_get_clientdata(el) else { return UInt8(CC_ERROR) }
            return Unmanaged<LineEditor>.fromOpaque(data).takeUnretainedValue().complete(el)
        }
        konektor_el_bind(el, "^I", "konektor-complete")
        // Ctrl-C discards the line being typed; a SIGINT (when the terminal sends one) is caught the same way.
        konektor_el_addfn(el, "konektor-interrupt", "Discard the line") { el, _ in
            guard let el, let data = konektor_el_get_clientdata(el) else { return UInt8(CC_ERROR) }
            Unmanaged<LineEditor>.fromOpaque(data).takeUnretainedValue().interruptedAtPrompt = true
            return UInt8(CC_EOF)
        }
        konektor_el_bind(el, "^C", "konektor-interrupt")
        konektor_el_setty_noisig(el)
        konektor_el_bind(el, "^R", "em-inc-search-prev")
        if let historyFile, FileManager.default.fileExists(atPath: historyFile.path) {
            konektor_history_load(h, historyFile.path)
        }
    }

    deinit {
        if let editLine { el_end(editLine) }
        if let history { history_end(history) }
    }

    public func setPrompt(_ text: String) {
        let old = Self.prompt
        Self.prompt = strdup(text)
        free(old)
    }

    /// Reads one input; a paste of several lines comes back as one.
    public func read() async -> Input {
        await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: self.readBlocking()) }
        }
    }

    /// Asks one short question (a confirmation) with its own prompt; the answer is kept out of the history.
    public func ask(_ prompt: String) async -> Input {
        await withCheckedContinuation { continuation in
            queue.async {
                guard self.editLine != nil else {
                    self.writeLine(prompt, newline: false)
                    continuation.resume(returning: Swift.readLine().map(Input.line) ?? .endOfInput)
                    return
                }
                let saved = String(cString: Self.prompt)
                self.setPrompt(prompt)
                let answer = self.readBlocking(record: false, gatherPaste: false)
                self.setPrompt(saved)
                continuation.resume(returning: answer)
            }
        }
    }

    func readBlocking(record: Bool = true, gatherPaste: Bool = true) -> Input {
        guard let el = editLine else {
            guard let first = Swift.readLine() else { return .endOfInput }
            return .line(first)
        }
        var lines: [String] = []
        while true {
            var count: Int32 = 0
            konektor_clear_errno()
            interruptedAtPrompt = false
            guard let raw = el_gets(el, &count) else {
                if interruptedAtPrompt || konektor_take_sigint() == 1 || konektor_errno() == EINTR {
                    writeLine("^C")
                    return .interrupted
                }
                return lines.isEmpty ? .endOfInput : .line(lines.joined(separator: "\n"))
            }
            var line = String(cString: raw)
            if line.hasSuffix("\n") { line.removeLast() }
            lines.append(line)
            // A paste arrives faster than anyone types: keep reading while input is already waiting.
            if gatherPaste, konektor_input_pending(25) == 1 { continue }
            break
        }
        let text = lines.joined(separator: "\n")
        // A multi-line paste is a form (names, emails, phone numbers): it is never kept in the history file.
        if record, lines.count == 1, !text.trimmingCharacters(in: .whitespaces).isEmpty, let history, let kept = historyFilter(text) {
            konektor_history_enter(history, kept)
            if let historyFile {
                try? FileManager.default.createDirectory(at: historyFile.deletingLastPathComponent(), withIntermediateDirectories: true)
                konektor_history_save(history, historyFile.path)
            }
        }
        return .line(text)
    }

    func complete(_ el: OpaquePointer) -> UInt8 {
        guard let info = el_line(el)?.pointee else { return UInt8(CC_ERROR) }
        let length = info.cursor - info.buffer
        let typed = String(decoding: UnsafeBufferPointer(start: UnsafeRawPointer(info.buffer).assumingMemoryBound(to: UInt8.self), count: length), as: UTF8.self)
        let word = String(typed.split(separator: " ", omittingEmptySubsequences: false).last ?? "")
        let matches = completions(typed).filter { $0.hasPrefix(word) && $0 != word }
        guard !matches.isEmpty else { return UInt8(CC_REFRESH_BEEP) }
        if matches.count == 1 {
            el_insertstr(el, String(matches[0].dropFirst(word.count)) + " ")
            return UInt8(CC_REDISPLAY)
        }
        // Insert the common prefix, and list the choices.
        var common = matches[0]
        for m in matches.dropFirst() { while !m.hasPrefix(common) { common.removeLast() } }
        if common.count > word.count { el_insertstr(el, String(common.dropFirst(word.count))) }
        writeLine("\n" + matches.joined(separator: "  "))
        return UInt8(CC_REDISPLAY)
    }

    /// Whether Ctrl-C was pressed since the last call (during a turn).
    public func takeInterrupt() -> Bool { isInteractive && konektor_take_sigint() == 1 }

    func writeLine(_ text: String, newline: Bool = true) {
        var text = newline ? text + "\n" : text
        text.withUTF8 { _ = write(1, $0.baseAddress, $0.count) }
    }
}
