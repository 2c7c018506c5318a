import Foundation

/// One request in transport-neutral form, as ``SupervisionAPI`` answers it.
public struct HTTPExchange: Sendable {
    public struct Request: Sendable {
        public var method: String
        public var path: String
        /// The raw query string, without `?`.
        public var query: String
        /// Header values by lowercase name.
        public var headers: [String: String]
        public var body: [UInt8]

        public init(method: String, path: String, query: String = "", headers: [String: String] = [:], body: [UInt8] = []) {
            self.method = method
            self.path = path
            self.query = query
            self.headers = Dictionary(headers.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { $1 })
            self.body = body
        }

        public func header(_ name: String) -> String? { headers[name.lowercased()] }

        /// The query's pairs, percent-decoded.
        public var queryItems: [String: String] { FormData.parse(query) }
    }

    public struct Reply: Sendable {
        public var status: Int
        public var headers: [(String, String)]
        public var body: [UInt8]

        public init(status: Int, headers: [(String, String)] = [], body: [UInt8]) {
            self.status = status
            self.headers = headers
            self.body = body
        }

        static func json(_ status: Int, _ value: some CustomStringConvertible, headers: [(String, String)] = []) -> Reply {
            Reply(status: status, headers: [("Content-Type", "application/json; charset=utf-8")] + headers, body: Array(value.description.utf8))
        }

        static func text(_ status: Int, _ text: String, type: String = "text/plain; charset=utf-8", headers: [(String, String)] = []) -> Reply {
            Reply(status: status, headers: [("Content-Type", type)] + headers, body: Array(text.utf8))
        }
    }
}

/// `application/x-www-form-urlencoded` pairs (forms and query strings).
enum FormData {
    static func parse(_ text: String) -> [String: String] {
        var out: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String { String(s).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(s) }
            guard let key = parts.first else { continue }
            out[decode(key)] = parts.count > 1 ? decode(parts[1]) : ""
        }
        return out
    }
}
