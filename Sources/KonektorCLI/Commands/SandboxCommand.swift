import AgentCore
import ArgumentParser
import Foundation
import KonektorKit
import Logging
import Sandbox
import SkillCatalog

/// `konektor sandbox`: a local Konektor-compatible API with a seeded demo workspace.
struct SandboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sandbox",
        abstract: "Run a local Konektor-compatible API with a seeded demo workspace.",
        subcommands: [Serve.self]
    )

    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Serve the sandbox API until interrupted (Ctrl-C or SIGTERM).",
            discussion: """
                Prints `listening on http://HOST:PORT` and the demo API keys, or with --json one JSON line \
                for tools. Without --db the data lives in memory; with --db it survives restarts.
                """
        )

        @Option(help: "Address to bind.")
        var host = "127.0.0.1"

        @Option(help: "Port to bind; 0 picks a free one.")
        var port = 0

        @Option(help: ArgumentHelp("SQLite file to keep the data in (created and seeded on first use).", valueName: "path"))
        var db: String?

        @Option(help: "Seed for the generated demo data.")
        var seed: UInt64 = 42

        @Option(help: "How many leads to generate for the demo workspace.")
        var leads = 2000

        @Option(help: ArgumentHelp("Start the clock at this instant (ISO 8601) for reproducible demos; it then runs forward.", valueName: "iso-8601"))
        var now: String?

        @Option(name: .customLong("rate-limit-scale"), help: "Multiply every plan's rate limit (for load tests).")
        var rateLimitScale = 1

        @Option(help: ArgumentHelp("Delay every API answer by this many milliseconds, like a slow network.", valueName: "ms"))
        var latency = 0

        @Flag(help: "Print one JSON line with the URL and keys instead of text.")
        var json = false

        func validate() throws {
            guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
            guard (0...1_000_000).contains(leads) else { throw ValidationError("--leads must be between 0 and 1000000") }
            guard (0...600_000).contains(latency) else { throw ValidationError("--latency must be between 0 and 600000 milliseconds") }
            guard rateLimitScale >= 1 else { throw ValidationError("--rate-limit-scale must be at least 1") }
            if let now, Self.parseInstant(now) == nil {
                throw ValidationError("--now must be an ISO 8601 instant with a zone, such as 2026-11-23T10:00:00+07:00 (got '\(now)')")
            }
        }

        static func parseInstant(_ text: String) -> Date? {
            guard let f = Formats.parseISO8601(text), let offset = f.utcOffset ?? (f.hasTime ? nil : 0) else { return nil }
            var components = DateComponents()
            components.year = f.year
            components.month = f.month
            components.day = f.day
            components.hour = f.hour
            components.minute = f.minute
            components.second = f.second
            components.nanosecond = f.nanosecond
            components.timeZone = TimeZone(secondsFromGMT: offset)
            return Calendar(identifier: .gregorian).date(from: components)
        }

        func run() async throws {
            let clock = now.flatMap(Self.parseInstant).map(SandboxClock.starting(at:)) ?? .system()
            var logger = Logger(label: "konektor.sandbox")
            logger.logLevel = .error
            var configuration = SandboxConfiguration(
                host: host, port: port, databasePath: db, seed: seed, leadCount: leads, clock: clock, rateLimitScale: rateLimitScale, logger: logger)
            configuration.latency = .milliseconds(latency)
            let server: SandboxServer
            do {
                server = try SandboxServer.prepare(configuration)
            } catch {
                throw CommandFailure("\(error)")
            }
            let json = json
            let host = host.contains(":") ? "[\(host)]" : host
            do {
                try await server.runUntilSignalled { port in
                    let url = "http://\(host):\(port)"
                    writeStandardOutput((json ? Self.jsonLine(url: url, keys: server.keys) : Self.banner(url: url, keys: server.keys)) + "\n")
                }
            } catch {
                throw CommandFailure("the sandbox stopped: \(error)")
            }
        }

        static func banner(url: String, keys: [DemoKey]) -> String {
            var out = "listening on \(url)\n"
            out += "SKILL.md: \(url)/api/v2/agent/SKILL.md\n\ndemo API keys:\n"
            let width = keys.map(\.role.count).max() ?? 0
            for key in keys {
                let pad = String(repeating: " ", count: width - key.role.count)
                var line = "  \(key.role)\(pad)  \(key.key)  \(key.workspace) (\(key.plan)), \(key.state.rawValue)"
                line += key.scopes.count == 6 ? ", all scopes" : ", " + key.scopes.joined(separator: " ")
                if !key.ipAllowlist.isEmpty { line += ", only from \(key.ipAllowlist.joined(separator: " "))" }
                out += line + "\n"
            }
            out += "\nexample: curl -H 'Authorization: Bearer \(keys.first?.key ?? "")' '\(url)/api/v2/agent/leads?limit=5'"
            return out
        }

        static func jsonLine(url: String, keys: [DemoKey]) -> String {
            let value: JSONValue = [
                "url": .string(url),
                "keys": .array(keys.map { key in
                    [
                        "key": .string(key.key), "role": .string(key.role), "workspace": .string(key.workspace), "plan": .string(key.plan),
                        "scopes": .array(key.scopes.map(JSONValue.string)), "state": .string(key.state.rawValue),
                    ]
                }),
            ]
            return value.jsonString()
        }
    }
}
