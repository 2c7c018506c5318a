import AgentCore
import AuditLog
import Crypto
import Foundation
import Testing
import TestSupport

/// Redaction changes what is personal and nothing else (issue 14, part 1).
@Suite struct AuditRedactionTests {
    struct Corpus {
        var survive: [String]
        var mask: [(text: String, raw: [String])]

        static func load() throws -> Corpus {
            let json = try JSONValue(parsing: Fixtures.text("audit/redaction-corpus.json"))
            let survive = json["survive"]?.arrayValue?.compactMap(\.stringValue) ?? []
            let mask = (json["mask"]?.arrayValue ?? []).map { item in
                (item["text"]?.stringValue ?? "", item["raw"]?.arrayValue?.compactMap(\.stringValue) ?? [])
            }
            return Corpus(survive: survive, mask: mask)
        }
    }

    static let corpus = try! Corpus.load()

    func redactor() -> AuditRedactor {
        AuditRedactor(key: SymmetricKey(data: Data(repeating: 7, count: 32)), hashedFields: ["email", "phone", "firstName", "lastName", "notes"])
    }

    @Test func theCorpusIsNotEmpty() {
        #expect(Self.corpus.survive.count >= 30)
        #expect(Self.corpus.mask.count >= 10)
    }

    @Test(arguments: corpus.survive)
    func ordinaryTextSurvivesByteForByte(_ text: String) {
        var r = redactor()
        let out = r.redact(["text": .string(text)])
        #expect(out["text"]?.stringValue == text)
    }

    @Test(arguments: corpus.mask.indices)
    func personalTextIsMasked(_ index: Int) {
        let (text, raws) = Self.corpus.mask[index]
        var r = redactor()
        let out = r.redact(["text": .string(text)])["text"]?.stringValue ?? ""
        for raw in raws {
            #expect(!out.contains(raw), "\(raw) survived in \(out)")
        }
    }

    @Test func anEmailAndItsSpelledFormHashAlike() {
        var r = redactor()
        let plain = r.redact(["text": "budi@example.com"])["text"]?.stringValue
        let spelled = r.redact(["text": "budi at example dot com"])["text"]?.stringValue
        #expect(plain == spelled)
        #expect(plain == "[email \(r.keyedHash("budi@example.com"))]")
    }

    @Test func validationReasonsKeepTheirWords() {
        var r = redactor()
        let out = r.redact(["tool": "createLead", "details": ["email": "Invalid email", "firstName": "Required"]])
        #expect(out["details"]?["email"] == "Invalid email")
        #expect(out["details"]?["firstName"] == "Required")
    }

    @Test func hashedFieldsAreHashedByField() {
        var r = redactor()
        let out = r.redact(["body": ["firstName": "Budi", "status": "qualified", "estimatedValue": 33_000_000]])
        #expect(out["body"]?["firstName"] == .string(r.keyedHash("Budi")))
        #expect(out["body"]?["status"] == "qualified")
        #expect(out["body"]?["estimatedValue"] == 33_000_000)
    }

    /// A name the API returned is masked when it reappears in an answer, a later request or an error.
    @Test func knownValuesAreMaskedWhereverTheyReappear() {
        var r = redactor()
        _ = r.redact(["data": ["data": [["id": "lead_1", "uniqueCode": "CRM-1024", "firstName": "Budi", "lastName": "Santoso", "phone": "+6281234567890"]]]])
        let answer = r.redact(["text": "| CRM-1024 | Budi Santoso | +6281234567890 | Rp 33.000.000 |"])["text"]?.stringValue ?? ""
        #expect(!answer.contains("Budi"))
        #expect(!answer.contains("Santoso"))
        #expect(!answer.contains("6281234567890"))
        #expect(answer.contains("CRM-1024"))
        #expect(answer.contains("Rp 33.000.000"))
        #expect(answer.contains("[\(r.keyedHash("Budi Santoso"))]"), "the full name hashes like the pair it was learned from: \(answer)")
        let request = r.redact(["text": "update budi santoso to won"])["text"]?.stringValue ?? ""
        #expect(request == "update [\(r.keyedHash("Budi Santoso"))] to won", "known values match without regard to case")
    }

    @Test func aKnownValueNeverMasksPartOfAWordOrId() {
        var r = redactor()
        _ = r.redact(["firstName": "Adi"])
        let out = r.redact(["text": "Adi: lead_adi Adinda 5adi-00 adi."])["text"]?.stringValue
        #expect(out == "[\(r.keyedHash("Adi"))]: lead_adi Adinda 5adi-00 [\(r.keyedHash("Adi"))].")
    }

    @Test func ordinaryWordsAreNeverKnownValues() {
        var r = redactor()
        _ = r.redact(["firstName": "Yes", "notes": "new"])
        #expect(r.redact(["answer": "yes"])["answer"] == "yes")
    }

    /// What a person pasted in a form is masked in the request and everywhere after.
    @Test func aPastedFormsNameBecomesKnown() {
        var r = redactor()
        let request = r.redact(["text": "Create a new lead from this form submission\nNama: Rina Wijaya\nEmail: rina.w@yahoo.co.id"])["text"]?.stringValue ?? ""
        #expect(!request.contains("Rina"))
        let answer = r.redact(["text": "Created lead CRM-2001 for Rina Wijaya."])["text"]?.stringValue ?? ""
        #expect(answer == "Created lead CRM-2001 for [\(r.keyedHash("Rina Wijaya"))].")
    }

    /// Through the log: the file holds no name, and ids, amounts and dates are as written.
    @Test func theLogFileKeepsIdsAmountsAndDatesAndNoNames() throws {
        let f = try LogFixture()
        defer { f.temp.remove() }
        let log = try f.log()
        let requestId = "5a00adef-0812-4c61-9876-6ee4a4c3e995"
        try log.append(AuditEvent(kind: "http-response", session: "s", data: ["requestId": .string(requestId), "data": ["firstName": "Budi", "lastName": "Santoso"]]))
        try log.append(AuditEvent(kind: "answer", session: "s", data: ["text": .string("Budi Santoso: Rp 33.000.000 on 24/11/2026 (request \(requestId))")]))
        let text = String(decoding: FileManager.default.contents(atPath: f.files[0].path)!, as: UTF8.self)
        #expect(!text.contains("Budi"))
        #expect(text.contains("Rp 33.000.000 on 24/11/2026 (request \(requestId))"))
    }
}
