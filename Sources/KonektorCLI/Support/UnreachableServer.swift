/// Nothing listens at the base URL: the server is down, or the URL is wrong. Said in one sentence, at once.
struct UnreachableServer: Error, CustomStringConvertible {
    /// Scheme, host and port, as configured.
    var baseURL: String

    var description: String {
        "nothing is listening at \(baseURL) (connection refused); start the server there, or point KONEKTOR_BASE_URL at the right one"
    }
}
