/// What a phrase of a request stands for.
enum Meaning: Sendable, Hashable {
    /// A concept of the lexicon (`act.count`, `time.lastWeek`, `obj.funnel` …).
    case concept(String)
    /// An enum value of some catalog parameter (`whatsapp`, `won`, `current_week`).
    case value(String)
    /// A month by number, 1–12.
    case month(Int)
    /// A number written as a word ("lima", "seven").
    case number(Int)

    var concept: String? { if case .concept(let c) = self { c } else { nil } }
    var value: String? { if case .value(let v) = self { v } else { nil } }
}
