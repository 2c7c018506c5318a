import AgentCore

extension ParserState {
    /// Makes explicit what a description implies: enum values, bounds, defaults, formats.
    ///
    /// `Filter by status: pageview, new, …` gives an enum; a parenthesised
    /// `1–100, default: 50`, `min: 1`, `max 200 chars` or `3–180 chars` gives
    /// bounds and a default. An unfilled `${placeholder}` is reported and the
    /// parameter stays a free string.
    mutating func applyDescriptionFacts(to parameter: inout Parameter, line: Int) {
        let (outside, groups) = Self.splitParentheses(parameter.description)
        for group in groups {
            for piece in commaList(group) {
                applyBound(String(piece), to: &parameter, line: line)
            }
        }
        if outside.utf8.contains(UInt8(ascii: ":")), let colon = outside.firstIndex(of: ":") {
            let rest = outside[outside.index(after: colon)...].trimmingWhitespace()
            if rest.contains("${") {
                diagnose(.warning, line, "'\(parameter.name)' lists an unfilled template placeholder \(rest); accepted as a free string")
            } else {
                let values = commaList(rest)
                if values.count >= 2, values.allSatisfy(\.isIdentifierLike) {
                    parameter.enumValues = values.map(String.init)
                }
            }
        }
        if parameter.type == .string, parameter.name.lowercased() == "email" || parameter.description.lowercased().hasPrefix("email address") {
            parameter.format = "email"
        }
        if case .string(let raw)? = parameter.defaultValue {
            switch parameter.type {
            case .integer:
                if let i = Int(raw) { parameter.defaultValue = .int(i) } else {
                    diagnose(.warning, line, "default '\(raw)' of '\(parameter.name)' is not an integer; ignored")
                    parameter.defaultValue = nil
                }
            case .number:
                if let d = Double(raw) { parameter.defaultValue = .double(d) } else {
                    diagnose(.warning, line, "default '\(raw)' of '\(parameter.name)' is not a number; ignored")
                    parameter.defaultValue = nil
                }
            default: break
            }
        }
    }

    mutating func applyBound(_ piece: String, to parameter: inout Parameter, line: Int) {
        let lower = piece.lowercased()
        if let value = lower.value(after: "default:") {
            parameter.defaultValue = .string(String(piece.suffix(value.count)))
            return
        }
        let bytes = Array(lower.utf8)
        let isLength = lower.hasSuffix("chars") || lower.hasSuffix("characters")
        // Numbers in the piece, read from its bytes; a hyphen, en dash or em dash between two of them makes a range.
        var numbers: [Double] = []
        var hasDash = false
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b >= 48 && b <= 57 {
                var j = i
                while j < bytes.count, (bytes[j] >= 48 && bytes[j] <= 57) || bytes[j] == UInt8(ascii: ".") { j += 1 }
                if let n = Double(String(decoding: bytes[i..<j], as: UTF8.self)) { numbers.append(n) }
                i = j
                continue
            }
            if b == UInt8(ascii: "-") || (b == 0xE2 && i + 2 < bytes.count && bytes[i + 1] == 0x80 && (bytes[i + 2] == 0x93 || bytes[i + 2] == 0x94)) {
                hasDash = true
            }
            i += 1
        }
        if lower.hasPrefix("min") {
            guard let n = numbers.first else { return }
            if isLength { parameter.minLength = Int(n) } else { parameter.minimum = n }
        } else if lower.hasPrefix("max") {
            guard let n = numbers.first else { return }
            if isLength { parameter.maxLength = Int(n) } else { parameter.maximum = n }
        } else if hasDash, numbers.count == 2, let first = bytes.first, first >= 48, first <= 57 {
            if numbers[0] > numbers[1] {
                diagnose(.warning, line, "range '\(piece)' of '\(parameter.name)' has its bounds reversed; ignored")
                return
            }
            if isLength {
                parameter.minLength = Int(numbers[0])
                parameter.maxLength = Int(numbers[1])
            } else {
                parameter.minimum = numbers[0]
                parameter.maximum = numbers[1]
            }
        }
    }

    /// The text outside parentheses and each parenthesised group.
    static func splitParentheses(_ text: String) -> (outside: String, groups: [String]) {
        guard text.utf8.contains(UInt8(ascii: "(")) else { return (text, []) }
        var outside: [UInt8] = []
        var groups: [String] = []
        var depth = 0
        var group: [UInt8] = []
        for byte in text.utf8 {
            if byte == UInt8(ascii: "(") {
                if depth > 0 { group.append(byte) }
                depth += 1
            } else if byte == UInt8(ascii: ")"), depth > 0 {
                depth -= 1
                if depth == 0 { groups.append(String(decoding: group, as: UTF8.self)); group = [] } else { group.append(byte) }
            } else if depth > 0 {
                group.append(byte)
            } else {
                outside.append(byte)
            }
        }
        if depth > 0 { outside += group }
        return (String(decoding: outside, as: UTF8.self), groups)
    }

    /// A stable camel-case tool name from an endpoint title.
    ///
    /// Titles that start with a verb keep it (`List Leads` → `listLeads`);
    /// noun titles get one from the method, `list` for a plural collection
    /// (`Pending Conversions` → `listPendingConversions`), and lose a trailing
    /// `Info` (`Workspace Info` → `getWorkspace`).
    static func toolName(title: String, method: String) -> String {
        let (outside, _) = splitParentheses(title)
        var words = outside.split(whereSeparator: { !($0.isLetter || $0.isNumber) }).map(String.init)
        if words.isEmpty { words = ["endpoint"] }
        let verbs: Set<String> = ["list", "get", "create", "update", "upsert", "delete", "search", "find", "send"]
        if !verbs.contains(words[0].lowercased()) {
            if words.count > 1, ["info", "information", "details"].contains(words.last!.lowercased()) { words.removeLast() }
            let last = words.last!.lowercased()
            let plural = last.hasSuffix("s") && !last.hasSuffix("ss") && !last.hasSuffix("us") && !last.hasSuffix("is")
            let verb: String
            switch method {
            case "GET": verb = plural ? "list" : "get"
            case "POST": verb = "create"
            case "PUT", "PATCH": verb = "update"
            case "DELETE": verb = "delete"
            default: verb = method.lowercased()
            }
            words.insert(verb, at: 0)
        }
        return words.enumerated().map { index, word in
            index == 0 ? word.lowercased() : word.prefix(1).uppercased() + word.dropFirst().lowercased()
        }.joined()
    }
}

