import Foundation
import ScarCore

/// The `photo-form` page's view model: the batch form (the standard views at once) and the
/// single-photo form, each field's message beside it (nil when the field is fine).
struct PhotoFormPage {
    var patientName: String
    var patientURL: String
    var action: String
    var batchAction: String
    var errors: [FieldError]
    var batchErrors: [FieldError]
    var next: String?
    var viewOptions: [SelectOption]
    var zoneOptions: [SelectOption]
    var noZone: Bool
    var viewOrder: String
    var capturedOn: String
    var today: String
    var assessments: [SelectOption]
    var noAssessment: Bool
    var notes: String
    var maxMB: Int
    var photoError: String?
    var viewError: String?
    var zoneError: String?
    var capturedOnError: String?
    var assessmentIdError: String?
    var notesError: String?
    var batchPhotoError: String?
    var batchCapturedOnError: String?
    var batchAssessmentIdError: String?

    init(patient: Patient, input: PhotoDetails.Input, errors: [FieldError], batchErrors: [FieldError], next: String?,
         assessments: [ScarAssessment], today: CalendarDate, maxBytes: Int) {
        let view = input.view ?? "", zone = input.zone ?? "", chosen = input.assessmentId?.lowercased() ?? ""
        patientName = patient.fullName
        patientURL = PatientLinks.url(patient.id)
        action = patientURL + "/photos"
        batchAction = patientURL + "/photos/batch"
        (self.errors, self.batchErrors, self.next) = (errors, batchErrors, next)
        viewOptions = ScarCore.PhotoView.allCases.map { .init(value: $0.rawValue, label: $0.label, selected: $0.rawValue == view) }
        zoneOptions = FaceZone.allCases.map { .init(value: $0.rawValue, label: $0.label, selected: $0.rawValue == zone) }
        noZone = zone.isEmpty
        viewOrder = PhotoBatch.standardViews.map(\.label).joined(separator: ", ")
        capturedOn = input.capturedOn ?? today.description
        self.today = today.description
        self.assessments = assessments.map { a in
            .init(value: a.id.lower, label: "\(ViewDates.day(a.details.assessedOn)) · \(a.raterName)", selected: a.id.lower == chosen)
        }
        noAssessment = chosen.isEmpty
        notes = input.notes ?? ""
        maxMB = maxBytes / (1024 * 1024)
        func message(_ field: String, in list: [FieldError]) -> String? {
            var messages: [String] = []
            for e in list where e.field == field && !messages.contains(e.message) { messages.append(e.message) }
            return messages.isEmpty ? nil : messages.joined(separator: "; ")
        }
        photoError = message("photo", in: errors)
        viewError = message("view", in: errors)
        zoneError = message("zone", in: errors)
        capturedOnError = message("capturedOn", in: errors)
        assessmentIdError = message("assessmentId", in: errors)
        notesError = message("notes", in: errors)
        batchPhotoError = message("photo", in: batchErrors)
        batchCapturedOnError = message("capturedOn", in: batchErrors)
        batchAssessmentIdError = message("assessmentId", in: batchErrors)
    }
}
