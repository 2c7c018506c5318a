import AsyncHTTPClient
import KonektorClient
import Foundation
import NIOCore
import NIOPosix
import SkillCatalog

/// Where a SKILL.md comes from: the copy in the binary, a file, or a URL.
struct SkillSource {
    var text: String
    /// The name diagnostics use: a path, a URL or `<bundled SKILL.md>`.
    var name: String

    static let bundled = SkillSource(text: BundledSkill.markdown, name: "<bundled SKILL.md>")

    /// Reads `location` as a URL when it starts with http:// or https://, else as a file path.
    static func load(_ location: String?) async throws -> SkillSource {
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

    static func fetch(_ url: String) async throws -> SkillSource {
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "Accept", value: "text/markdown, text/plain")
        request.headers.add(name: "User-Agent", value: "konektor/0.1")
        // Its own client, which gives up on a refused connection at once (the shared one would retry until its connect timeout).
        var configuration = HTTPClient.Configuration(redirectConfiguration: .follow(max: 3, allowCycles: false), timeout: .init(connect: .seconds(5), read: .seconds(15)))
        configuration.connectionPool.retryConnectionEstablishment = false
        let client = HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, configuration: configuration)
        do {
            defer { Task { try? await client.shutdown() } }
            let response = try await client.execute(request, timeout: .seconds(15))
            let body = try await response.body.collect(upTo: 4 << 20)
            guard response.status == .ok else {
                throw CommandFailure("fetching \(url) failed: HTTP \(response.status.code) \(response.status.reasonPhrase)")
            }
            guard let text = body.getString(at: body.readerIndex, length: body.readableBytes) else {
                throw CommandFailure("fetching \(url) failed: the body is not UTF-8 text")
            }
            return SkillSource(text: text, name: url)
        } catch let failure as CommandFailure {
            throw failure
        } catch let error as NIOTooManyBytesError {
            throw CommandFailure("fetching \(url) failed: the document is larger than 4 MiB (\(error))")
        } catch where KonektorClient.isConnectionRefused(error) {
            throw UnreachableServer(baseURL: Self.origin(of: url))
        } catch {
            throw CommandFailure("fetching \(url) failed: \(error)")
        }
    }

    /// Scheme, host and port of a URL: where a server should be listening.
    static func origin(of url: String) -> String {
        guard let components = URLComponents(string: url), let scheme = components.scheme, let host = components.host else { return url }
        return "\(scheme)://\(host)" + (components.port.map { ":\($0)" } ?? "")
    }
}
