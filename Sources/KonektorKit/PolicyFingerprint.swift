import AgentCore
import AgentPolicy
import AgentRuntime
import Crypto
import Foundation

/// The SHA-256 of a policy's documents: what a proposal records, so the runner re-checks it under the same text.
///
/// Covers every document in the policy's `extends` chain, most general first, by name and exact text: editing any
/// of them (a rule loosened in `default`, say) changes the hash, and an action proposed before the edit no longer runs.
public enum PolicyFingerprint {
    /// Lowercase hex of the SHA-256 over `[{"name", "text"}…]` in canonical JSON.
    public static func hash(of policy: Policy, in library: PolicyLibrary) -> String {
        let documents: JSONValue = .array(policy.lineage.map { name in
            ["name": .string(name), "text": .string(library.sources[name]?.text ?? "")]
        })
        return Hex.encode(Array(SHA256.hash(data: Data(documents.jsonString(.canonical).utf8))))
    }

    /// A lookup for ``AgentRuntime/Session/Configuration/policyLookup``: each name resolved in `library`, with its hash.
    public static func lookup(in library: PolicyLibrary) -> @Sendable (String) -> PolicyReference? {
        { name in
            guard library.names.contains(name), let policy = try? library.resolve(name) else { return nil }
            return PolicyReference(policy: policy, hash: hash(of: policy, in: library))
        }
    }
}
