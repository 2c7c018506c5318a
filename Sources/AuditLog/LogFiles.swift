import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The log's files on disk: `audit-YYYYMMDD-NNNN.jsonl`, in name order, which is chain order.
enum LogFiles {
    static func list(_ directory: URL) -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasPrefix("audit-") && $0.hasSuffix(".jsonl") }.sorted().map { directory.appendingPathComponent($0) }
    }

    static func name(day: String, index: Int) -> String {
        let n = String(index)
        return "audit-\(day)-\(String(repeating: "0", count: max(0, 4 - n.count)) + n).jsonl"
    }

    /// `20261123` of a file name, and its index.
    static func parse(_ url: URL) -> (day: String, index: Int)? {
        let parts = url.deletingPathExtension().lastPathComponent.split(separator: "-")
        guard parts.count == 3, let index = Int(parts[2]) else { return nil }
        return (String(parts[1]), index)
    }

    static func errno(_ what: String, _ path: String) -> AuditError {
        .io("\(what) \(path): \(String(cString: strerror(Glibc.errno)))")
    }

    /// Reads the whole file (used for a file's tail when appending, and by verify in chunks).
    static func size(_ fd: Int32) -> Int {
        var st = stat()
        return fstat(fd, &st) == 0 ? Int(st.st_size) : 0
    }

    /// The file's last bytes, from the start of its last complete line: (last complete line, bytes after it).
    static func tail(fd: Int32, path: String) throws -> (lastLine: [UInt8]?, torn: [UInt8], completeLength: Int) {
        let total = size(fd)
        guard total > 0 else { return (nil, [], 0) }
        var window = min(total, 64 * 1024)
        while true {
            var buffer = [UInt8](repeating: 0, count: window)
            let read = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, window, off_t(total - window)) }
            guard read == window else { throw errno("cannot read", path) }
            let lastNewline = buffer.lastIndex(of: 0x0A)
            let torn = lastNewline.map { Array(buffer[($0 + 1)...]) } ?? buffer
            if let lastNewline {
                let before = buffer[..<lastNewline]
                if let previous = before.lastIndex(of: 0x0A) {
                    return (Array(before[(previous + 1)...]), torn, total - torn.count)
                }
                if window == total { return (Array(before), torn, total - torn.count) }
            } else if window == total {
                return (nil, torn, 0)
            }
            guard window < total else { return (nil, torn, total - torn.count) }
            window = min(total, window * 4)
        }
    }
}
