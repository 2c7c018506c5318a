import AgentCore

/// What the planner will do for a frame: the first calls, what follows from their results, and how to answer.
struct Plan: Sendable {
    enum Kind: Sendable {
        /// Figures from an aggregate tool (summary, sync status, workspace), one call per period.
        case figures
        /// A count taken from a list's `pagination.total`, because the aggregate tool lacks a filter.
        case countFromList
        case list
        /// A lead found by code (search), then read in full by id.
        case lookup
        /// A lead found by code (search), then changed by id.
        case update
        case create
        case ticket
    }

    var kind: Kind
    var tool: String
    /// The calls of the first step (two for a comparison).
    var calls: [ToolCall]
    /// For lookup and update: the tool that takes the found lead's id, and the changes.
    var followTool: String?
    var changes: JSONObject = [:]
    var reference: LeadReference?
    var frame: Frame
    /// Why the plan differs from the obvious one ("the summary has no source filter, so this is counted from the lead list").
    var note: (en: String, id: String)?
    /// Two questions of different topics in one request ("omzet bulan ini trus paket kita apa"): each answered by its own plan,
    /// from its own calls, in order.
    var parts: [Plan] = []
}
