import AgentCore
import SkillCatalog

/// The check every planned call passes before any I/O: the policy's decision, then the catalog's validation.
///
/// The runtime and `konektor policy explain` both go through here, so what
/// `explain` says is what a session does.
public struct CallGate: Sendable {
    public let catalog: Catalog
    public let policy: Policy

    public init(catalog: Catalog, policy: Policy) {
        self.catalog = catalog
        self.policy = policy
    }

    /// What happened to one call at the gate.
    public enum Outcome: Sendable {
        /// Refused by the policy; nothing was validated or sent.
        case denied(Decision)
        /// Allowed (or to confirm/approve) but its arguments are wrong: the API's VALIDATION_ERROR shape.
        case invalid(Decision, ValidationError)
        /// Ready to send once the decision's verdict is honoured.
        case ready(Decision, ValidatedCall)

        public var decision: Decision {
            switch self {
            case .denied(let d), .invalid(let d, _), .ready(let d, _): d
            }
        }
    }

    public func check(_ call: ToolCall, usage: SessionUsage = SessionUsage()) -> Outcome {
        let decision = policy.decide(tool: call.name, arguments: call.arguments, catalog: catalog, usage: usage)
        if decision.verdict == .deny { return .denied(decision) }
        switch catalog.validate(call) {
        case .failure(let error): return .invalid(decision, error)
        case .success(let validated):
            // Decide again on the normalised arguments ("80" → 80), which is what will be sent.
            let final = policy.decide(tool: call.name, arguments: validated.arguments, catalog: catalog, usage: usage)
            return final.verdict == .deny ? .denied(final) : .ready(final, validated)
        }
    }
}
