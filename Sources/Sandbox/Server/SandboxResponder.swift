import HTTPTypes
import Hummingbird
import NIOCore

/// Carries HTTP requests to ``SandboxAPI`` and its replies back, with no routing of its own.
struct SandboxResponder: HTTPResponder {
    let api: SandboxAPI
    var latency: Duration = .zero
    static let maxBody = 1 << 20

    func respond(to request: Request, context: SandboxContext) async throws -> Response {
        var body: [UInt8]?
        if request.method == .post || request.method == .patch || request.method == .put {
            var request = request
            do {
                let buffer = try await request.collectBody(upTo: Self.maxBody)
                body = Array(buffer.readableBytesView)
            } catch {
                let failure = APIFailure.validation(["body": "Larger than 1 MiB"])
                return Self.response(SandboxAPI.Reply(status: 400, headers: [], contentType: "application/json; charset=utf-8", body: failure.envelope.jsonString()))
            }
        }
        let incoming = SandboxAPI.Incoming(
            method: request.method.rawValue, path: request.uri.path, query: request.uri.query ?? "",
            authorization: request.headers[.authorization], contentType: request.headers[.contentType], body: body,
            remoteAddress: context.remoteAddress)
        if latency > .zero, !incoming.path.hasSuffix("/SKILL.md") { try? await Task.sleep(for: latency) }
        return Self.response(await api.respond(to: incoming))
    }

    static func response(_ reply: SandboxAPI.Reply) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = reply.contentType
        for (name, value) in reply.headers {
            if let field = HTTPField.Name(name) { headers.append(HTTPField(name: field, value: value)) }
        }
        return Response(status: HTTPResponse.Status(code: reply.status), headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: reply.body)))
    }
}
