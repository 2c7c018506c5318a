import Planners
import Testing

@Suite struct ServerSentEventDecoderTests {
    static let stream = "event: message_start\ndata: {\"a\":1}\n\n: a comment\r\nevent: ping\r\ndata: {}\r\n\r\ndata: line one\ndata:line two\n\nid: 7\nretry: 10\n\ndata: [DONE]\n\n"
    static let expected = [
        ServerSentEvent(event: "message_start", data: #"{"a":1}"#), ServerSentEvent(event: "ping", data: "{}"),
        ServerSentEvent(data: "line one\nline two"), ServerSentEvent(data: "[DONE]"),
    ]

    @Test func eventsAreTheSameWhateverTheChunking() {
        let bytes = Array(Self.stream.utf8)
        for size in [1, 2, 3, 5, 8, 13, bytes.count] {
            var decoder = ServerSentEventDecoder()
            var events: [ServerSentEvent] = []
            var index = 0
            while index < bytes.count {
                events += decoder.feed(bytes[index..<min(bytes.count, index + size)])
                index += size
            }
            if let last = decoder.finish() { events.append(last) }
            #expect(events == Self.expected, "chunks of \(size)")
        }
    }

    @Test func aStreamWithoutAFinalBlankLineStillGivesItsLastEvent() {
        var decoder = ServerSentEventDecoder()
        #expect(decoder.feed(Array("data: a\n\ndata: b".utf8)) == [ServerSentEvent(data: "a")])
        #expect(decoder.finish() == ServerSentEvent(data: "b"))
        var empty = ServerSentEventDecoder()
        #expect(empty.feed(Array("event: x\n\n".utf8)).isEmpty, "an event without data is not dispatched")
    }
}
