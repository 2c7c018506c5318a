/// What a request asks for, in slots: acts, objects, filters, period, numbers by role, a lead reference, changes.
///
/// A frame is built from one request's ``Reading`` and, for a follow-up,
/// merged onto the frame of the earlier request it continues.
struct Frame: Sendable, Hashable {
    /// `act.*` and `obj.*` concepts in order of appearance.
    var acts: [String] = []
    var objects: [String] = []
    /// `metric.*` concepts.
    var metrics: [String] = []
    /// Enum values named, in order (catalog values, synonyms resolved).
    var values: [String] = []
    /// A value's other readings by the same words ("fb": social, else meta), for a tool that cannot take the first.
    var alternatives: [String: [String]] = [:]
    /// Enum values named after "not"/"kecuali".
    var excluded: [String] = []
    var period: Period?
    /// A second period, for "this week vs last week".
    var comparedPeriod: Period?
    var limit: Int?
    var page: Int?
    var sortOrder: String?
    var rankLeast = false
    var rankMost = false
    var lead: LeadReference?
    /// A name, email or phone to search for.
    var search: String?
    var amounts: [Double] = []
    var phone: String?
    var email: String?
    var fields: [String] = []
    /// "the second one": a row of the previous answer's table.
    var ordinal: Int?
    var followUp = false
    var those = false
    var only = false
    /// Words that meant nothing known, as written.
    var unknown: [String] = []
    var indonesian = false
    var hasForm = false
    /// A follow-up ("and last week?", "those leads") with no earlier request to follow.
    var needsContext = false
    /// The text of a note to add ("add a note to KNK-1401: asked for the price list").
    var note: String?
    /// A UUID named in the request (a team member to assign).
    var uuid: String?
    /// "next page" / "halaman berikutnya": the page after the previous request's.
    var nextPage = false
    /// "recently updated": sort by the update time.
    var byUpdate = false
    /// A campaign named in the request ("campaign Promo Gajian"): its row of the campaign report is shown.
    var campaign: String?
    /// `ask.*` concepts: when/history, credentials, vague words ("the numbers").
    var asks: [String] = []
    /// Values joined by "and"/"dan"/"vs" ("from whatsapp and from tiktok"): one call each.
    var splits: [String] = []
    /// Values written after "from"/"dari" ("dari tiktok"): where a lead came from.
    var fromValues: Set<String> = []

    func has(_ concept: String) -> Bool { acts.contains(concept) || objects.contains(concept) || metrics.contains(concept) || asks.contains(concept) || fields.contains(concept) }
    /// Whether the request asks for a change; "how many leads can we add per day?" is a question, not a write.
    var isWrite: Bool {
        let verb = has("act.update") || has("act.create") || has("act.ticket")
        let question = has("act.count") && lead == nil && !hasForm && email == nil && phone == nil && note == nil
        return verb && !question
    }
}

/// A lead named in a request: by code, by id, or by email or phone.
enum LeadReference: Sendable, Hashable {
    case code(String)
    case id(String)
    /// A person's name, an email or a phone number: found by search, and only when exactly one lead matches.
    case name(String)

    var text: String { switch self { case .code(let c): c; case .id(let i): i; case .name(let n): n } }
}
