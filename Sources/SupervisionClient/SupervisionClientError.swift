/// Why the runtime will not use a supervision server's answers, in words a person can act on.
public enum SupervisionClientError: Error, CustomStringConvertible, Sendable, Equatable {
    case badURL(String)
    case unreachable(String, String)
    /// The server presents another decision key than the one pinned (or given).
    case pinMismatch(presented: String, pinned: String, where: String)
    case badKey(String)
    case cannotPin(String, String)
    case protocolViolation(String)
    /// A server is configured without a token, or a token without a server.
    case incomplete(String)

    public var description: String {
        switch self {
        case .badURL(let problem): problem
        case .unreachable(let url, let error): "the supervision server at \(url) could not be reached (\(error)); start it, or point KONEKTOR_SERVER_URL at the right one"
        case .pinMismatch(let presented, let pinned, let place):
            "the supervision server presents decision key \(presented), but \(pinned) is pinned (\(place)); no decision from it is trusted. "
                + "If the server's key was replaced on purpose, check the new key id with its operator, then remove the pin (or set KONEKTOR_SERVER_PUBLIC_KEY)"
        case .badKey(let place): "\(place) is not a base64 Ed25519 public key (32 bytes)"
        case .cannotPin(let file, let error): "cannot pin the supervision server's key in \(file): \(error)"
        case .protocolViolation(let what): "the supervision server's answer does not follow the protocol: \(what)"
        case .incomplete(let what): what
        }
    }
}
