import AgentCore
import Foundation
import KonektorKit
import Synchronization

/// The secrets this process holds, and the scrubber every byte konektor writes to a terminal or pipe goes through.
///
/// Keys are registered when they are read (the environment at start-up, and
/// any key a session or planner reads later), so no message — an API error
/// echoing a header, an HTTP library quoting a header value, a usage error —
/// can put one on stdout or stderr, in any encoding the scrubber knows.
enum TerminalOutput {
    static let scrubber = Mutex(SecretScrubber())

    /// The variables that hold secrets, with the replacement shown for each.
    static var secretVariables: [String] { SecretVariables.names }

    /// Registers every secret in the environment, as read and as normalised, before anything is written.
    static func registerSecrets(in environment: [String: String]) {
        for name in secretVariables {
            guard let raw = environment[name] else { continue }
            register(SecretScrubber.Secret(name: name, value: raw))
            if let trimmed = try? Credential.normalise(raw, variable: name) { register(SecretScrubber.Secret(name: name, value: trimmed)) }
            // A value refused for an inner control character still has clean parts on either side of it.
            for part in raw.unicodeScalars.split(whereSeparator: Credential.isSpaceOrControl) {
                register(SecretScrubber.Secret(name: name, value: String(String.UnicodeScalarView(part))))
            }
        }
    }

    static func register(_ secret: SecretScrubber.Secret) {
        scrubber.withLock { $0.add(secret) }
    }

    static func register(_ other: SecretScrubber) {
        scrubber.withLock { $0 = $0.merging(other) }
    }

    static func scrub(_ text: String) -> String { scrubber.withLock { $0 }.scrub(text) }
}

/// `print` for this module: the same as the standard library's, through the secret scrubber, unbuffered.
///
/// It shadows `Swift.print` inside KonektorCLI so that no command can write a secret by forgetting to scrub.
func print(_ items: Any..., separator: String = " ", terminator: String = "\n") {
    writeStandardOutput(items.map { "\($0)" }.joined(separator: separator) + terminator)
}
