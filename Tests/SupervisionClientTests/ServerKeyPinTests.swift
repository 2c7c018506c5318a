import AgentCore
import Crypto
import Foundation
import SupervisionClient
import Testing
import TestSupport

/// The runtime trusts the supervision server's decision key it saw first (or was given), and no other.
@Suite struct ServerKeyPinTests {
    static func base64(_ key: Curve25519.Signing.PrivateKey) -> String { key.publicKey.rawRepresentation.base64EncodedString() }

    @Test func theFirstKeyIsPinnedAndAnotherIsRefused() throws {
        let temp = try TemporaryDirectory("konektor-pin")
        defer { temp.remove() }
        let server = try ServiceURL(parsing: "http://127.0.0.1:8444", variable: "KONEKTOR_SERVER_URL", allowPath: false)
        let pin = ServerKeyPin(file: ServerKeyPin.file(for: server, configDirectory: temp.url), explicit: nil)
        #expect(pin.file.lastPathComponent == "127.0.0.1_8444.pub")
        let first = Curve25519.Signing.PrivateKey(), second = Curve25519.Signing.PrivateKey()
        #expect(try pin.check(served: Self.base64(first)).rawRepresentation == first.publicKey.rawRepresentation)
        #expect(FileManager.default.fileExists(atPath: pin.file.path))
        #expect(try pin.check(served: Self.base64(first)).rawRepresentation == first.publicKey.rawRepresentation, "the same key again")
        #expect(throws: SupervisionClientError.self) { try pin.check(served: Self.base64(second)) }
        do {
            _ = try pin.check(served: Self.base64(second))
        } catch {
            #expect("\(error)".contains("is pinned (\(pin.file.path))") && "\(error)".contains(ServerKeyPin.keyId(second.publicKey.rawRepresentation)))
        }
        #expect(try String(contentsOf: pin.file, encoding: .utf8) == Self.base64(first) + "\n", "never overwritten")
    }

    @Test func anExplicitKeyWinsAndMustBeTheServers() throws {
        let temp = try TemporaryDirectory("konektor-pin")
        defer { temp.remove() }
        let given = Curve25519.Signing.PrivateKey(), other = Curve25519.Signing.PrivateKey()
        let pin = ServerKeyPin(file: temp.appending("servers/h_1.pub"), explicit: Self.base64(given))
        #expect(try pin.check(served: Self.base64(given)).rawRepresentation == given.publicKey.rawRepresentation)
        #expect(throws: SupervisionClientError.pinMismatch(presented: ServerKeyPin.keyId(other.publicKey.rawRepresentation),
                                                           pinned: ServerKeyPin.keyId(given.publicKey.rawRepresentation), where: "KONEKTOR_SERVER_PUBLIC_KEY")) {
            try pin.check(served: Self.base64(other))
        }
        #expect(!FileManager.default.fileExists(atPath: pin.file.path), "an explicit key is not written to the pin folder")
    }

    @Test func aKeyThatIsNotEd25519IsRefused() throws {
        let temp = try TemporaryDirectory("konektor-pin")
        defer { temp.remove() }
        let pin = ServerKeyPin(file: temp.appending("servers/h_1.pub"), explicit: nil)
        #expect(throws: SupervisionClientError.badKey("the server's GET /v1/server")) { try pin.check(served: "bm90IGEga2V5") }
    }
}
