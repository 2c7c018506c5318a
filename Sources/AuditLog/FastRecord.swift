import AgentCore
import Crypto

/// The chain fields of a record line, read without parsing the JSON: verification's hot path.
struct FastRecord {
    var seq: Int
    var prev: ArraySlice<UInt8>
    var hash: ArraySlice<UInt8>
    /// The bytes the hash covers.
    var body: ArraySlice<UInt8>

    static let seqPrefix = Array("{\"seq\":".utf8)
    static let prevPrefix = Array(",\"prev\":\"".utf8)
    static let hashMarker = Array(",\"hash\":\"".utf8)

    init?<C: RandomAccessCollection>(_ line: C) where C.Element == UInt8, C.Index == Int {
        let bytes = ArraySlice(line)
        let start = bytes.startIndex
        guard bytes.count > 7 + 9 + 64 + 9 + 64 + 2, bytes[start..<(start + 7)].elementsEqual(Self.seqPrefix) else { return nil }
        var i = start + 7
        var seq = 0
        while i < bytes.endIndex, bytes[i] >= 48, bytes[i] <= 57, i - start < 26 {
            seq = seq * 10 + Int(bytes[i] - 48)
            i += 1
        }
        guard i > start + 7, i + 9 + 64 < bytes.endIndex, bytes[i..<(i + 9)].elementsEqual(Self.prevPrefix) else { return nil }
        let prev = bytes[(i + 9)..<(i + 9 + 64)]
        let end = bytes.endIndex
        guard bytes[end - 2] == UInt8(ascii: "\""), bytes[end - 1] == UInt8(ascii: "}") else { return nil }
        let hash = bytes[(end - 2 - 64)..<(end - 2)]
        let markerStart = end - 2 - 64 - 9
        guard markerStart > i, bytes[markerStart..<(end - 2 - 64)].elementsEqual(Self.hashMarker),
            Self.isHex(prev), Self.isHex(hash)
        else { return nil }
        self.seq = seq
        self.prev = prev
        self.hash = hash
        self.body = bytes[start..<markerStart]
    }

    static func isHex(_ bytes: ArraySlice<UInt8>) -> Bool {
        bytes.allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 102) }
    }

    /// Whether SHA-256 of the body is the recorded hash.
    var hashMatches: Bool {
        var hasher = SHA256()
        body.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        let digest = hasher.finalize()
        var index = hash.startIndex
        for byte in digest {
            let hi = Self.nibble(hash[index]), lo = Self.nibble(hash[index + 1])
            if hi << 4 | lo != byte { return false }
            index += 2
        }
        return true
    }

    static func nibble(_ c: UInt8) -> UInt8 { c <= 57 ? c - 48 : c - 87 }
}

extension ArraySlice where Element == UInt8 {
    var string: String { String(decoding: self, as: UTF8.self) }
}

extension AuditLog {
    static func head(of line: [UInt8]) -> (seq: Int, hash: String)? {
        guard let fields = FastRecord(line) else { return nil }
        return (fields.seq, fields.hash.string)
    }
}

extension ArraySlice where Element == UInt8 {
    /// Whether `pattern` occurs in these bytes.
    func containsBytes(_ pattern: [UInt8]) -> Bool {
        withUnsafeBufferPointer { ByteSearch.firstIndex(of: pattern, in: $0) != nil }
    }
}
