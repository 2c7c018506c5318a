/// Finds a byte pattern in a buffer: the one plain scan the parsers and the audit verifier share.
public enum ByteSearch {
    /// The offset of the first occurrence of `pattern` in `buffer`, or nil.
    public static func firstIndex(of pattern: [UInt8], in buffer: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let first = pattern.first, buffer.count >= pattern.count else { return nil }
        var i = 0
        let last = buffer.count - pattern.count
        while i <= last {
            if buffer[i] == first {
                var p = 1
                while p < pattern.count, buffer[i + p] == pattern[p] { p += 1 }
                if p == pattern.count { return i }
            }
            i += 1
        }
        return nil
    }
}
