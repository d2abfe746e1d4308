import Foundation
import ScarCore

/// The API's patient representation (see `PatientResource` in openapi.json).
struct PatientJSON: Encodable {
    /// Lower-case, as in every URL the server writes.
    var id: String
    var mrn: String
    var givenName: String
    var familyName: String
    var dateOfBirth: String
    var sex: String
    var phone: String?
    var email: String?
    var createdAt: Date
    var updatedAt: Date
    var version: Int

    init(_ p: Patient) {
        id = p.id.lower
        mrn = p.mrn
        givenName = p.givenName
        familyName = p.familyName
        dateOfBirth = p.dateOfBirth.description
        sex = p.sex.rawValue
        phone = p.phone
        email = p.email
        createdAt = p.createdAt
        updatedAt = p.updatedAt
        version = p.version
    }

    // Optional fields are written as null rather than left out, so clients see every field.
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(mrn, forKey: .mrn)
        try c.encode(givenName, forKey: .givenName)
        try c.encode(familyName, forKey: .familyName)
        try c.encode(dateOfBirth, forKey: .dateOfBirth)
        try c.encode(sex, forKey: .sex)
        try c.encode(phone, forKey: .phone)
        try c.encode(email, forKey: .email)
        try c.encode(createdAt, forKey: .createdAt)
        try c.encode(updatedAt, forKey: .updatedAt)
        try c.encode(version, forKey: .version)
    }

    enum CodingKeys: String, CodingKey {
        case id, mrn, givenName, familyName, dateOfBirth, sex, phone, email, createdAt, updatedAt, version
    }
}

struct PatientPageJSON: Encodable {
    var items: [PatientJSON]
    var page: Int
    var perPage: Int
    var total: Int
    var pageCount: Int
}

/// The patient's JSON body (create, or a merge patch of the same fields), read by `JSONRequest`.
struct PatientBody: Decodable {
    var givenName: String?
    var familyName: String?
    var dateOfBirth: String?
    var sex: String?
    var mrn: String?
    var phone: String?
    var email: String?

    /// The validated details: this body alone (a new patient), or merged over the current
    /// values (a patch naming the keys it sets). In JSON an email is an address or null (none):
    /// an empty or blank string is refused rather than read as none, as `/openapi.json`
    /// (`format: email`) says (the page's form sends "" for none).
    func details(over current: (input: PatientDetails.Input, present: Set<String>)?, today: CalendarDate) throws -> PatientDetails {
        var input = PatientDetails.Input(givenName: givenName, familyName: familyName, dateOfBirth: dateOfBirth, sex: sex, mrn: mrn,
                                         phone: phone, email: email)
        if let current { input = current.input.patched(with: input, present: current.present) }
        var errors: [FieldError] = []
        if let email, Text.trimmed(email) == nil {
            errors.append(FieldError("email", "must be an email address; send null or leave it out for none"))
        }
        switch PatientDetails.validate(input, today: today) {
        case .success(let d) where errors.isEmpty: return d
        case .success: throw AppError.validation(errors)
        case .failure(let f): throw AppError.validation(errors + f.errors.filter { e in !errors.contains { $0.field == e.field } })
        }
    }
}

extension PatientDetails.Input {
    static func from(_ form: FormBody) -> PatientDetails.Input {
        PatientDetails.Input(givenName: form["givenName"], familyName: form["familyName"], dateOfBirth: form["dateOfBirth"],
                             sex: form["sex"], mrn: form["mrn"], phone: form["phone"], email: form["email"])
    }

    init(_ p: Patient) {
        self.init(givenName: p.givenName, familyName: p.familyName, dateOfBirth: p.dateOfBirth.description, sex: p.sex.rawValue,
                  mrn: p.mrn, phone: p.phone, email: p.email)
    }

    /// A JSON merge patch over the current values: absent keeps, null clears, a value replaces.
    func patched(with patch: PatientDetails.Input, present: Set<String>) -> PatientDetails.Input {
        var result = self
        let fields: [(String, WritableKeyPath<PatientDetails.Input, String?>)] = [
            ("givenName", \.givenName), ("familyName", \.familyName), ("dateOfBirth", \.dateOfBirth), ("sex", \.sex), ("mrn", \.mrn),
            ("phone", \.phone), ("email", \.email)]
        for (key, path) in fields where present.contains(key) { result[keyPath: path] = patch[keyPath: path] }
        return result
    }
}
