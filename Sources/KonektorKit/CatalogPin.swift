import AgentCore
import Crypto
import Foundation
import SkillCatalog

/// The SKILL.md konektor trusts for one API origin: its text, hash and endpoint table, kept in the config folder.
///
/// The first SKILL.md used for an origin is pinned. A later one whose
/// endpoint table differs (an endpoint added or removed, a method, path or
/// scope changed) is not used until a person runs `konektor catalog accept`;
/// one that differs only in descriptions replaces the pinned text silently.
public struct CatalogPin: Sendable, Equatable {
    public var origin: String
    public var sha256: String
    public var pinnedAt: String
    /// Where the text came from (a URL, or the bundled copy).
    public var source: String
    /// The pinned SKILL.md; its endpoint table is derived from it, never stored apart and trusted.
    public var document: String

    public init(origin: String, source: SkillSource, at instant: String = UTCTimestamp.format(millis: Int64(Date().timeIntervalSince1970 * 1000))) {
        self.origin = origin
        sha256 = Self.hash(source.text)
        pinnedAt = instant
        self.source = source.name
        document = source.text
    }

    public static func hash(_ text: String) -> String { "sha256:" + Hex.encode(SHA256.hash(data: Data(text.utf8))) }

    public var skillSource: SkillSource { SkillSource(text: document, name: "\(source) (pinned \(pinnedAt))") }

    /// The pinned catalog, parsed from the pinned document (only when a comparison needs it).
    public var catalog: Catalog { SkillParser.parse(document, file: skillSource.name).catalog }

    /// The file's content; `endpoints` is there for a person reading it, and is not read back.
    public var jsonValue: JSONValue {
        ["origin": .string(origin), "sha256": .string(sha256), "pinnedAt": .string(pinnedAt), "source": .string(source),
         "endpoints": EndpointTable(catalog).jsonValue, "document": .string(document)]
    }

    public init(json: JSONValue, file: String) throws {
        guard let origin = json["origin"]?.stringValue, let sha = json["sha256"]?.stringValue, let at = json["pinnedAt"]?.stringValue,
            let document = json["document"]?.stringValue
        else { throw CommandFailure("\(file): not a catalog pin (origin, sha256, pinnedAt, document); remove it to pin again") }
        guard Self.hash(document) == sha else {
            throw CommandFailure("\(file): the pinned document does not match its hash; the pin was edited — remove it and run konektor catalog accept")
        }
        self.origin = origin
        sha256 = sha
        pinnedAt = at
        source = json["source"]?.stringValue ?? origin
        self.document = document
    }
}

/// Pins on disk: one JSON file per origin in `$XDG_CONFIG_HOME/konektor/catalogs/`.
public struct CatalogPinStore: Sendable {
    public var directory: URL

    public init(paths: KonektorPaths) { directory = paths.configDirectory.appendingPathComponent("catalogs") }

    public func file(for origin: String) -> URL {
        let name = origin.map { $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" ? String($0) : "_" }.joined()
        return directory.appendingPathComponent(name + ".json")
    }

    public func load(origin: String) throws -> CatalogPin? {
        let url = file(for: origin)
        guard let data = FileManager.default.contents(atPath: url.path) else { return nil }
        guard let text = String(data: data, encoding: .utf8), let json = try? JSONValue(parsing: text) else {
            throw CommandFailure("\(url.path): not JSON; remove it to pin the catalog again")
        }
        let pin = try CatalogPin(json: json, file: url.path)
        guard pin.origin == origin else { throw CommandFailure("\(url.path): pinned for \(pin.origin), not \(origin)") }
        return pin
    }

    public func save(_ pin: CatalogPin) throws {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            let url = file(for: pin.origin)
            let temporary = url.appendingPathExtension("tmp")
            try Data(pin.jsonValue.jsonString(.pretty).utf8).write(to: temporary)
            // rename(2) replaces the old pin atomically: a reader sees the old one or the new one, never half of either.
            guard rename(temporary.path, url.path) == 0 else { throw CocoaError(.fileWriteUnknown) }
        } catch {
            throw CommandFailure("cannot save the catalog pin in \(directory.path): \(error.localizedDescription)")
        }
    }
}

/// Which SKILL.md a session uses, given what was fetched and what is pinned.
public struct CatalogChoice: Sendable {
    public var source: SkillSource
    public var catalog: Catalog
    /// The pin to write (first use, or a description-only update); nil when the pin stands as it is.
    public var pinToSave: CatalogPin?
    /// Changes held back until `konektor catalog accept`.
    public var heldChanges: [EndpointTable.Change]
    public var warnings: [String]
    /// Nothing listened at the API's address (already said in a warning).
    public var serverUnreachable = false

    /// Decides between a fetched document (nil when it could not be fetched) and the pin for its origin.
    public static func choose(origin: String, fetched: SkillSource?, fetchProblem: String?, pin: CatalogPin?) -> CatalogChoice {
        var warnings: [String] = []
        var candidate = fetched
        var candidateCatalog = candidate.map { SkillParser.parse($0.text, file: $0.name).catalog }
        var problem = fetchProblem
        if let catalog = candidateCatalog, catalog.tools.isEmpty {
            problem = "\(candidate!.name) describes no endpoints"
            candidate = nil
            candidateCatalog = nil
        }
        guard let pin else {
            let source = candidate ?? .bundled
            let catalog = candidateCatalog ?? SkillParser.parse(source.text, file: source.name).catalog
            if let problem { warnings.append(problem + "; using the bundled copy") }
            return CatalogChoice(source: source, catalog: catalog, pinToSave: CatalogPin(origin: origin, source: source), heldChanges: [], warnings: warnings)
        }
        guard let candidate, let candidateCatalog else {
            if let problem { warnings.append(problem + "; using the catalog pinned \(pin.pinnedAt)") }
            return CatalogChoice(source: pin.skillSource, catalog: pin.catalog, pinToSave: nil, heldChanges: [], warnings: warnings)
        }
        // The usual case: the API serves the pinned document itself, and one parse is enough.
        if CatalogPin.hash(candidate.text) == pin.sha256 {
            return CatalogChoice(source: candidate, catalog: candidateCatalog, pinToSave: nil, heldChanges: [], warnings: warnings)
        }
        let pinnedCatalog = pin.catalog
        let changes = EndpointTable(pinnedCatalog).changes(to: EndpointTable(candidateCatalog))
        if !changes.isEmpty {
            warnings.append("the SKILL.md served by \(origin) changes its endpoints (\(changes.count) change\(changes.count == 1 ? "" : "s"): "
                + changes.prefix(3).map(\.description).joined(separator: "; ") + (changes.count > 3 ? "; …" : "")
                + "); keeping the catalog pinned \(pin.pinnedAt). Review with `konektor catalog diff`, take it with `konektor catalog accept`")
            return CatalogChoice(source: pin.skillSource, catalog: pinnedCatalog, pinToSave: nil, heldChanges: changes, warnings: warnings)
        }
        // Only descriptions changed: take the new text and pin it.
        return CatalogChoice(source: candidate, catalog: candidateCatalog, pinToSave: CatalogPin(origin: origin, source: candidate),
                             heldChanges: [], warnings: warnings)
    }
}
