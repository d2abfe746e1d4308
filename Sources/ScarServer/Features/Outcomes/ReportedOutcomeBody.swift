/// `POST /api/v1/patients/:id/reported-outcomes`, read by `JSONRequest`: the instrument, its
/// version, the raw answers by item id (a string or a number each) and the satisfaction score.
struct ReportedOutcomeBody: Decodable {
    var instrument: String?
    var instrumentVersion: String?
    var responses: [String: Answer]?
    var satisfaction: Answer?

    /// A value as the patient or clinician gave it: text, or a number kept as it was written
    /// (3, not 3.0), so `PatientReportedOutcome.validate` reads it as it reads the form's.
    struct Answer: Decodable {
        var text: String

        init(from decoder: any Decoder) throws {
            let value = try decoder.singleValueContainer()
            if let s = try? value.decode(String.self) { text = s; return }
            if let i = try? value.decode(Int.self) { text = String(i); return }
            text = String(try value.decode(Double.self))
        }
    }
}
