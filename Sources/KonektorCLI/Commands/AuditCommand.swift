import AgentCore
import ArgumentParser
import AuditLog
import Crypto
import Foundation

/// `konektor audit`: verify and review the tamper-evident log.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Verify, show, export and count the audit log.",
        subcommands: [Verify.self, Show.self, Export.self, Stats.self, Head.self]
    )

    struct Location: ParsableArguments {
        @Option(name: .long, help: ArgumentHelp("The log folder (default: $XDG_STATE_HOME/konektor/audit).", valueName: "dir"))
        var log: String?

        var directory: URL { log.map { URL(fileURLWithPath: $0) } ?? KonektorPaths().stateDirectory.appendingPathComponent("audit") }

        func requireLog() throws -> URL {
            let url = directory
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw CommandFailure("no audit log at \(url.path)")
            }
            return url
        }
    }

    struct Filters: ParsableArguments {
        @Option(help: ArgumentHelp("Records at or after this time (ISO 8601, UTC).", valueName: "time")) var since: String?
        @Option(help: ArgumentHelp("Records at or before this time.", valueName: "time")) var until: String?
        @Option(help: "One session (an id or its first characters).") var session: String?
        @Option(help: "Sessions started by this OS user.") var user: String?
        @Option(help: "Records about this tool.") var tool: String?
        @Option(help: "Decisions with this verdict: allow, confirm, approve or deny.") var decision: String?
        @Option(help: "Only these kinds (repeatable): session-start, request, plan, decision, http-request, …") var kind: [String] = []

        var query: AuditQuery {
            AuditQuery(since: since, until: until, session: session, user: user, tool: tool, decision: decision, kinds: Set(kind))
        }

        func validate() throws {
            if let decision, !["allow", "confirm", "approve", "deny"].contains(decision) {
                throw ValidationError("--decision is allow, confirm, approve or deny")
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show records as a readable table, one session's story in order.")
        @OptionGroup var location: Location
        @OptionGroup var filters: Filters
        @Flag(help: "One JSON object per line instead of a table.") var json = false

        func run() async throws {
            let rows = filters.query.select(in: try location.requireLog())
            if json {
                for (record, _) in rows { print(record.jsonValue.jsonString()) }
            } else {
                print(AuditQuery.table(rows), terminator: "")
            }
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Export records for a SIEM as JSON lines or CSV.")
        enum Format: String, ExpressibleByArgument { case jsonl, csv }
        @OptionGroup var location: Location
        @OptionGroup var filters: Filters
        @Option(help: "jsonl or csv.") var format: Format = .jsonl

        func run() async throws {
            let rows = filters.query.select(in: try location.requireLog())
            switch format {
            case .jsonl: for (record, _) in rows { print(record.jsonValue.jsonString()) }
            case .csv: print(AuditQuery.csv(rows), terminator: "")
            }
        }
    }

    struct Stats: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Counts by user, tool, decision and status.")
        @OptionGroup var location: Location
        @OptionGroup var filters: Filters

        func run() async throws {
            print(AuditQuery.stats(filters.query.select(in: try location.requireLog())).jsonString(.pretty))
        }
    }

    struct Head: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the latest signed checkpoint as one JSON line, to anchor somewhere this machine cannot rewrite.")
        @OptionGroup var location: Location

        func run() async throws {
            let rows = AuditQuery.records(in: try location.requireLog())
            guard let checkpoint = rows.last(where: { $0.record.kind == "checkpoint" })?.record else {
                throw CommandFailure("the log has no checkpoint yet; one is written at each session end")
            }
            let line: JSONValue = [
                "seq": .int(checkpoint.seq), "hash": .string(checkpoint.hash), "time": .string(checkpoint.time),
                "upTo": checkpoint.data["upTo"] ?? .null, "head": checkpoint.data["head"] ?? .null,
                "keyFingerprint": checkpoint.data["keyFingerprint"] ?? .null, "signature": checkpoint.data["signature"] ?? .null,
            ]
            print(line.jsonString())
        }
    }
}
