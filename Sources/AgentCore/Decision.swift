/// What the policy layer says about one planned call, and which rule said it.
public struct Decision: Sendable, Hashable, CustomStringConvertible {
    /// Ordered by strength: when rules disagree, the strongest verdict wins.
    public enum Verdict: String, Sendable, Hashable, Comparable, CaseIterable {
        /// Run it.
        case allow
        /// Ask the person at the terminal first.
        case confirm
        /// Queue it as a pending action until a person approves it.
        case approve
        /// Refuse it.
        case deny

        var strength: Int { Self.allCases.firstIndex(of: self)! }

        public static func < (lhs: Verdict, rhs: Verdict) -> Bool { lhs.strength < rhs.strength }
    }

    public var verdict: Verdict
    /// The rule that decided, as `file:line (name)` or a built-in rule's name.
    public var rule: String
    /// Why, in words a person can act on.
    public var reason: String

    public init(_ verdict: Verdict, rule: String, reason: String) {
        self.verdict = verdict
        self.rule = rule
        self.reason = reason
    }

    public var description: String { "\(verdict.rawValue) by \(rule): \(reason)" }
}

extension JSONValue {
    /// A verdict as JSON text (`"approve"`), so code that wrote verdicts as strings keeps encoding them the same way.
    public static func string(_ verdict: Decision.Verdict) -> JSONValue { .string(verdict.rawValue) }
}
