import AgentCore

/// The single pass over a SKILL.md's lines, and the fix-ups that need the whole document.
struct ParserState {
    var lines: [SourceLine]
    let file: String?
    var catalog = Catalog(title: "")
    var diagnostics: [Diagnostic] = []

    /// Endpoints under construction, with the facts only the parser needs.
    var drafts: [EndpointDraft] = []
    var current: Int?
    /// The last heading or plain line seen, a candidate endpoint title.
    var lastText: (text: Substring, line: Int, isHeading: Bool)?
    var pendingLocation: (location: Parameter.Location, line: Int)?
    var example: ExampleDraft?
    var availableScopes: (names: [String], line: Int)?
    var valueListLines: [String: Int] = [:]
    /// Lookups kept beside `drafts` so that each check is one hash, not a scan: the reader stays linear.
    var toolNames: Set<String> = []
    var routes: Set<String> = []

    init(lines: [SourceLine], file: String?) {
        self.lines = lines
        self.file = file
    }

    mutating func diagnose(_ severity: Diagnostic.Severity, _ line: Int, _ message: String) {
        diagnostics.append(Diagnostic(severity, line: line, message, file: file))
    }

    // MARK: The pass

    mutating func run() {
        readListingTables()
        readDocumentFacts()
        var i = 0
        while i < lines.count {
            let line = lines[i]
            if line.text.startsWithASCII("|") {
                var end = i
                while end < lines.count, lines[end].text.startsWithASCII("|") { end += 1 }
                handleTable(Table(lines: lines[i..<end]))
                lastText = nil
                i = end
            } else if line.text.startsWithASCII("```") {
                var end = i + 1
                while end < lines.count, !lines[end].text.startsWithASCII("```") { end += 1 }
                handleCode(lines[(i + 1)..<min(end, lines.count)], language: String(line.text.dropFirst(3)), openedAt: line.number)
                if end >= lines.count { diagnose(.warning, line.number, "code block is never closed") }
                i = end + 1
            } else if example != nil, line.text.startsWithASCII("curl ") {
                var end = i
                while end < lines.count, lines[end].text.endsWithASCII(UInt8(ascii: "\\")) { end += 1 }
                end = min(end + 1, lines.count)
                exampleCommand(lines[i..<end])
                i = end
            } else if line.text.startsWithASCII("{") || line.text.startsWithASCII("[") {
                i = readBareJSON(from: i)
            } else {
                handleText(line)
                i += 1
            }
        }
        finishExample(at: lines.last?.number ?? 0)
        finish()
    }

    mutating func readDocumentFacts() {
        var titleFound = false
        for line in lines {
            let text = line.text
            if !titleFound, text.startsWithASCII("# ") {
                catalog.title = String(text.dropFirst(2)).trimmingWhitespace()
                titleFound = true
            }
            // Only lines that start like a fact can be one.
            guard let first = text.utf8.first, first == UInt8(ascii: "V") || first == UInt8(ascii: "L") || first == UInt8(ascii: "B") || first == UInt8(ascii: "D") else { continue }
            if catalog.version == nil, let version = text.value(after: "Version:") {
                catalog.version = version.firstWord
                if let date = text.value(after: "Last updated:") {
                    catalog.lastUpdated = date.firstWord
                    diagnose(.note, line.number, "version and last-updated date share one line; read both")
                }
                if !titleFound, let previous = lines[..<(line.number - 1)].last(where: { !$0.text.isEmpty }) {
                    catalog.title = String(previous.text.drop { $0 == "#" }).trimmingWhitespace()
                    titleFound = true
                    diagnose(.note, previous.number, "no '# ' title heading; took the title from the line before 'Version:'")
                }
            }
            if catalog.lastUpdated == nil, text.hasPrefix("Last updated:"), let date = text.value(after: "Last updated:") {
                catalog.lastUpdated = date.firstWord
            }
            if catalog.baseURL == nil, text.hasPrefix("Base URL:"), let url = text.value(after: "Base URL:") {
                catalog.baseURL = url.firstWord
            }
            if catalog.documentationURL == nil, text.hasPrefix("Documentation:"), let url = text.value(after: "Documentation:") {
                catalog.documentationURL = url.firstWord
            }
        }
        if !titleFound {
            catalog.title = "Untitled API"
            diagnose(.warning, 1, "no title found (neither a '# ' heading nor a line before 'Version:')")
        }
        if catalog.version == nil { diagnose(.warning, 1, "no 'Version:' line; the catalog has no version") }
    }

