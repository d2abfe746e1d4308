import Foundation
import ScarCore

/// A patient as the list rows and the patient page's header show them.
enum PatientHeader {
    static func row(_ p: Patient, today: CalendarDate) -> [String: Any] {
        ["url": PatientLinks.url(p.id), "name": p.fullName, "familyName": p.familyName, "givenName": p.givenName,
         "dateOfBirth": p.dateOfBirth.description, "age": p.age(on: today), "mrn": p.mrn, "phone": p.phone ?? ""]
    }

    static func detail(_ p: Patient, today: CalendarDate) -> [String: Any] {
        var d = row(p, today: today)
        d["id"] = p.id.lower
        d["sex"] = p.sex.rawValue.capitalized
        d["email"] = p.email ?? ""
        d["hasEmail"] = p.email != nil
        d["hasPhone"] = p.phone != nil
        d["version"] = p.version
        d["createdAt"] = ViewDates.timestamp(p.createdAt)
        d["updatedAt"] = ViewDates.timestamp(p.updatedAt)
        d["editURL"] = PatientLinks.url(p.id) + "/edit"
        return d
    }
}
