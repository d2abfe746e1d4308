import Foundation
import ScarCore

/// A patient as the list rows and the patient page's header show them.
enum PatientHeader {
    /// One row of the patient list.
    struct Row {
        var url: String
        var name: String
        var dateOfBirth: String
        var age: Int
        var mrn: String
        var phone: String
    }

    /// The patient page's header and Details card (`{{#patient}}`, around every card, so a card's
    /// nil optional must not be named like one of these).
    struct Detail {
        var id: String
        var url: String
        var editURL: String
        var givenName: String
        var familyName: String
        var dateOfBirth: String
        var age: Int
        var sex: String
        var mrn: String
        var phone: String?
        var email: String?
        var version: Int
        var createdAt: String
        var updatedAt: String
    }

    static func row(_ p: Patient, today: CalendarDate) -> Row {
        Row(url: PatientLinks.url(p.id), name: p.fullName, dateOfBirth: p.dateOfBirth.description, age: p.age(on: today), mrn: p.mrn,
            phone: p.phone ?? "")
    }

    static func detail(_ p: Patient, today: CalendarDate) -> Detail {
        Detail(id: p.id.lower, url: PatientLinks.url(p.id), editURL: PatientLinks.url(p.id) + "/edit", givenName: p.givenName,
               familyName: p.familyName, dateOfBirth: p.dateOfBirth.description, age: p.age(on: today), sex: p.sex.rawValue.capitalized,
               mrn: p.mrn, phone: p.phone, email: p.email, version: p.version, createdAt: ViewDates.timestamp(p.createdAt),
               updatedAt: ViewDates.timestamp(p.updatedAt))
    }
}