    // MARK: Text lines

    mutating func handleText(_ line: SourceLine) {
        let text = line.text
        guard !text.isEmpty else { return }
        if text.startsWithASCII("#") {
            let level = text.prefix { $0 == "#" }.count
            let title = String(text.dropFirst(level)).trimmingWhitespace()
            if level <= 2 {
                finishExample(at: line.number)
                current = nil
            }
            lastText = (title[...], line.number, true)
            return
        }
        if let location = Self.parameterLabel(text) {
            guard let current else {
                diagnose(.warning, line.number, "'\(text)' outside an endpoint; ignored")
                return
            }
            pendingLocation = (location, line.number)
            if let reference = text.value(after: "Same fields as") ?? text.value(after: "Same as") {
                var target = reference
                if let comma = target.firstIndex(of: ",") { target = String(target[..<comma]) }
                target = target.trimmingCharacters(in: ".")
                drafts[current].references.append(
                    Reference(location: location, title: target, allOptional: text.lowercased().contains("all optional"), line: line.number))
                pendingLocation = nil
            }
            return
        }
        if text.startsWithASCII("Example:") {
            guard current != nil else { return }
            finishExample(at: line.number)
            example = ExampleDraft(line: line.number)
            return
        }
        if text.utf8.first == UInt8(ascii: "A"), let available = text.value(after: "Available scopes:") {
            availableScopes = (available.split(separator: ",").map { String($0).trimmingWhitespace() }, line.number)
        }
        if let list = Self.valueList(text) {
            if valueListLines[list.name] != nil {
                diagnose(.warning, line.number, "value list '\(list.name)' appears twice; kept the first")
            } else {
                if list.placeholder != nil {
                    diagnose(.warning, line.number, "value list '\(list.name)' is an unfilled template placeholder \(list.placeholder!); no values")
                }
                catalog.valueLists.append(ValueList(name: list.name, values: list.values))
                valueListLines[list.name] = line.number
            }
            return
        }
        lastText = (text, line.number, false)
    }

    static func parameterLabel(_ text: Substring) -> Parameter.Location? {
        guard let first = text.utf8.first, first == UInt8(ascii: "Q") || first == UInt8(ascii: "P") || first == UInt8(ascii: "R") || first == UInt8(ascii: "B") else { return nil }
        if text.startsWithASCII("Query Parameters") { return .query }
        if text.startsWithASCII("Path Parameters") { return .path }
        if text.startsWithASCII("Request Body") || text.startsWithASCII("Body Parameters") { return .body }
        return nil
    }

    /// `Lead Statuses: a, b, c` or `Ticket Statuses: ${ticketStatuses}`.
    static func valueList(_ text: Substring) -> (name: String, values: [String], placeholder: String?)? {
        // Cheap byte checks first: most lines are not `Name: a, b, c`.
        guard let first = text.utf8.first, first >= UInt8(ascii: "A"), first <= UInt8(ascii: "Z"),
            text.utf8.contains(UInt8(ascii: ":")), text.utf8.contains(UInt8(ascii: ",")) || text.utf8.contains(UInt8(ascii: "$")),
            let colon = text.firstIndex(of: ":")
        else { return nil }
        let name = text[..<colon]
        // One to four capitalised words of letters: "Lead Statuses", "Error Codes".
        var words = 0
        var atWordStart = true
        for b in name.utf8 {
            if b == 0x20 { if atWordStart { return nil }; atWordStart = true; continue }
            guard String.isASCIILetter(b) else { return nil }
            if atWordStart {
                guard b >= 65, b <= 90 else { return nil }
                words += 1
                atWordStart = false
            }
        }
        guard (1...4).contains(words), !atWordStart else { return nil }
        let rest = text[text.index(after: colon)...].trimmingWhitespace()
        if rest.startsWithASCII("${"), rest.endsWithASCII(UInt8(ascii: "}")) { return (String(name), [], String(rest)) }
        let values = commaList(rest)
        guard values.count >= 2, values.allSatisfy(\.isIdentifierLike) else { return nil }
        return (String(name), values.map(String.init), nil)
    }

    // MARK: Tables

