import AgentCore
import ArgumentParser
import Foundation
import KonektorKit
import Logging
import SupervisionServer

/// `konektor server`: the supervision server that people approve agents' writes on, and its tokens.
struct ServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "server",
        abstract: "Run the supervision server (approvals across people and machines) and manage its tokens.",
        subcommands: [Serve.self, Token.self]
    )

    /// `--db PATH | --postgres URL`, shared by every subcommand.
    struct StorageOptions: ParsableArguments {
        @Option(help: ArgumentHelp("SQLite file (default: server.sqlite in the state folder).", valueName: "path"))
        var db: String?

        @Option(help: ArgumentHelp("PostgreSQL database, postgres://user:password@host:port/database (or KONEKTOR_SERVER_POSTGRES).", valueName: "url"))
        var postgres: String?

        func validate() throws {
            if db != nil, postgres != nil { throw ValidationError("pass --db or --postgres, not both") }
            if let postgres, PostgresLocation(url: postgres) == nil {
                throw ValidationError("--postgres must be a URL such as postgres://konektor@127.0.0.1:5432/konektor")
            }
        }

        var location: StoreLocation {
            let environment = ProcessInfo.processInfo.environment
            if let url = postgres ?? (db == nil ? environment["KONEKTOR_SERVER_POSTGRES"] : nil), let location = PostgresLocation(url: url) {
                return .postgres(location)
            }
            return .sqlite(path: db ?? KonektorPaths().stateDirectory.appendingPathComponent("server.sqlite").path)
        }

        func open() async throws -> any SupervisionStore {
            do { return try await location.open(logger: ServerCommand.quietLogger) } catch { throw CommandFailure("\(error)") }
        }
    }

    static var quietLogger: Logger {
        var logger = Logger(label: "konektor.server")
        logger.logLevel = .error
        return logger
    }

    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Serve the supervision API, the approvers' page at / and an audit witness at /witness until interrupted.",
            discussion: """
                The decision key (Ed25519) is made on first start and kept with the database: beside a SQLite file \
                (mode 0600) or in PostgreSQL's meta table. Runtimes pin its public key. Prints `listening on URL` and the key, \
                or with --json one JSON line {"url","publicKey"}.
                """)

        @OptionGroup var storage: StorageOptions
        @Option(help: "Address to bind.") var host = "127.0.0.1"
        @Option(help: "Port to bind; 0 picks a free one.") var port = 8470
        @Flag(help: "Print one JSON line with url and publicKey.") var json = false
        @Option(help: ArgumentHelp("POST each new pending action here (JSON with a Slack-compatible text).", valueName: "url")) var webhook: String?
        @Flag(name: .customLong("allow-self-approval"), help: "Let an approver decide their own proposals (off: 403).") var allowSelfApproval = false
        @Option(name: .customLong("max-pending-per-session"), help: "Actions one session may have waiting; more get 429.") var maxPendingPerSession = 20
        @Option(name: .customLong("witness-dir"), help: ArgumentHelp("Folder for the audit witness's checkpoints (default: beside a SQLite file).", valueName: "path"))
        var witnessDir: String?

        func validate() throws {
            guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
            guard maxPendingPerSession >= 1 else { throw ValidationError("--max-pending-per-session must be at least 1") }
            if let webhook {
                guard let url = URL(string: webhook), ["http", "https"].contains(url.scheme ?? "") else { throw ValidationError("--webhook must be an http(s) URL") }
            }
        }

        func run() async throws {
            let location = storage.location
            var options = SupervisionOptions(allowSelfApproval: allowSelfApproval, maxPendingPerSession: maxPendingPerSession, webhook: webhook.flatMap(URL.init(string:)))
            options.witnessDirectory = witnessDir.map { URL(fileURLWithPath: $0) } ?? location.defaultWitnessDirectory
            let server: SupervisionServer
            do {
                server = try await SupervisionServer.prepare(.init(host: host, port: port, storage: location, options: options, logger: ServerCommand.quietLogger))
            } catch {
                throw CommandFailure("\(error)")
            }
            let json = json
            let publicKey = server.publicKeyBase64
            do {
                try await server.runUntilSignalled { url in
                    if json {
                        writeStandardOutput(JSONValue.object(["url": .string(url), "publicKey": .string(publicKey)]).jsonString() + "\n")
                    } else {
                        writeStandardOutput("listening on \(url) (\(location))\ndecision key: \(publicKey)\napprovers: \(url)/  witness: \(url)/witness\n")
                    }
                }
            } catch {
                throw CommandFailure("the server stopped: \(error)")
            }
        }
    }

    struct Token: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create, list and revoke server tokens.", subcommands: [Create.self, List.self, Revoke.self])

        struct Create: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Create a token and print it once (it is stored only as a SHA-256).",
                discussion: "Scopes: agents:propose (an agent), agents:read, agents:approve (a person). One token per person and per agent: the name is the identity in decisions and events.")
            @OptionGroup var storage: StorageOptions
            @Option(help: "The identity the token authenticates (a person's or an agent's name).") var name: String
            @Option(parsing: .upToNextOption, help: ArgumentHelp("One or more of agents:propose, agents:read, agents:approve.", valueName: "scope"))
            var scope: [String]
            @Flag(help: "Print one JSON line {name, scopes, token}.") var json = false

            func run() async throws {
                var scopes = Set<TokenScope>()
                for text in scope {
                    guard let value = TokenScope(rawValue: text) else {
                        throw CommandFailure("unknown scope \(text); use \(TokenScope.allCases.map(\.rawValue).joined(separator: ", "))")
                    }
                    scopes.insert(value)
                }
                let store = try await storage.open()
                let token: String
                do { token = try await TokenAdministration.create(name: name, scopes: scopes, in: store) } catch let failure as SupervisionError {
                    await store.close()
                    throw CommandFailure(failure.message)
                }
                await store.close()
                if json {
                    writeStandardOutput(JSONValue.object(["name": .string(name), "scopes": .array(scopes.sorted().map { .string($0.rawValue) }), "token": .string(token)]).jsonString() + "\n")
                } else {
                    writeStandardOutput("\(token)\n")
                    writeStandardError("token \(name) (\(scopes.sorted().map(\.rawValue).joined(separator: " "))) created; it is shown only now\n")
                }
            }
        }

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "List tokens: name, scopes, created, revoked (never the token).")
            @OptionGroup var storage: StorageOptions
            @Flag(help: "JSON lines.") var json = false

            func run() async throws {
                let store = try await storage.open()
                let tokens: [TokenRecord]
                do { tokens = try await store.tokens() } catch {
                    await store.close()
                    throw CommandFailure("\(error)")
                }
                await store.close()
                func instant(_ date: Date?) -> String { date.map { UTCTimestamp.format(millis: Int64($0.timeIntervalSince1970 * 1000)) } ?? "" }
                for token in tokens {
                    let scopes = token.scopes.sorted().map(\.rawValue)
                    if json {
                        writeStandardOutput(JSONValue.object([
                            "name": .string(token.name), "scopes": .array(scopes.map(JSONValue.string)), "createdAt": .string(instant(token.createdAt)),
                            "revokedAt": token.revokedAt.map { .string(instant($0)) } ?? .null,
                        ]).jsonString() + "\n")
                    } else {
                        writeStandardOutput("\(token.name)\t\(scopes.joined(separator: ","))\tcreated \(instant(token.createdAt))\(token.isRevoked ? "\trevoked \(instant(token.revokedAt))" : "")\n")
                    }
                }
            }
        }

        struct Revoke: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Revoke a token by name; it (and its web sessions) stop working at once.")
            @OptionGroup var storage: StorageOptions
            @Argument(help: "The token's name.") var name: String

            func run() async throws {
                let store = try await storage.open()
                let revoked: Bool
                do { revoked = try await store.revokeToken(name: name, at: Date()) } catch {
                    await store.close()
                    throw CommandFailure("\(error)")
                }
                await store.close()
                guard revoked else { throw CommandFailure("no active token named \(name) (konektor server token list)") }
                writeStandardOutput("revoked \(name)\n")
            }
        }
    }
}
