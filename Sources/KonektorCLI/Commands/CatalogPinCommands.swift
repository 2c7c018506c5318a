import AgentCore
import ArgumentParser
import AuditLog
import Foundation
import KonektorClient
import KonektorKit
import SkillCatalog

/// Options shared by `catalog diff` and `catalog accept`: which API's pinned catalog.
struct PinnedAPIOptions: ParsableArguments {
    @Option(name: .customLong("base-url"), help: ArgumentHelp("The API whose pinned catalog to compare (default: KONEKTOR_BASE_URL, or https://konektor.id).", valueName: "url"))
    var baseURL: String?

    func service(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> ServiceURL {
        let text = baseURL ?? ClientConfiguration.baseURL(environment: environment)
        do {
            return try ServiceURL(parsing: text, variable: baseURL == nil ? "KONEKTOR_BASE_URL" : "--base-url", allowPath: false)
        } catch {
            throw CommandFailure("\(error)", exitCode: ExitStatus.usage)
        }
    }

    /// The pin and the SKILL.md the API serves now, with the changes between them.
    func compare() async throws -> (service: ServiceURL, pin: CatalogPin?, served: SkillSource, catalog: Catalog, changes: [EndpointTable.Change]) {
        let service = try service()
        let served = try await SkillSource.fetch(service.origin + "/api/v2/agent/SKILL.md")
        let catalog = SkillParser.parse(served.text, file: served.name).catalog
        guard !catalog.tools.isEmpty else { throw CommandFailure("\(served.name) describes no endpoints; nothing to compare") }
        let pin = try CatalogPinStore(paths: KonektorPaths()).load(origin: service.origin)
        let changes = (pin.map { EndpointTable($0.catalog) } ?? EndpointTable(rows: [])).changes(to: EndpointTable(catalog))
        return (service, pin, served, catalog, changes)
    }
}

/// `konektor catalog diff`: what the API's SKILL.md changes relative to the pinned catalog.
struct CatalogDiffCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Show how the API's SKILL.md differs from the pinned catalog.",
        discussion: """
            Sessions keep using the pinned catalog while its endpoints differ from what the API serves \
            (an endpoint added or removed, a method, path or scope changed). Descriptions are not compared. \
            Exit 0 when they agree, 1 when there are changes to review (accept them with `konektor catalog accept`).
            """
    )

    @OptionGroup var api: PinnedAPIOptions

    @Flag(help: "Print one JSON object: {origin, pinned, pinnedAt, changes}.")
    var json = false

    func run() async throws {
        let (service, pin, served, _, changes) = try await api.compare()
        if json {
            let object: JSONValue = [
                "origin": .string(service.origin), "pinned": .bool(pin != nil), "pinnedAt": pin.map { .string($0.pinnedAt) } ?? .null,
                "pinnedHash": pin.map { .string($0.sha256) } ?? .null, "servedHash": .string(CatalogPin.hash(served.text)),
                "changes": .array(changes.map { .string($0.description) }),
            ]
            print(object.jsonString())
        } else if pin == nil {
            print("no catalog is pinned for \(service.origin) yet; the first session pins what it serves (\(changes.count) endpoints):")
            for change in changes { print("  \(change)") }
        } else if changes.isEmpty {
            print("the SKILL.md served by \(service.origin) has the pinned endpoints (pinned \(pin!.pinnedAt))")
        } else {
            print("the SKILL.md served by \(service.origin) changes the pinned catalog (pinned \(pin!.pinnedAt)):")
            for change in changes { print("  \(change)") }
            print("take it with: konektor catalog accept")
        }
        if pin != nil, !changes.isEmpty { throw ExitCode(ExitStatus.error) }
    }
}

/// `konektor catalog accept`: a person takes the API's current SKILL.md as the pinned catalog; recorded in the audit log.
struct CatalogAcceptCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "accept",
        abstract: "Pin the SKILL.md the API serves now, after reviewing `konektor catalog diff`.",
        discussion: "The decision is recorded in the audit log (who, when, the old and new hashes and every change)."
    )

    @OptionGroup var api: PinnedAPIOptions

    func run() async throws {
        let (service, pin, served, catalog, changes) = try await api.compare()
        if let pin, pin.sha256 == CatalogPin.hash(served.text) {
            print("the pinned catalog for \(service.origin) is already the one it serves (pinned \(pin.pinnedAt))")
            return
        }
        let paths = KonektorPaths()
        let newPin = CatalogPin(origin: service.origin, source: served)
        do {
            let keys = try AuditKeys.loadOrCreate(in: paths.configDirectory)
            let audit = try AuditLog(configuration: .init(directory: paths.auditDirectory), keys: keys)
            try audit.append(AuditEvent(kind: "catalog-accepted", session: "catalog-accept", data: [
                "origin": .string(service.origin), "by": .string(ApprovalsCommand.person),
                "from": pin.map { .string($0.sha256) } ?? .null, "to": .string(newPin.sha256),
                "changes": .array(changes.map { .string($0.description) }),
            ]))
        } catch let failure as CommandFailure {
            throw failure
        } catch {
            throw CommandFailure("cannot record the decision in the audit log, so the catalog was not accepted: \(error)")
        }
        try CatalogPinStore(paths: paths).save(newPin)
        print("pinned the SKILL.md served by \(service.origin) (\(newPin.sha256.prefix(19))…, \(catalog.tools.count) tools)"
            + (changes.isEmpty ? "" : "; \(changes.count) change\(changes.count == 1 ? "" : "s") accepted:"))
        for change in changes { print("  \(change)") }
    }
}
