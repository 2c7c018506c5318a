import AgentCore
import ArgumentParser
import AuditLog
import Crypto
import Foundation
import KonektorKit
import SkillCatalog

/// `konektor audit`: verify and review the tamper-evident log.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Verify, show, export and count the audit log.",
        subcommands: [Verify.self, Show.self, Trail.self, Export.self, Stats.self, Head.self, Anchor.self, Witness.self]
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
        @Option(help: ArgumentHelp("Records at or after this time: an instant with any offset, a date or local time in the workspace's zone, today, yesterday, or an age (1h, 2d).", valueName: "time"))
        var since: String?
        @Option(help: ArgumentHelp("Records up to this time (a date or yesterday: up to its end).", valueName: "time")) var until: String?
        @Option(help: ArgumentHelp("The zone for dates and local times (default: the workspace's zone from the log's last session, else Asia/Jakarta).", valueName: "zone"))
        var zone: String?
        @Option(help: "One session (an id or its first characters).") var session: String?
        @Option(help: "Sessions started by this OS user.") var user: String?
        @Option(help: "Records about this tool.") var tool: String?
        @Option(help: "Decisions with this verdict: allow, confirm, approve or deny.") var decision: String?
        @Option(help: "Only these kinds (repeatable): session-start, request, plan, decision, http-request, …") var kind: [String] = []

        func validate() throws {
            if let decision, !["allow", "confirm", "approve", "deny"].contains(decision) {
                throw ValidationError("--decision is allow, confirm, approve or deny")
            }
        }

        /// The records that match, after checking every filter value against what the log and the catalog know.
        func select(in directory: URL, now: Date = Date()) throws -> [(record: AuditRecord, user: String?)] {
            let rows = AuditQuery.records(in: directory)
            let knownKinds = AuditKind.names + Set(rows.map(\.record.kind)).subtracting(AuditKind.names).sorted()
            for k in kind where !knownKinds.contains(k) {
                throw ValidationError("--kind \(k) is not a kind of record; the kinds are: \(knownKinds.joined(separator: ", "))")
            }
            if let tool {
                let catalogTools = SkillParser.parse(BundledSkill.markdown).catalog.tools.map(\.toolName)
                let logTools = Set(rows.compactMap { $0.record.data["tool"]?.stringValue })
                let known = catalogTools + logTools.subtracting(catalogTools).sorted()
                guard known.contains(tool) else { throw ValidationError("--tool \(tool) is not a tool; the tools are: \(known.joined(separator: ", "))") }
            }
            let zoneName = zone ?? rows.last(where: { $0.record.kind == "session-start" && $0.record.data["timezone"] != nil })?.record.data["timezone"]?.stringValue ?? "Asia/Jakarta"
            guard let timeZone = TimeZone(identifier: zoneName) else { throw ValidationError("--zone \(zoneName) is not a time zone (such as Asia/Jakarta or UTC)") }
            let query: AuditQuery
            do {
                query = AuditQuery(
                    since: try since.map { try AuditTimeBound.parse($0, now: now, zone: timeZone, option: "--since") },
                    until: try until.map { try AuditTimeBound.parse($0, now: now, zone: timeZone, option: "--until") },
                    session: session, user: user, tool: tool, decision: decision, kinds: Set(kind))
            } catch let error as AuditTimeBound.ParseError {
                throw ValidationError(error.description)
            }
            return rows.filter { query.matches($0.record, user: $0.user) }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show records as a readable table, one session's story in order.")
        @OptionGroup var location: Location
        @OptionGroup var filters: Filters
        @Flag(help: "One JSON object per line instead of a table.") var json = false

        func run() async throws {
            let rows = try filters.select(in: try location.requireLog())
            if json {
                for (record, _) in rows { print(record.jsonValue.jsonString()) }
            } else {
                print(AuditQuery.table(rows), terminator: "")
            }
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Export records for a SIEM as JSON lines, CSV or OCSF API Activity events.")
        enum Format: String, ExpressibleByArgument { case jsonl, csv, ocsf }
        @OptionGroup var location: Location
        @OptionGroup var filters: Filters
        @Option(help: "jsonl (the records), csv, or ocsf (OCSF API Activity events, class 6003, one per call, JSON lines).") var format: Format = .jsonl

        func run() async throws {
            let rows = try filters.select(in: try location.requireLog())
            switch format {
            case .jsonl: for (record, _) in rows { print(record.jsonValue.jsonString()) }
            case .csv: print(AuditQuery.csv(rows), terminator: "")
            case .ocsf: for event in OCSFExport.events(rows) { print(event.jsonString()) }
            }
        }
    }

    struct Stats: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Counts by user, tool, decision and status.")
        @OptionGroup var location: Location
        @OptionGroup var filters: Filters
        @Flag(help: "The counts as one JSON object.") var json = false

        func run() async throws {
            let rows = try filters.select(in: try location.requireLog())
            if json {
                print(AuditQuery.stats(rows).jsonString(.pretty))
            } else {
                print(AuditQuery.statsText(rows), terminator: "")
            }
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
