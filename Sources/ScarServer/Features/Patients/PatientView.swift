import Foundation
import ScarCore
import ScarStore

/// Turns patient values into the view models the patient form and access log read
/// (the header every patient page shows is `PatientHeader`).
enum PatientView {
    /// The patient page's access log: the latest entries about the patient, this view's first.
    static let accessLogCard = PatientPageCard(key: "accessLog", order: 40) { page, _ in
        page.accessLog.map(auditRow)
    }

    static func auditRow(_ e: AuditEntry) -> PatientPages.AccessLogEntry {
        .init(at: ViewDates.timestamp(e.at), actor: e.actor, action: AuditActionLabels.all[e.action] ?? e.action, code: e.action)
    }

    static let formLayout: [(name: String, label: String, type: String, required: Bool, autocomplete: String, hint: String)] = [
        ("givenName", "Given name", "text", true, "off", ""),
        ("familyName", "Family name", "text", true, "off", ""),
        ("dateOfBirth", "Date of birth", "date", true, "off", "YYYY-MM-DD"),
        ("mrn", "Medical record number", "text", false, "off", "Leave empty to assign the next number"),
        ("phone", "Phone", "tel", false, "off", "For appointment reminders"),
        ("email", "Email", "email", false, "off", ""),
    ]

    static func formFields(_ input: PatientDetails.Input, errors: [FieldError]) -> [PatientPages.Field] {
        let values: [String: String?] = ["givenName": input.givenName, "familyName": input.familyName, "dateOfBirth": input.dateOfBirth,
                                         "mrn": input.mrn, "phone": input.phone, "email": input.email]
        return formLayout.map { f in
            .init(name: f.name, label: f.label, type: f.type, required: f.required, hint: f.hint.isEmpty ? nil : f.hint,
                  value: (values[f.name] ?? nil) ?? "", error: errors.first { $0.field == f.name }?.message)
        }
    }

    static func entries(_ input: PatientDetails.Input) -> [PatientPages.Entry] {
        let pairs: [(String, String?)] = [("Given name", input.givenName), ("Family name", input.familyName),
                                          ("Date of birth", input.dateOfBirth), ("Sex", input.sex), ("Record number", input.mrn),
                                          ("Phone", input.phone), ("Email", input.email)]
        return pairs.map { .init(label: $0.0, value: $0.1 ?? "") }
    }
}
