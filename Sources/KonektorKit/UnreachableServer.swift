/// Nothing listens at the base URL: the server is down, or the URL is wrong. Said in one sentence, at once.
public struct UnreachableServer: Error, CustomStringConvertible, Sendable {
    /// Scheme, host and port, as configured.
    public var baseURL: String

    public var description: String {
        "nothing is listening at \(baseURL) (connection refused); start the server there, or point KONEKTOR_BASE_URL at the right one"
    }
}
