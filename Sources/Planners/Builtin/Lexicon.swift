import Foundation

/// The built-in planner's words, read once from the bundled `Data/lexicon.json`.
///
/// Everything language-specific lives in the data file: informal forms,
/// particles, concept phrases, synonyms of enum values, month names, number
/// words and the words that carry no meaning of their own. The code only
/// knows the concept keys (`act.count`, `time.lastWeek` …).
struct Lexicon: Decodable, Sendable {
    var informal: [String: String]
    var particles: [String]
    var suffixes: [String]
    /// Indonesian derivational prefixes (ber-, di-, meng- …), longest first: "berstatus" is read as "status" when only the stem means something.
    var prefixes: [String]
    var stopwords: [String: [String]]
    var indonesianMarkers: [String]
    var concepts: [String: [String]]
    var values: [String: [String]]
    var months: [String: [String]]
    var numberWords: [String: Int]
    /// Concept → the English words of tool names, titles, parameters and response fields it points at, for tool scoring.
    var catalogTerms: [String: [String]]
    /// Labels of a pasted lead form (`Nama: …`, `No. HP: …`) → the createLead field they fill (`name` is first and last name).
    var formLabels: [String: [String]]

    /// The bundled lexicon; a broken bundle is a build defect, caught by the lexicon tests.
    static let shipped: Lexicon = {
        do { return try parse(BundledLexicon.json) } catch { fatalError("BundledLexicon.json does not decode: \(error)") }
    }()

    static func parse(_ json: String) throws -> Lexicon {
        try JSONDecoder().decode(Lexicon.self, from: Data(json.utf8))
    }
}
