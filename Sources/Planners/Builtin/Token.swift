/// One normalised word of a request, or a placeholder for an entity found in the raw text.
struct Token: Sendable, Hashable {
    /// The word after normalisation (lower case, informal form expanded, typo corrected).
    var text: String
    /// The word as the person wrote it.
    var original: String
    /// The index of the entity this placeholder stands for (`RawEntities.items`), if it is one.
    var entity: Int?
}
