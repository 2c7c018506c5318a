import AgentCore
import Approvals
import Foundation
import SupervisionClient

/// Whether this process is supervised by a server: `KONEKTOR_SERVER_URL` (or `server:` in config.yaml) with `KONEKTOR_SERVER_TOKEN`.
///
/// With neither, approvals stay in the local store (one person on one machine). A URL without a token, or a token
/// without a URL, is an error rather than a silent fall-back to local mode: the person meant to be supervised.
public enum SupervisionSettings {
    /// The server client, or nil in local mode.
    public static func client(environment: [String: String], paths: KonektorPaths) throws -> SupervisionClient? {
        let config = try KonektorConfig.load(paths.configDirectory.appendingPathComponent("config.yaml"))
        let url = environment["KONEKTOR_SERVER_URL"].flatMap { $0.isEmpty ? nil : $0 } ?? config.server
        let token: String?
        do {
            token = try Credential.read("KONEKTOR_SERVER_TOKEN", from: environment)
        } catch {
            throw CommandFailure("\(error)", exitCode: .usage)
        }
        switch (url, token) {
        case (nil, nil):
            return nil
        case (nil, _?):
            throw CommandFailure("KONEKTOR_SERVER_TOKEN is set but no supervision server is: set KONEKTOR_SERVER_URL (or server: in config.yaml)",
                                 exitCode: .usage)
        case (let url?, nil):
            throw CommandFailure("a supervision server is set (\(ServiceURL.redacted(url))) but KONEKTOR_SERVER_TOKEN is not: "
                + "ask its operator for a token (konektor server token create)", exitCode: .usage)
        case (let url?, let token?):
            do {
                let server = try ServiceURL(parsing: url, variable: "KONEKTOR_SERVER_URL", allowPath: false, secret: true)
                let explicit = environment["KONEKTOR_SERVER_PUBLIC_KEY"].flatMap { $0.isEmpty ? nil : $0 }
                let pin = ServerKeyPin(file: ServerKeyPin.file(for: server, configDirectory: paths.configDirectory), explicit: explicit)
                return try SupervisionClient(url: url, token: token, pin: pin)
            } catch {
                throw CommandFailure("\(error)", exitCode: .usage)
            }
        }
    }

    /// The backend approvals go to: the server when one is configured (its key checked against the pin now), else `local`.
    public static func backend(environment: [String: String], paths: KonektorPaths, local: ApprovalStore) async throws -> any ApprovalBackend {
        guard let remote = try client(environment: environment, paths: paths) else { return local }
        do {
            _ = try await remote.decisionKey()
        } catch {
            await remote.shutdown()
            throw CommandFailure("\(error)")
        }
        return remote
    }
}
