import AgentCore
import AgentPolicy
import ArgumentParser
import Foundation
import KonektorKit
import SkillCatalog

/// `konektor policy`: the least-privilege profiles that decide every call.
struct PolicyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy",
        abstract: "List, show, check and explain the policies that decide every API call.",
        subcommands: [List.self, Show.self, Check.self, Explain.self]
    )

    struct CatalogOption: ParsableArguments {
        @Option(name: .long, help: ArgumentHelp("The SKILL.md to check names against (default: the bundled one).", valueName: "path|url"))
        var skill: String?

        func catalog() async throws -> Catalog {
            let source = try await SkillSource.load(skill)
            return SkillParser.parse(source.text, file: source.name).catalog
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Shipped and user policies, one line each.")
        @OptionGroup var catalogOption: CatalogOption
        @Flag(help: "Print a JSON array of {\"name\", \"description\", \"shipped\", \"file\"}.") var json = false

        func run() async throws {
            let library = PolicyLoading.library(catalog: try await catalogOption.catalog())
            if json {
                let items: [JSONValue] = library.names.map { name in
                    let source = library.sources[name]!
                    return ["name": .string(name), "description": .string(library.layer(name)?.0.description ?? ""), "shipped": .bool(source.shipped),
                            "file": source.shipped ? .null : .string(source.file)]
                }
                print(JSONValue.array(items).jsonString())
                return
            }
            let width = library.names.map(\.count).max() ?? 0
            for name in library.names {
                let source = library.sources[name]!
                let description = library.layer(name)?.0.description ?? ""
                let origin = source.shipped ? "shipped" : source.file
                print("\(name)\(String(repeating: " ", count: width - name.count))  \(description)  [\(origin)]")
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The effective policy after 'extends', with where each setting comes from.")
        @Argument(help: "A policy name.") var name: String
        @OptionGroup var catalogOption: CatalogOption
        @Flag(help: "Print the effective policy as one JSON object, with the file:line of each setting under \"origins\".") var json = false

        func run() async throws {
            let catalog = try await catalogOption.catalog()
            let library = PolicyLoading.library(catalog: catalog)
            guard library.names.contains(name) else {
                throw CommandFailure("unknown policy '\(name)'\(Suggestion.hint(for: name, among: library.names)) (known: \(library.names.joined(separator: ", ")))", exitCode: .usage)
            }
            let policy: Policy
            do { policy = try library.resolve(name) } catch { throw CommandFailure("\(error)") }
            print(json ? Self.json(policy, catalog: catalog).jsonString(.pretty) : Self.render(policy, catalog: catalog))
        }

        /// The effective policy for scripts: every setting `show` prints, as values; nil sets (all allowed) are null.
        static func json(_ p: Policy, catalog: Catalog) -> JSONValue {
            func list(_ s: Set<String>?) -> JSONValue { s.map { .array($0.sorted().map(JSONValue.string)) } ?? .null }
            func number(_ n: Int?) -> JSONValue { n.map(JSONValue.int) ?? .null }
            let rules: [JSONValue] = p.rules.map { rule in
                ["name": .string(rule.name), "decision": .string(rule.decision.rawValue), "reason": .string(rule.reason),
                 "tools": .array(rule.tools.map(JSONValue.string)), "access": .string(rule.access), "origin": .string("\(rule.origin)")]
            }
            var origins = JSONObject()
            for (key, origin) in p.origins { origins[key] = .string("\(origin)") }
            return [
                "name": .string(p.name), "description": .string(p.description), "extends": .array(p.lineage.dropLast().reversed().map(JSONValue.string)),
                "scopesAllowed": list(p.allowedScopes), "scopesDenied": list(p.deniedScopes), "effectiveScopes": list(p.effectiveScopes(in: catalog)),
                "toolsAllowed": list(p.allowedTools), "toolsDenied": list(p.deniedTools),
                "toolsOffered": .array(p.offeredTools(in: catalog).map { .string($0.toolName) }),
                "reads": .string(p.reads.rawValue), "writes": .string(p.writes.rawValue), "unattendedWrites": .bool(p.unattendedWrites),
                "redact": list(p.redact), "hashInAudit": list(p.hashInAudit),
                "limits": ["callsPerTurn": number(p.limits.callsPerTurn), "writesPerSession": number(p.limits.writesPerSession), "maxPageSize": number(p.limits.maxPageSize)],
                "rules": .array(rules), "origins": .object(origins),
            ]
        }

        static func render(_ p: Policy, catalog: Catalog) -> String {
            func list(_ s: Set<String>?) -> String { s.map { $0.isEmpty ? "none" : $0.sorted().joined(separator: ", ") } ?? "all" }
            func from(_ key: String) -> String { p.origins[key].map { "   # \($0)" } ?? "   # default" }
            var out = "policy \(p.name): \(p.description)\n"
            out += "extends: \(p.lineage.dropLast().reversed().joined(separator: " → ").nilIfEmpty ?? "nothing")\n"
            out += "scopes allowed: \(list(p.allowedScopes))\(from("scopes.allow"))\n"
            out += "scopes denied: \(list(p.deniedScopes))\(from("scopes.deny"))\n"
            out += "effective scopes: \(list(p.effectiveScopes(in: catalog)))\n"
            out += "tools allowed: \(list(p.allowedTools))\(from("tools.allow"))\n"
            out += "tools denied: \(list(p.deniedTools))\(from("tools.deny"))\n"
            out += "tools offered to the planner: \(p.offeredTools(in: catalog).map(\.toolName).joined(separator: ", ").nilIfEmpty ?? "none")\n"
            out += "reads: \(p.reads.rawValue)\(from("reads"))\n"
            out += "writes: \(p.writes.rawValue)\(from("writes"))\n"
            out += "unattended writes (--yes): \(p.unattendedWrites ? "permitted" : "never")\(from("unattendedWrites"))\n"
            out += "redacted from the planner: \(list(p.redact))\(from("redact"))\n"
            out += "hashed in the audit log: \(list(p.hashInAudit))\(from("hashInAudit"))\n"
            out += "search by: \(p.searchShapes.map { $0.isEmpty ? "nothing (search is refused)" : $0.sorted().map(\.rawValue).joined(separator: ", ") } ?? "any value")\(from("search.allow"))\n"
            out += "limits: calls per turn \(p.limits.callsPerTurn.map(String.init) ?? "none"), writes per session \(p.limits.writesPerSession.map(String.init) ?? "none"), largest page \(p.limits.maxPageSize.map(String.init) ?? "none")\n"
            out += "rules:\(p.rules.isEmpty ? " none" : "")\n"
            for rule in p.rules {
                var match = "tools \(rule.tools.joined(separator: ", "))"
                if rule.access != "any" { match += ", \(rule.access)s only" }
                if !rule.when.isEmpty { match += ", when " + rule.when.sorted { $0.key < $1.key }.map { "\($0.key) ∈ {\($0.value.joined(separator: ", "))}" }.joined(separator: " or ") }
                if !rule.has.isEmpty { match += ", or has \(rule.has.joined(separator: ", "))" }
                out += "  - \(rule.name) → \(rule.decision.rawValue): \(rule.reason)\n    \(match)   # \(rule.origin)\n"
            }
            return out
        }
    }

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Check a policy file; exit 0 only when it is valid.")
        @Argument(help: "A policy YAML file.") var file: String
        @OptionGroup var catalogOption: CatalogOption
        @Flag(help: "Print {\"file\", \"policy\", \"valid\", \"diagnostics\": [{\"file\", \"line\", \"severity\", \"message\"}]}.") var json = false

        func run() async throws {
            let source = try PolicyLoading.source(path: file)
            let library = PolicyLoading.library(catalog: try await catalogOption.catalog(), extra: [source])
            let diagnostics = library.check(source.name)
            if json {
                let valid = !diagnostics.contains { $0.severity == .error }
                let items: [JSONValue] = diagnostics.map {
                    ["file": .string($0.file ?? file), "line": .int($0.line), "severity": .string($0.severity.rawValue), "message": .string($0.message)]
                }
                print(JSONValue.object(["file": .string(file), "policy": .string(source.name), "valid": .bool(valid), "diagnostics": .array(items)]).jsonString())
                if !valid { throw ExitCode(ExitStatus.error) }
                return
            }
            for d in diagnostics { print("\(d)") }
            if diagnostics.contains(where: { $0.severity == .error }) {
                throw CommandFailure("\(file) is not a valid policy (\(diagnostics.filter { $0.severity == .error }.count) errors)")
            }
            print("\(file): valid (policy \(source.name)\(diagnostics.isEmpty ? "" : ", \(diagnostics.count) warnings"))")
        }
    }

    struct Explain: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Say what a policy decides for one call, which rule decided, and why.",
            discussion: "Exit 0 when the call may run (perhaps after confirmation or approval), 4 when the policy denies it, 1 when its arguments are invalid.")
        @Option(help: "The policy to ask.") var policy = "default"
        @Argument(help: "A tool name, e.g. updateLead.") var tool: String
        @Argument(help: ArgumentHelp("The arguments as a JSON object.", valueName: "json")) var arguments = "{}"
        @OptionGroup var catalogOption: CatalogOption
        @Flag(help: "Print {\"verdict\", \"reason\", \"rule\", \"request\", \"invalid\"}; the exit code is the same.") var json = false

        func run() async throws {
            let object: JSONObject
            do {
                guard case .object(let o) = try JSONValue(parsing: arguments) else { throw CommandFailure("the arguments must be a JSON object, like '{\"id\": \"lead_1\"}'", exitCode: ExitStatus.usage) }
                object = o
            } catch let error as JSONParseError {
                throw CommandFailure("the arguments are not JSON: \(error)", exitCode: ExitStatus.usage)
            }
            let catalog = try await catalogOption.catalog()
            let resolved: Policy
            do { resolved = try PolicyLoading.library(catalog: catalog).resolve(policy) } catch { throw CommandFailure("\(error)") }
            let outcome = CallGate(catalog: catalog, policy: resolved).check(ToolCall(id: "explain", name: tool, arguments: object))
            let d = outcome.decision
            if json {
                var object: JSONObject = ["verdict": .string(d.verdict.rawValue), "reason": .string(d.reason), "rule": .string(d.rule), "request": .null, "invalid": .null]
                switch outcome {
                case .denied: break
                case .invalid(_, let error): object["invalid"] = .string("\(error)")
                case .ready(_, let call):
                    object["request"] = ["method": .string(call.method), "target": .string(call.target), "body": call.body.map(JSONValue.object) ?? .null]
                }
                print(JSONValue.object(object).jsonString())
                switch outcome {
                case .denied: throw ExitCode(ExitStatus.denied)
                case .invalid: throw ExitCode(ExitStatus.error)
                case .ready: return
                }
            }
            print("\(d.verdict.rawValue): \(d.reason)")
            print("rule: \(d.rule)")
            switch outcome {
            case .denied: throw ExitCode(ExitStatus.denied)
            case .invalid(_, let error):
                print("but the arguments are invalid: \(error)")
                throw ExitCode(ExitStatus.error)
            case .ready(_, let call):
                print("request: \(call.method) \(call.target)" + (call.body.map { " " + JSONValue.object($0).jsonString() } ?? ""))
            }
        }
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
