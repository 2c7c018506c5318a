import AgentCore
import ArgumentParser
import AsyncHTTPClient
import AuditLog
import Crypto
import Foundation
import KonektorKit
import NIOCore

extension AuditCommand {
    /// `konektor audit anchor push`: sends the latest signed checkpoint to a witness the local user cannot rewrite.
    struct Anchor: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Anchor the log outside this machine: send signed checkpoints to a witness.",
            subcommands: [Push.self])

        struct Push: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Send the latest checkpoint (C2SP signed note) to a witness; `audit verify --witness` then checks the log against the witness's copy.",
                discussion: """
                    WITNESS is a folder (another machine's share, WORM storage) or the URL of a witness (`konektor audit witness serve` \
                    on another machine; https, or http to this machine only). Protocol: POST WITNESS/checkpoint with the signed note \
                    as text/plain and the log's public key (base64) in the Konektor-Log-Key header; the witness pins that key on the \
                    first push, refuses a smaller size (a cut log) or another root hash for a size it holds (a rewritten log), and \
                    answers 200 with the note as stored, cosigned (c2sp.org/tlog-cosignature) with its own key. GET \
                    WITNESS/checkpoint?origin=ORIGIN returns it.
                    """)
            @OptionGroup var location: AuditCommand.Location
            @Option(help: ArgumentHelp("A witness folder or URL.", valueName: "witness")) var witness: String

            func run() async throws {
                let directory = try location.requireLog()
                let keys = try AuditKeys.loadOrCreate(in: KonektorPaths().configDirectory)
                guard let checkpoint = AuditQuery.records(in: directory).last(where: { $0.record.kind == "checkpoint" })?.record else {
                    throw CommandFailure("the log has no checkpoint yet; one is written at each session end")
                }
                guard checkpoint.data["publicKey"]?.stringValue == keys.publicKey.rawRepresentation.base64EncodedString() else {
                    throw CommandFailure("the latest checkpoint (#\(checkpoint.seq)) is not signed with this installation's key \(AuditKeys.fingerprint(keys.publicKey)); run `konektor audit verify` first")
                }
                guard let root = Self.hexBytes(checkpoint.hash) else { throw CommandFailure("checkpoint #\(checkpoint.seq) has no readable hash") }
                let note = CheckpointNote(origin: CheckpointNote.origin(for: keys.publicKey), size: checkpoint.seq, rootHash: root)
                let signed = try note.signed(with: keys.signing)
                let stored = try await WitnessEndpoint(witness).push(signed, logKey: keys.publicKey)
                let (_, signatures) = try CheckpointNote.parse(stored)
                let cosigners = signatures.map(\.name).filter { $0 != note.origin }
                print("anchored records 1…\(note.size) at \(witness)\(cosigners.isEmpty ? " (stored, not cosigned)" : ", cosigned by \(cosigners.joined(separator: ", "))")")
            }

            static func hexBytes(_ hex: String) -> Data? {
                guard hex.count % 2 == 0 else { return nil }
                var data = Data()
                var index = hex.startIndex
                while index < hex.endIndex {
                    let next = hex.index(index, offsetBy: 2)
                    guard let byte = UInt8(hex[index..<next], radix: 16) else { return nil }
                    data.append(byte)
                    index = next
                }
                return data
            }
        }
    }
}

/// A witness as this machine reaches it: a folder, or an HTTP(S) endpoint speaking the anchor protocol.
struct WitnessEndpoint {
    let address: String

    init(_ address: String) { self.address = address }

    var url: URL? {
        guard address.hasPrefix("http://") || address.hasPrefix("https://") else { return nil }
        return URL(string: address)
    }

    /// Plain HTTP only to this machine: anywhere else a witness answers over HTTPS.
    func checkedURL() throws -> URL? {
        guard let url else { return nil }
        if url.scheme == "http", !["127.0.0.1", "localhost", "::1", "[::1]"].contains(url.host ?? "") {
            throw CommandFailure("the witness \(address) must use https (plain http only to this machine)")
        }
        return url
    }

    func push(_ signed: String, logKey: Curve25519.Signing.PublicKey) async throws -> String {
        guard let url = try checkedURL() else {
            do { return try WitnessStore(directory: URL(fileURLWithPath: address)).accept(signed, logKey: logKey) } catch let refusal as WitnessStore.Refusal {
                throw CommandFailure("the witness \(address) refused the checkpoint: \(refusal)")
            }
        }
        var request = HTTPClientRequest(url: url.appendingPathComponent("checkpoint").absoluteString)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "text/plain; charset=utf-8")
        request.headers.add(name: WitnessEndpoint.logKeyHeader, value: logKey.rawRepresentation.base64EncodedString())
        request.body = .bytes(ByteBuffer(string: signed))
        let (status, text) = try await send(request)
        guard status == 200 else { throw CommandFailure("the witness \(address) refused the checkpoint (HTTP \(status)): \(text.trimmingCharacters(in: .whitespacesAndNewlines))") }
        return text
    }

    /// The witness's latest copy for `origin`, or nil when it holds none.
    func latest(origin: String) async throws -> String? {
        guard let url = try checkedURL() else {
            return try WitnessStore(directory: URL(fileURLWithPath: address)).latest(origin: origin)?.text
        }
        var components = URLComponents(url: url.appendingPathComponent("checkpoint"), resolvingAgainstBaseURL: false)!
        components.queryItems = [URLQueryItem(name: "origin", value: origin)]
        let (status, text) = try await send(HTTPClientRequest(url: components.url!.absoluteString))
        if status == 404 { return nil }
        guard status == 200 else { throw CommandFailure("the witness \(address) answered HTTP \(status): \(text)") }
        return text
    }

    static let logKeyHeader = "Konektor-Log-Key"

    func send(_ request: HTTPClientRequest) async throws -> (Int, String) {
        let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup)
        do {
            let response = try await client.execute(request, timeout: .seconds(30))
            let body = try await response.body.collect(upTo: 1 << 20)
            try await client.shutdown()
            return (Int(response.status.code), String(buffer: body))
        } catch {
            try? await client.shutdown()
            if error is CommandFailure { throw error }
            throw CommandFailure("cannot reach the witness \(address): \(error)")
        }
    }
}
