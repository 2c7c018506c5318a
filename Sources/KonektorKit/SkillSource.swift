import AgentCore
import AsyncHTTPClient
import KonektorClient
import Foundation
import NIOCore
import NIOPosix
import SkillCatalog

/// Where a SKILL.md comes from: the copy in the binary, a file, or a URL.
public struct SkillSource: Sendable {
    public var text: String
    /// The name diagnostics use: a path, a URL or `<bundled SKILL.md>`.
    public var name: String

    public static let bundled = SkillSource(text: BundledSkill.markdown, name: "<bundled SKILL.md>")

    /// Reads `location` as a URL when it starts with http:// or https://, else as a file path.
    public static func load(_ location: String?) async throws -> SkillSource {
        guard let location else { return .bundled }
        if location.hasPrefix("http://") || location.hasPrefix("https://") {
            return try await fetch(location)
        }
        guard FileManager.default.fileExists(atPath: location) else {
            throw CommandFailure("cannot read SKILL.md: no file at \(location)")
        }
        guard let data = FileManager.default.contents(atPath: location) else {
            throw CommandFailure("cannot read SKILL.md at \(location): permission denied or not a regular file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw CommandFailure("cannot read SKILL.md at \(location): the file is not UTF-8 text")
        }
        return SkillSource(text: text, name: location)
    }

    /// The most a fetched SKILL.md may weigh: it is data from the network, parsed before anything else.
    public static let maximumBytes = 4 << 20

    /// Fetches a SKILL.md, following redirects only within the URL's own origin (scheme, host and port).
    ///
    /// A redirect to another origin is refused: the document decides which
    /// paths get the API key, so it must come from the API's own origin.
    public static func fetch(_ url: String, using shared: HTTPClient? = nil) async throws -> SkillSource {
        let shown = ServiceURL.redacted(url)
        guard let start = URLComponents(string: url), let origin = Self.origin(of: start) else {
            throw CommandFailure("cannot fetch SKILL.md: '\(shown)' is not an http(s) URL", exitCode: ExitStatus.usage)
        }
        guard start.user == nil, start.password == nil else {
            throw CommandFailure("cannot fetch SKILL.md from \(shown): a URL must not carry a user name or password", exitCode: ExitStatus.usage)
        }
        // A shared client must not follow redirects and must fail a refused connection at once (the session's client does neither).
        if let shared { return try await fetch(url, origin: origin, using: shared) }
        // Its own client: redirects are judged here, and a refused connection fails at once (no retry until a connect timeout).
        var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow, timeout: .init(connect: .seconds(5), read: .seconds(15)))
        configuration.connectionPool.retryConnectionEstablishment = false
        let http = HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, configuration: configuration)
        do {
            let source = try await fetch(url, origin: origin, using: http)
            try? await http.shutdown()
            return source
        } catch {
            try? await http.shutdown()
            throw error
        }
    }

    public static func fetch(_ url: String, origin: String, using http: HTTPClient) async throws -> SkillSource {
        let shown = ServiceURL.redacted(url)
        var current = url
        for _ in 0..<4 {
            var request = HTTPClientRequest(url: current)
            request.headers.add(name: "Accept", value: "text/markdown, text/plain")
            request.headers.add(name: "User-Agent", value: "konektor/0.1")
            let response: HTTPClientResponse
            let body: ByteBuffer
            do {
                response = try await http.execute(request, timeout: .seconds(15))
                body = try await response.body.collect(upTo: maximumBytes)
            } catch let error as NIOTooManyBytesError {
                throw CommandFailure("fetching \(shown) failed: the document is larger than \(maximumBytes >> 20) MiB (\(error))")
            } catch where KonektorClient.isConnectionRefused(error) {
                throw UnreachableServer(baseURL: ServiceURL.redacted(origin))
            } catch {
                throw CommandFailure("fetching \(shown) failed: \(error)")
            }
            if (300..<400).contains(Int(response.status.code)) {
                guard let location = response.headers.first(name: "Location"),
                    let next = URL(string: location, relativeTo: URL(string: current))?.absoluteURL,
                    let nextComponents = URLComponents(url: next, resolvingAgainstBaseURL: true)
                else { throw CommandFailure("fetching \(shown) failed: HTTP \(response.status.code) without a usable Location") }
                guard Self.origin(of: nextComponents) == origin, nextComponents.user == nil else {
                    throw CommandFailure("fetching \(shown) failed: it redirects to another origin (\(ServiceURL.redacted(next.absoluteString))); "
                        + "a SKILL.md is read only from the API's own origin \(origin)")
                }
                current = next.absoluteString
                continue
            }
            guard response.status == .ok else {
                throw CommandFailure("fetching \(shown) failed: HTTP \(response.status.code) \(response.status.reasonPhrase)")
            }
            // A NUL byte is looked for in the bytes: `String.contains` goes through Foundation's locale-aware search.
            guard !body.readableBytesView.contains(0), let text = body.getString(at: body.readerIndex, length: body.readableBytes) else {
                throw CommandFailure("fetching \(shown) failed: the body is not UTF-8 text")
            }
            return SkillSource(text: text, name: url)
        }
        throw CommandFailure("fetching \(shown) failed: too many redirects")
    }

    /// `scheme://host:port` with the scheme's default port made explicit, so `https://h` and `https://h:443` are one origin.
    public static func origin(of components: URLComponents) -> String? {
        guard let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https", let host = components.host?.lowercased(), !host.isEmpty else { return nil }
        let port = components.port ?? (scheme == "https" ? 443 : 80)
        return "\(scheme)://\(host):\(port)"
    }
}
