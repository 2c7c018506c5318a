import Crypto
import Foundation

/// The bearer token of `konektor mcp --http`: kept in a file only its owner can read, never printed.
public enum MCPToken {
    /// The token in `url`, or a new random one written there (mode 0600) when the file does not exist.
    public static func loadOrCreate(at url: URL) throws -> String {
        if let text = try? String(contentsOf: url, encoding: .utf8) {
            let token = text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard token.count >= 16, !token.contains(where: { $0.isWhitespace }) else { throw MCPTokenError.unusable(url.path) }
            return token
        }
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let token = "knkmcp_" + SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }.map { String(format: "%02x", $0) }.joined()
        guard FileManager.default.createFile(atPath: url.path, contents: Data((token + "\n").utf8), attributes: [.posixPermissions: 0o600]) else {
            throw MCPTokenError.cannotWrite(url.path)
        }
        return token
    }
}

/// Why the token file cannot be used.
public enum MCPTokenError: Error, CustomStringConvertible {
    case unusable(String)
    case cannotWrite(String)

    public var description: String {
        switch self {
        case .unusable(let path): "\(path) does not hold a usable token (at least 16 characters, no spaces); delete it to have konektor mcp make a new one"
        case .cannotWrite(let path): "cannot write the token file \(path); name another with --token-file"
        }
    }
}