    mutating func handleTable(_ table: Table) {
        if table.isKeyValue(requiredKeys: ["Method", "Path"]) || table.header == nil && table.rows.contains(where: { $0.cells.first == "Method" }) {
            startEndpoint(table)
            return
        }
        guard let header = table.header?.map({ $0.lowercased() }) else {
            diagnose(.note, table.firstLine, "table without a header row; ignored")
            return
        }
        switch header.first {
        case "parameter", "field", "name":
            addParameters(table, header: header)
        case "key" where header.count == 2:
            readRequirements(table)
        case "scope" where header.count == 2:
            catalog.scopes += table.rows.compactMap { row in
                guard row.cells.count >= 2, !row.cells[0].isEmpty else {
                    diagnose(.warning, row.line, "scope row needs a scope and a description")
                    return nil
                }
                return Scope(name: row.cells[0], description: row.cells[1])
            }
        case "plan":
            for row in table.rows {
                guard row.cells.count >= 2, let limit = row.cells[1].leadingInteger else {
                    diagnose(.warning, row.line, "rate limit row is not 'plan | N req/min'")
                    continue
                }
                catalog.rateLimits.append(RateLimit(plan: row.cells[0], requestsPerMinute: limit))
            }
        case "code":
            for row in table.rows {
                guard row.cells.count >= 3, let status = Int(row.cells[1]), (100...599).contains(status) else {
                    diagnose(.warning, row.line, "error code row is not 'CODE | HTTP status | description'")
                    continue
                }
                catalog.errorCodes.append(ErrorCode(code: row.cells[0], httpStatus: status, description: row.cells[2]))
            }
        case "header":
            catalog.responseHeaders += table.rows.compactMap { row in
                guard row.cells.count >= 2 else { return nil }
                return ResponseHeader(name: row.cells[0], description: row.cells[1])
            }
        default:
            diagnose(.note, table.firstLine, "table with columns \(table.header!.joined(separator: ", ")) is not understood; ignored")
        }
    }

    mutating func readRequirements(_ table: Table) {
        var requirements = Requirements()
        for row in table.rows where row.cells.count >= 2 {
            let key = row.cells[0]
            let value = row.cells[1]
            requirements.rows.append(KeyValue(key: key, value: value))
            switch key.lowercased() {
            case "authentication": if value.lowercased().contains("bearer") { requirements.authScheme = "bearer" }
            case "environment variable": requirements.apiKeyEnvironmentVariable = value
            case "transport": requirements.httpsOnly = value.lowercased().contains("https only")
            case "content-type": requirements.contentType = value
            default: break
            }
        }
        catalog.requirements = requirements
    }

    mutating func startEndpoint(_ table: Table) {
        finishExample(at: table.firstLine)
        current = nil
        pendingLocation = nil
        var fields: [String: String] = [:]
        var fieldLines: [String: Int] = [:]
        for row in table.rows where row.cells.count >= 2 {
            fields[row.cells[0].lowercased()] = row.cells[1]
            fieldLines[row.cells[0].lowercased()] = row.line
        }
        guard let method = fields["method"]?.uppercased(), let path = fields["path"] else {
            diagnose(.error, table.firstLine, "endpoint table lacks a Method or Path row; endpoint skipped")
            return
        }
        guard ["GET", "POST", "PUT", "PATCH", "DELETE"].contains(method) else {
            diagnose(.error, table.firstLine, "unknown HTTP method '\(method)'; endpoint skipped")
            return
        }
        if let problem = PathProblem.find(in: path) {
            diagnose(.error, fieldLines["path"] ?? table.firstLine, "path '\(Self.printable(path))' \(problem); endpoint skipped")
            return
        }
        var title = "\(method) \(path)"
        if let lastText, lastText.line < table.firstLine {
            title = String(lastText.text)
            if !lastText.isHeading {
                diagnose(.note, lastText.line, "endpoint title '\(title)' recovered from a plain line (no heading)")
            }
        } else {
            diagnose(.warning, table.firstLine, "endpoint has no title; named after its method and path")
        }
        let scope = fields["scope"].flatMap { Self.isDash($0) ? nil : $0 }
        let auth: Endpoint.Auth
        if let scope {
            auth = .scope(scope)
        } else if let a = fields["auth"], a.lowercased().contains("public") || a.lowercased().hasPrefix("none") {
            auth = .public
        } else {
            diagnose(.warning, table.firstLine, "endpoint '\(title)' names neither a scope nor public auth; treated as public")
            auth = .public
        }
        let name = Self.toolName(title: title, method: method)
        if toolNames.contains(name) {
            diagnose(.error, table.firstLine, "a second endpoint named '\(name)'; skipped")
            return
        }
        if routes.contains("\(method) \(path)") {
            diagnose(.error, table.firstLine, "\(method) \(path) is documented twice; the second is skipped")
            return
        }
        toolNames.insert(name)
        routes.insert("\(method) \(path)")
        let suspicion = WriteSuspicion.detect(method: method, pathTemplate: path, title: title)
        if let suspicion {
            let place = suspicion.evidence == .path ? "its path" : "its title"
            diagnose(.warning, table.firstLine,
                "'\(title)' is documented as GET but \(place) says '\(suspicion.verb)'; it may change state and is treated as a write until reviewed")
        }
        drafts.append(EndpointDraft(
            endpoint: Endpoint(toolName: name, title: title, method: method, pathTemplate: path, auth: auth, writeSuspicion: suspicion),
            line: table.firstLine))
        current = drafts.count - 1
    }

