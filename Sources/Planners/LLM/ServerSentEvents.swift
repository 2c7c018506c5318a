/// One Server-Sent Event: its `event:` name (`message` when absent) and its `data:` lines joined by newlines.
public struct ServerSentEvent: Sendable, Hashable {
    public var event: String
    public var data: String

    public init(event: String = "message", data: String) {
        self.event = event
        self.data = data
    }
}

/// Splits a `text/event-stream` body into events, incrementally, as its bytes arrive in any chunking.
///
/// Follows the WHATWG rules a provider stream needs: lines end in LF, CRLF
/// or CR; a blank line dispatches; `:` starts a comment; one space after the
/// colon is dropped; several `data:` lines join with LF; an event with no
/// data is not dispatched.
public struct ServerSentEventDecoder: Sendable {
    var line: [UInt8] = []
    var lastWasCR = false
    var event = ""
    var data: [String] = []
    var hasData = false

    public init() {}

    public mutating func feed<Bytes: Sequence>(_ bytes: Bytes) -> [ServerSentEvent] where Bytes.Element == UInt8 {
        var out: [ServerSentEvent] = []
        for byte in bytes {
            if byte == UInt8(ascii: "\n"), lastWasCR {
                lastWasCR = false
                continue
            }
            lastWasCR = byte == UInt8(ascii: "\r")
            if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
                if let event = endOfLine() { out.append(event) }
            } else {
                line.append(byte)
            }
        }
        return out
    }

    /// The event left when the stream ends without a final blank line.
    public mutating func finish() -> ServerSentEvent? {
        if !line.isEmpty { _ = endOfLine() }
        return endOfLine()
    }

    mutating func endOfLine() -> ServerSentEvent? {
        defer { line.removeAll(keepingCapacity: true) }
        if line.isEmpty {
            defer { event = ""; data = []; hasData = false }
            guard hasData else { return nil }
            return ServerSentEvent(event: event.isEmpty ? "message" : event, data: data.joined(separator: "\n"))
        }
        let text = String(decoding: line, as: UTF8.self)
        if text.hasPrefix(":") { return nil }
        var field = text
        var value = ""
        if let colon = text.firstIndex(of: ":") {
            field = String(text[..<colon])
            value = String(text[text.index(after: colon)...])
            if value.hasPrefix(" ") { value.removeFirst() }
        }
        switch field {
        case "event": event = value
        case "data":
            data.append(value)
            hasData = true
        default: break
        }
        return nil
    }
}
