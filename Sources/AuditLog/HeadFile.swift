import AgentCore
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// `head.json` in the log folder: the last record's seq and hash and the file that holds it.
///
/// Rewritten (atomically, by rename) after every append. Verify compares the
/// log with it, so a cut tail, a cut at a checkpoint boundary, a deleted
/// newest file or a log whose every file is gone is a failure, not a smaller
/// intact log. The local user can rewrite it too; an anchor outside the
/// machine is what the local user cannot.
public struct HeadFile: Sendable, Equatable {
    public var seq: Int
    public var hash: String
    public var file: String
    public var time: String

    public static let name = "head.json"

    public init(seq: Int, hash: String, file: String, time: String) {
        self.seq = seq
        self.hash = hash
        self.file = file
        self.time = time
    }

    var json: JSONValue { ["seq": .int(seq), "hash": .string(hash), "file": .string(file), "time": .string(time)] }

    func write(to directory: URL) throws {
        let url = directory.appendingPathComponent(Self.name)
        let temporary = directory.appendingPathComponent(".\(Self.name).\(getpid())")
        var text = json.jsonString() + "\n"
        let fd = open(temporary.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard fd >= 0 else { throw LogFiles.errno("cannot create", temporary.path) }
        let ok = text.withUTF8 { Glibc.write(fd, $0.baseAddress, $0.count) == $0.count }
        close(fd)
        guard ok else { throw LogFiles.errno("cannot write", temporary.path) }
        guard rename(temporary.path, url.path) == 0 else { throw LogFiles.errno("cannot replace", url.path) }
    }

    /// The head file of a log folder: nil when there is none; an error when it is not one konektor wrote.
    public static func read(from directory: URL) throws -> HeadFile? {
        let url = directory.appendingPathComponent(name)
        guard let data = FileManager.default.contents(atPath: url.path) else { return nil }
        guard let json = try? JSONValue(parsing: String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)),
            let seq = json["seq"]?.intValue, let hash = json["hash"]?.stringValue, let file = json["file"]?.stringValue
        else { throw AuditError.io("\(url.path) is not a head file konektor wrote (seq, hash, file)") }
        return HeadFile(seq: seq, hash: hash, file: file, time: json["time"]?.stringValue ?? "")
    }
}
