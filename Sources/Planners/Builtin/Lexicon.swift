import AgentCore
import Foundation

/// The built-in planner's words, read once from the bundled `Data/lexicon.json`.
///
/// Everything language-specific lives in the data file: informal forms,
/// particles, concept phrases, synonyms of enum values, month names, number
/// words and the words that carry no meaning of their own. The code only
/// knows the concept keys (`act.count`, `time.lastWeek` …).
struct Lexicon: Sendable {
    var informal: [String: String]
    /// Chat forms that mean something else in English ("ad" is "ada"), read so only in a request that is Indonesian.
    var indonesianInformal: [String: String]
    var particles: [String]
    var suffixes: [String]
    /// Indonesian derivational prefixes (ber-, di-, meng- …), longest first: "berstatus" is read as "status" when only the stem means something.
    var prefixes: [String]
    var stopwords: [String: [String]]
    var indonesianMarkers: [String]
    /// Words that open a question ("what", "apa", "berapa"): a request so opened asks, it does not order.
    var questionWords: [String]
    var concepts: [String: [String]]
    var values: [String: [String]]
    /// Second readings of a value's synonyms ("fb" is the social source, and the Meta ad platform where a tool takes that):
    /// used only when the chosen tool cannot take the first reading.
    var alsoValues: [String: [String]]
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

    /// Reads the lexicon with the project's own JSON reader: `JSONDecoder` took longer than planning a request, and the
    /// lexicon is read on every start of a session.
    static func parse(_ json: String) throws -> Lexicon {
        let root = try JSONValue(parsing: json)
        func object(_ key: String) throws -> JSONObject {
            guard let o = root[key]?.objectValue else { throw LexiconError("\(key) is missing or not an object") }
            return o
        }
        func strings(_ value: JSONValue?, _ key: String) throws -> [String] {
            guard let a = value?.arrayValue else { throw LexiconError("\(key) is missing or not a list") }
            return try a.map { guard let s = $0.stringValue else { throw LexiconError("\(key) holds a value that is not a string") }; return s }
        }
        func lists(_ key: String) throws -> [String: [String]] {
            var out: [String: [String]] = [:]
            for (name, value) in try object(key) { out[name] = try strings(value, "\(key).\(name)") }
            return out
        }
        func forms(_ key: String) throws -> [String: String] {
            var out: [String: String] = [:]
            for (name, value) in try object(key) {
                guard let s = value.stringValue else { throw LexiconError("\(key).\(name) is not a string") }
                out[name] = s
            }
            return out
        }
        let informal = try forms("informal")
        var numberWords: [String: Int] = [:]
        for (name, value) in try object("numberWords") {
            guard let n = value.intValue else { throw LexiconError("numberWords.\(name) is not an integer") }
            numberWords[name] = n
        }
        return Lexicon(informal: informal, indonesianInformal: try forms("indonesianInformal"), particles: try strings(root["particles"], "particles"), suffixes: try strings(root["suffixes"], "suffixes"),
                       prefixes: try strings(root["prefixes"], "prefixes"), stopwords: try lists("stopwords"),
                       indonesianMarkers: try strings(root["indonesianMarkers"], "indonesianMarkers"),
                       questionWords: try strings(root["questionWords"], "questionWords"), concepts: try lists("concepts"),
                       values: try lists("values"), alsoValues: root["alsoValues"] == nil ? [:] : try lists("alsoValues"), months: try lists("months"), numberWords: numberWords,
                       catalogTerms: try lists("catalogTerms"), formLabels: try lists("formLabels"))
    }
}

/// A lexicon file that does not have the lexicon's shape.
struct LexiconError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
