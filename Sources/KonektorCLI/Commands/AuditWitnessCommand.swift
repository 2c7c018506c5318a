import AgentCore
import ArgumentParser
import AuditLog
import Crypto
import Foundation
import Hummingbird
import KonektorKit
import NIOCore

extension AuditCommand {
    /// `konektor audit witness serve`: a small witness for other machines' logs (the anchor protocol of `audit anchor push`).
    struct Witness: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Run a witness that stores and cosigns other machines' audit checkpoints.", subcommands: [Serve.self])

        struct Serve: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Serve POST /checkpoint and GET /checkpoint?origin=… over a folder of checkpoints; prints one JSON line with url, name and publicKey.",
                discussion: "Run it on a machine the logging machine's user cannot log in to. Its key (witness.key in --dir, made on first start) cosigns every checkpoint it accepts.")
            @Option(help: "The folder that holds the checkpoints and the witness's key.") var dir: String
            @Option(help: "The address to listen on.") var host = "127.0.0.1"
            @Option(help: "The port (0: any free port).") var port = 8090
            @Option(help: "The witness's name in its cosignatures.") var name = "konektor-witness"

            func run() async throws {
                let directory = URL(fileURLWithPath: dir)
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
                let keyURL = directory.appendingPathComponent("witness.key")
                let key: Curve25519.Signing.PrivateKey
                if let text = try? String(contentsOf: keyURL, encoding: .utf8) {
                    guard let raw = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)), let k = try? Curve25519.Signing.PrivateKey(rawRepresentation: raw) else {
                        throw CommandFailure("\(keyURL.path) is not a witness key (base64 of a raw Ed25519 key)")
                    }
                    key = k
                } else {
                    key = Curve25519.Signing.PrivateKey()
                    _ = FileManager.default.createFile(atPath: keyURL.path, contents: Data((key.rawRepresentation.base64EncodedString() + "\n").utf8), attributes: [.posixPermissions: 0o600])
                    try (key.publicKey.rawRepresentation.base64EncodedString() + "\n").write(to: directory.appendingPathComponent("witness.pub"), atomically: true, encoding: .utf8)
                }
                let store = WitnessStore(directory: directory, name: name, key: key)
                let router = Router()
                router.post("checkpoint") { request, _ -> Response in
                    let body = try await request.body.collect(upTo: 64 * 1024)
                    guard let header = request.headers.first(where: { $0.name.canonicalName == WitnessEndpoint.logKeyHeader.lowercased() })?.value, let raw = Data(base64Encoded: header),
                        let logKey = try? Curve25519.Signing.PublicKey(rawRepresentation: raw)
                    else { return Self.text(.badRequest, "the \(WitnessEndpoint.logKeyHeader) header must hold the log's public key (base64)\n") }
                    do {
                        return Self.text(.ok, try store.accept(String(buffer: body), logKey: logKey))
                    } catch let refusal as WitnessStore.Refusal {
                        return Self.text(.conflict, "\(refusal)\n")
                    }
                }
                router.get("checkpoint") { request, _ -> Response in
                    guard let origin = request.uri.queryParameters.get("origin") else { return Self.text(.badRequest, "pass ?origin=ORIGIN\n") }
                    guard let latest = try store.latest(origin: origin) else { return Self.text(.notFound, "no checkpoint of \(origin)\n") }
                    return Self.text(.ok, latest.text)
                }
                let publicKey = key.publicKey.rawRepresentation.base64EncodedString()
                let name = name
                let host = host
                let app = Application(
                    router: router, configuration: .init(address: .hostname(host, port: port), serverName: nil),
                    onServerRunning: { channel in
                        let line: JSONValue = ["url": .string("http://\(host):\(channel.localAddress?.port ?? 0)"), "name": .string(name), "publicKey": .string(publicKey)]
                        writeStandardOutput(line.jsonString() + "\n")
                    })
                try await app.runService()
            }

            static func text(_ status: HTTPResponse.Status, _ text: String) -> Response {
                Response(status: status, headers: [.contentType: "text/plain; charset=utf-8"], body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
            }
        }
    }
}
