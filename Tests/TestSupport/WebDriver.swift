import AgentCore
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// A W3C WebDriver client over /usr/bin/chromedriver driving headless Chromium, just enough for the approvers' page.
/// chromedriver ignores SIGTERM, so `quit` ends it with SIGKILL (through `SpawnedProcess.stop`).
public final class WebDriver: Sendable {
    let process: SpawnedProcess
    let base: String
    let session: String
    static let elementKey = "element-6066-11e4-a52e-4f735466cecf"

    /// Why the browser could not be driven: what was asked and what chromedriver answered.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
        public init(_ description: String) { self.description = description }
    }

    init(process: SpawnedProcess, base: String, session: String) {
        self.process = process
        self.base = base
        self.session = session
    }

    public static var available: Bool {
        FileManager.default.isExecutableFile(atPath: "/usr/bin/chromedriver") && FileManager.default.isExecutableFile(atPath: "/usr/bin/chromium")
    }

    public static func start() async throws -> WebDriver {
        let port = PostgresCluster.freePort()
        let process = try SpawnedProcess.start(["/usr/bin/chromedriver", "--port=\(port)"])
        let base = "http://127.0.0.1:\(port)"
        var ready = false
        for _ in 0..<100 {
            if let status = try? await call(.GET, base + "/status"), status["value"]?["ready"]?.boolValue == true { ready = true; break }
            try await Task.sleep(for: .milliseconds(100))
        }
        guard ready else { await process.stop(); throw Failure("chromedriver did not become ready") }
        let capabilities: JSONValue = ["capabilities": ["alwaysMatch": [
            "browserName": "chrome",
            "goog:chromeOptions": ["binary": "/usr/bin/chromium", "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1200,1000"]],
        ]]]
        let created = try await call(.POST, base + "/session", capabilities)
        guard let session = created["value"]?["sessionId"]?.stringValue else { await process.stop(); throw Failure("no WebDriver session: \(created)") }
        return WebDriver(process: process, base: base, session: session)
    }

    static func call(_ method: HTTPMethod, _ url: String, _ body: JSONValue? = nil) async throws -> JSONValue {
        var request = HTTPClientRequest(url: url)
        request.method = method
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body.jsonString()))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
        let text = String(buffer: try await response.body.collect(upTo: 32 << 20))
        let value = try JSONValue(parsing: text)
        // A WebDriver error (a stale element, a script error) is a failure that says so, not an empty text.
        if let error = value["value"]?["error"]?.stringValue {
            throw Failure("WebDriver \(method) \(url): \(error): \(value["value"]?["message"]?.stringValue?.prefix(300) ?? "")")
        }
        return value
    }

    func call(_ method: HTTPMethod, _ path: String, _ body: JSONValue? = nil) async throws -> JSONValue {
        try await Self.call(method, "\(base)/session/\(session)\(path)", body)
    }

    public func open(_ url: String) async throws { _ = try await call(.POST, "/url", ["url": .string(url)]) }

    /// The element matching a CSS selector, or nil.
    public func find(_ css: String) async throws -> String? {
        do {
            return try await call(.POST, "/element", ["using": "css selector", "value": .string(css)])["value"]?[Self.elementKey]?.stringValue
        } catch let failure as Failure where failure.description.contains("no such element") {
            return nil
        }
    }

    /// Waits (up to `attempts` × 200 ms) for an element to appear.
    public func waitFor(_ css: String, attempts: Int = 100) async throws -> String {
        for _ in 0..<attempts {
            if let element = try await find(css) { return element }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw Failure("no element \(css) appeared; page: \(try await source().prefix(2000))")
    }

    public func type(_ element: String, _ text: String) async throws { _ = try await call(.POST, "/element/\(element)/value", ["text": .string(text)]) }
    public func click(_ element: String) async throws { _ = try await call(.POST, "/element/\(element)/click", [:]) }
    public func text(_ element: String) async throws -> String { try await call(.GET, "/element/\(element)/text")["value"]?.stringValue ?? "" }
    public func source() async throws -> String { try await call(.GET, "/source")["value"]?.stringValue ?? "" }
    public func currentURL() async throws -> String { try await call(.GET, "/url")["value"]?.stringValue ?? "" }
    /// Runs a script in the page and returns its value.
    public func execute(_ script: String) async throws -> JSONValue { try await call(.POST, "/execute/sync", ["script": .string(script), "args": []])["value"] ?? .null }

    public func screenshot(to url: URL) async throws {
        guard let text = try await call(.GET, "/screenshot")["value"]?.stringValue, let data = Data(base64Encoded: text) else { throw Failure("no screenshot") }
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: url)
    }

    public func quit() async {
        _ = try? await Self.call(.DELETE, "\(base)/session/\(session)")
        await process.stop()
    }
}
