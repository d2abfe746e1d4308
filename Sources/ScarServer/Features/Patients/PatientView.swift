import Foundation
import ScarCore
import ScarStore

/// Turns patient values into the plain dictionaries the templates read.
enum PatientView {
    static func url(_ id: UUID) -> String { "/patients/\(id.lower)" }

    static func row(_ p: Patient, today: ISODate) -> [String: Any] {
        ["url": url(p.id), "name": p.fullName, "familyName": p.familyName, "givenName": p.givenName,
         "dateOfBirth": p.dateOfBirth.description, "age": p.age(on: today), "mrn": p.mrn, "phone": p.phone ?? ""]
    }

    static func detail(_ p: Patient, today: ISODate) -> [String: Any] {
        var d = row(p, today: today)
        d["id"] = p.id.lower
        d["sex"] = p.sex.rawValue.capitalized
        d["email"] = p.email ?? ""
        d["hasEmail"] = p.email != nil
        d["hasPhone"] = p.phone != nil
        d["version"] = p.version
        d["createdAt"] = timestamp(p.createdAt)
        d["updatedAt"] = timestamp(p.updatedAt)
        d["editURL"] = url(p.id) + "/edit"
        return d
    }

    static func auditRow(_ e: AuditEntry) -> [String: Any] {
        ["at": timestamp(e.at), "actor": e.actor, "action": actionLabels[e.action] ?? e.action, "code": e.action]
    }

    /// Plain words for the access log; the audit page keeps the exact action codes.
    static let actionLabels = [
        "patient.read": "Viewed", "patient.update": "Edited", "patient.create": "Registered",
        "intake.create": "Recorded an intake", "intake.list": "Looked at the intakes", "screening.read": "Looked at the screening",
        "screening.create": "Screening stored", "screening.acknowledge": "Acknowledged a finding",
        "assessment.create": "Recorded a scar assessment", "assessment.read": "Viewed a scar assessment",
        "assessment.list": "Looked at the scar assessments",
        "photo.create": "Added a photo", "photo.list": "Looked at the photos", "photo.read": "Read photo details",
        "photo.view": "Viewed a photo",
        "appointment.book": "Booked a series", "appointment.list": "Looked at the appointments",
        "appointment.read": "Opened an appointment", "appointment.reschedule": "Moved an appointment",
        "appointment.checked-in": "Checked in", "appointment.cancelled": "Cancelled an appointment",
        "appointment.no-show": "Marked a no-show", "pro.create": "Recorded a reported outcome",
        "pro.list": "Looked at reported outcomes", "study.enrol": "Enrolled in a study", "study.rate": "Rated for a study",
        "plan.create": "Started a treatment plan", "plan.read": "Viewed a treatment plan", "plan.list": "Looked at the treatment plans", "plan.update": "Edited a treatment plan draft", "plan.version": "Started a new treatment plan version", "plan.approve": "Approved a treatment plan",
        "session.create": "Started a session chart", "session.read": "Opened a session chart", "session.list": "Looked at the session charts",
        "session.update": "Edited a session draft", "session.sign": "Signed a session", "session.amend": "Amended a signed session",
        "adverse-event.create": "Recorded an adverse event", "adverse-event.update": "Updated an adverse event",
        "adverse-event.list": "Looked at the adverse events", "consent.sign": "Signed a consent", "consent.withdraw": "Withdrew a consent",
        "consent.read": "Opened a signed consent", "consent.list": "Looked at the consents",
        "ical.patient.read": "Calendar feed fetched", "ical.token.create": "Created a calendar link", "ical.token.revoke": "Revoked a calendar link",
        "recall.search": "Found in a recall search", "report.read": "Printed the course report",
        "analytics.view": "Viewed clinic analytics", "analytics.export": "Downloaded clinic analytics (CSV)",
        "analytics.settings": "Changed the analytics depth bands", "research.export": "Downloaded the de-identified research export",
        "appointment.complete": "Session signed: appointment completed", "room.update": "Changed a room", "device.update": "Changed a bookable device",
        "postcare.version": "Saved a new post-care sheet version",
    ]

    static func timestamp(_ date: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_GB")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd HH:mm 'UTC'"
        return f.string(from: date)
    }

    static let formLayout: [(name: String, label: String, type: String, required: Bool, autocomplete: String, hint: String)] = [
        ("givenName", "Given name", "text", true, "off", ""),
        ("familyName", "Family name", "text", true, "off", ""),
        ("dateOfBirth", "Date of birth", "date", true, "off", "YYYY-MM-DD"),
        ("mrn", "Medical record number", "text", false, "off", "Leave empty to assign the next number"),
        ("phone", "Phone", "tel", false, "off", "For appointment reminders"),
        ("email", "Email", "email", false, "off", ""),
    ]

    static func formFields(_ input: PatientDetails.Input, errors: [FieldError]) -> [[String: Any]] {
        let values: [String: String?] = ["givenName": input.givenName, "familyName": input.familyName, "dateOfBirth": input.dateOfBirth,
                                         "mrn": input.mrn, "phone": input.phone, "email": input.email]
        return formLayout.map { f in
            let error = errors.first { $0.field == f.name }?.message
            return ["name": f.name, "label": f.label, "type": f.type, "required": f.required, "hint": f.hint,
                    "hasHint": !f.hint.isEmpty, "value": (values[f.name] ?? nil) ?? "", "error": error ?? "", "hasError": error != nil]
        }
    }

    static func entries(_ input: PatientDetails.Input) -> [[String: String]] {
        let pairs: [(String, String?)] = [("Given name", input.givenName), ("Family name", input.familyName),
                                          ("Date of birth", input.dateOfBirth), ("Sex", input.sex), ("Record number", input.mrn),
                                          ("Phone", input.phone), ("Email", input.email)]
        return pairs.map { ["label": $0.0, "value": $0.1 ?? ""] }
    }
}
