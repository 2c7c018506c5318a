import HTTPTypes
import Hummingbird
import NIOCore

/// Carries HTTP requests to ``SupervisionAPI`` and its replies back; bodies over 1 MiB get 413.
struct SupervisionResponder: HTTPResponder {
    typealias Context = BasicRequestContext
    let api: SupervisionAPI
    static let maxBody = 1 << 20

    func respond(to request: Request, context: Context) async throws -> Response {
        var body: [UInt8] = []
        if request.method != .get, request.method != .head {
            var request = request
            do {
                body = Array(try await request.collectBody(upTo: Self.maxBody).readableBytesView)
            } catch {
                let failure = SupervisionError(.payloadTooLarge, "the body is larger than 1 MiB")
                return Self.response(.json(413, failure.envelope, headers: [("Connection", "close")]))
            }
        }
        var headers: [String: String] = [:]
        for field in request.headers {
            let name = field.name.canonicalName
            headers[name] = headers[name].map { $0 + ", " + field.value } ?? field.value
        }
        let exchange = HTTPExchange.Request(method: request.method.rawValue, path: request.uri.path, query: request.uri.query ?? "", headers: headers, body: body)
        var reply = await api.respond(to: exchange)
        if request.method == .head { reply.body = [] }
        return Self.response(reply)
    }

    static func response(_ reply: HTTPExchange.Reply) -> Response {
        var headers = HTTPFields()
        for (name, value) in reply.headers {
            if let field = HTTPField.Name(name) { headers.append(HTTPField(name: field, value: value)) }
        }
        return Response(status: HTTPResponse.Status(code: reply.status), headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: reply.body)))
    }
}
