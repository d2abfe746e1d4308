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

extension PatientDetails.Input {
    static let fieldNames: Set<String> = ["givenName", "familyName", "dateOfBirth", "sex", "mrn", "phone", "email"]

    /// Reads the input from a JSON body, naming any field of the wrong type. In JSON an email
    /// is an address or null (none): an empty or blank string is refused rather than read as
    /// none, as `/openapi.json` (`format: email`) says (the page's form sends "" for none).
    static func from(_ body: JSONBody, errors: inout [FieldError]) -> PatientDetails.Input {
        body.rejectUnknown(allowed: fieldNames, errors: &errors)
        if let email = body.object["email"] as? String, Text.trimmed(email) == nil {
            errors.append(FieldError("email", "must be an email address; send null or leave it out for none"))
        }
        return PatientDetails.Input(
            givenName: body.string("givenName", errors: &errors), familyName: body.string("familyName", errors: &errors),
            dateOfBirth: body.string("dateOfBirth", errors: &errors), sex: body.string("sex", errors: &errors),
            mrn: body.string("mrn", errors: &errors), phone: body.string("phone", errors: &errors),
            email: body.string("email", errors: &errors))
    }

    static func from(_ form: FormBody) -> PatientDetails.Input {
        PatientDetails.Input(givenName: form["givenName"], familyName: form["familyName"], dateOfBirth: form["dateOfBirth"],
                             sex: form["sex"], mrn: form["mrn"], phone: form["phone"], email: form["email"])
    }

    init(_ p: Patient) {
        self.init(givenName: p.givenName, familyName: p.familyName, dateOfBirth: p.dateOfBirth.description, sex: p.sex.rawValue,
                  mrn: p.mrn, phone: p.phone, email: p.email)
    }

    /// A JSON merge patch over the current values: absent keeps, null clears, a value replaces.
    func patched(with body: JSONBody, errors: inout [FieldError]) -> PatientDetails.Input {
        var result = self
        let patch = PatientDetails.Input.from(body, errors: &errors)
        func apply(_ key: String, _ path: WritableKeyPath<PatientDetails.Input, String?>) {
            guard body.keys.contains(key) else { return }
            result[keyPath: path] = patch[keyPath: path]
        }
        apply("givenName", \.givenName)
        apply("familyName", \.familyName)
        apply("dateOfBirth", \.dateOfBirth)
        apply("sex", \.sex)
        apply("mrn", \.mrn)
        apply("phone", \.phone)
        apply("email", \.email)
        return result
    }
}