    /// The text with control characters shown as `\u{…}`, so a diagnostic cannot rewrite the terminal it is printed on.
    static func printable(_ s: String) -> String {
        String(s.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? "\\u{\(String($0.value, radix: 16))}" : String($0) }.joined().prefix(200))
    }

    static func isDash(_ s: String) -> Bool { ["", "—", "-", "–", "n/a", "none"].contains(s.lowercased()) }

    mutating func addParameters(_ table: Table, header: [String]) {
        guard let current else {
            diagnose(.warning, table.firstLine, "parameter table outside an endpoint; ignored")
            return
        }
        let location: Parameter.Location
        if let pendingLocation, pendingLocation.line < table.firstLine {
            location = pendingLocation.location
        } else {
            location = header.first == "field" ? .body : (header.contains("required") ? .query : .path)
            diagnose(.warning, table.firstLine, "parameter table without a 'Query Parameters:'/'Path Parameters:'/'Request Body' label; taken as \(location.rawValue)")
        }
        pendingLocation = nil
        let typeColumn = header.firstIndex(of: "type")
        let requiredColumn = header.firstIndex(of: "required")
        let descriptionColumn = header.firstIndex(of: "description")
        for row in table.rows {
            var cells = row.cells
            var recoveredName = false
            // A renderer can drop the first cell and leave an empty last one: `| string | No | Email address | |`.
            if cells.count == header.count, let typeColumn, typeColumn > 0,
                ParameterType(documentSpelling: cells[0]) != nil, ParameterType(documentSpelling: cells[typeColumn]) == nil,
                cells.last?.isEmpty == true
            {
                cells = [""] + cells.dropLast()
                recoveredName = true
            }
            guard cells.count >= header.count - (descriptionColumn == header.count - 1 ? 1 : 0) else {
                diagnose(.warning, row.line, "parameter row has \(cells.count) cells, the header \(header.count); skipped")
                continue
            }
            func cell(_ column: Int?) -> String { column.flatMap { $0 < cells.count ? cells[$0] : nil } ?? "" }
            let name = cells[0]
            let typeText = cell(typeColumn)
            let type: ParameterType
            if let t = ParameterType(documentSpelling: typeText) {
                type = t
            } else {
                diagnose(.warning, row.line, "unknown type '\(typeText)' for '\(name)'; treated as string")
                type = .string
            }
            var required = location == .path
            if let requiredColumn {
                switch cell(requiredColumn).lowercased() {
                case "yes", "true", "required": required = true
                case "no", "false", "optional", "": required = location == .path
                default: diagnose(.warning, row.line, "'Required' should be Yes or No, not '\(cell(requiredColumn))'")
                }
            }
            let description = cell(descriptionColumn)
            var parameter = Parameter(name: name, location: location, type: type, required: required, description: description)
            applyDescriptionFacts(to: &parameter, line: row.line)
            if recoveredName || name.isEmpty {
                drafts[current].unnamed.append(UnnamedRow(index: drafts[current].endpoint.parameters.count, parameter: parameter, line: row.line))
                drafts[current].endpoint.parameters.append(parameter)
                continue
            }
            guard name.isIdentifierLike else {
                diagnose(.warning, row.line, "'\(name)' is not a parameter name; row skipped")
                continue
            }
            if drafts[current].names.contains(name) {
                diagnose(.warning, row.line, "parameter '\(name)' is listed twice; kept the first")
                continue
            }
            drafts[current].names.insert(name)
            drafts[current].endpoint.parameters.append(parameter)
        }
    }

    // MARK: Examples

    mutating func handleCode(_ body: ArraySlice<SourceLine>, language: String, openedAt line: Int) {
        guard example != nil else { return }
        if let first = body.first(where: { !$0.text.isEmpty }), first.text.hasPrefix("curl") {
            exampleCommand(body)
        } else if !body.isEmpty {
            exampleResponse(body.map(\.text).joined(separator: "\n"), line: line + 1)
        }
    }

    /// Reads a JSON value written without a code fence; returns the index after it.
    mutating func readBareJSON(from start: Int) -> Int {
        var depth = 0
        var inString = false
        var escaped = false
        var end = start
        scan: while end < lines.count, end - start < 2000 {
            for ch in lines[end].text.utf8 {
                if inString {
                    if escaped { escaped = false } else if ch == UInt8(ascii: "\\") { escaped = true } else if ch == UInt8(ascii: "\"") { inString = false }
                    continue
                }
                switch ch {
                case UInt8(ascii: "\""): inString = true
                case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"): depth -= 1
                default: break
                }
            }
            end += 1
            if depth <= 0 { break scan }
            // A table or a fence cannot be part of a JSON value: the block was cut short.
            if end < lines.count, lines[end].text.startsWithASCII("|") || lines[end].text.startsWithASCII("```") { break scan }
        }
        if example != nil {
            exampleResponse(lines[start..<end].map(\.text).joined(separator: "\n"), line: lines[start].number)
        }
        return max(end, start + 1)
    }

    mutating func exampleCommand(_ body: ArraySlice<SourceLine>) {
        guard example != nil else { return }
        let joined = body.map { line -> String in
            var t = line.text
            if t.hasSuffix("\\") { t = t.dropLast().trimmingWhitespace() }
            return String(t)
        }.filter { !$0.isEmpty }.joined(separator: " ")
        example!.command = joined
        example!.commandLine = body.first?.number
    }

    mutating func exampleResponse(_ text: String, line: Int) {
        guard example != nil else { return }
        do {
            example!.response = try JSONValue(parsing: text)
        } catch {
            diagnose(.warning, line, "example response is not valid JSON (\(error.reason))")
        }
        finishExample(at: line)
    }

    mutating func finishExample(at line: Int) {
        guard let draft = example else { return }
        example = nil
        guard let current else { return }
        guard let command = draft.command else {
            if draft.response != nil { diagnose(.warning, draft.line, "example has a response but no curl request") }
            return
        }
        let curl = CurlCommand(command)
        var body: JSONValue?
        if let data = curl.data {
            body = try? JSONValue(parsing: data)
            if body == nil { diagnose(.warning, draft.commandLine ?? draft.line, "example request body is not valid JSON") }
        }
        let method = curl.method ?? (curl.data == nil ? "GET" : "POST")
        let endpoint = drafts[current].endpoint
        if method != endpoint.method {
            diagnose(.warning, draft.commandLine ?? draft.line, "example uses \(method) but the endpoint is \(endpoint.method)")
        }
        if draft.response == nil {
            diagnose(.warning, draft.line, "example for '\(endpoint.title)' has no JSON response")
        }
        drafts[current].endpoint.examples.append(
            Example(command: command, method: method, url: curl.url, requestBody: body, response: draft.response))
    }
}

/// An endpoint being read, with what must wait for the whole document.
struct EndpointDraft {
    var endpoint: Endpoint
    var line: Int
    var references: [Reference] = []
    var unnamed: [UnnamedRow] = []
    /// The names in `endpoint.parameters`, for duplicate checks in constant time.
    var names: Set<String> = []
}

/// "Same as Analytics Summary": parameters borrowed from another endpoint.
struct Reference {
    var location: Parameter.Location
    var title: String
    var allOptional: Bool
    var line: Int
}

/// A parameter row whose name a renderer dropped.
struct UnnamedRow {
    var index: Int
    var parameter: Parameter
    var line: Int
}

struct ExampleDraft {
    var line: Int
    var command: String?
    var commandLine: Int?
    var response: JSONValue?
}
