import AuditLog
import Crypto
import Foundation

extension SupervisionAPI {
    /// The audit witness (`audit anchor push --witness URL/witness`): `POST /witness/checkpoint`, `GET /witness/checkpoint?origin=…`.
    ///
    /// It cosigns with the decision key; the cosignature's own prefix keeps
    /// those signatures apart from decisions.
    func witnessCheckpoint(_ request: HTTPExchange.Request) throws -> HTTPExchange.Reply {
        guard let witness else { throw SupervisionError.notFound("this server keeps no witness folder") }
        switch request.method {
        case "POST":
            guard let header = request.header("Konektor-Log-Key"), let raw = Data(base64Encoded: header),
                let logKey = try? Curve25519.Signing.PublicKey(rawRepresentation: raw)
            else { return .text(400, "the Konektor-Log-Key header must hold the log's public key (base64)\n") }
            do {
                return .text(200, try witness.accept(String(decoding: request.body, as: UTF8.self), logKey: logKey))
            } catch let refusal as WitnessStore.Refusal {
                return .text(409, "\(refusal)\n")
            }
        case "GET":
            guard let origin = request.queryItems["origin"] else { return .text(400, "pass ?origin=ORIGIN\n") }
            guard let latest = try witness.latest(origin: origin) else { return .text(404, "no checkpoint of \(origin)\n") }
            return .text(200, latest.text)
        default:
            throw notAllowed(["GET", "POST"])
        }
    }
}
