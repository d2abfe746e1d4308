import Foundation
import HTTPTypes
import Hummingbird
import ScarCore
import ScarStore

/// The upload form for a patient's photo. Works without JavaScript; errors re-show the form
/// with each message beside its field (the file has to be chosen again: browsers never
/// refill a file input).
struct PhotoPageController {
    let services: AppServices
    var patients: PatientRepository { services.patients }
    var maxBytes: Int { services.configuration.maxPhotoBytes }

    static func add(to routes: Routes, services: AppServices) {
        let c = Self(services: services)
        routes.page("/patients/:id/photos/new", .clinicalStaff, "Upload-photo form", c.newForm)
        routes.upload("/patients/:id/photos", .clinicalStaff, "Upload a photo", limit: PhotoUpload.bodyLimit(services.configuration), c.upload)
    }

    @Sendable func newForm(_ request: Request, _ context: AppContext) async throws -> Response {
        let id = try context.pageUUID()
        let patient = try await patients.find(id: id, clinicId: context.signedInUser.clinicId, by: context.auditActor)
        let input = PhotoDetails.Input(view: PhotoView.frontal.rawValue, capturedOn: context.today.description)
        return formPage(context, patient: patient, input: input, errors: [], status: .ok)
    }

    @Sendable func upload(_ request: Request, _ context: AppContext, _ form: MultipartForm) async throws -> Response {
        let id = try context.pageUUID()
        let patient = try await patients.find(id: id, clinicId: context.signedInUser.clinicId, by: context.auditActor)
        let input = PhotoUpload.input(form)
        let file = PhotoUpload.file(in: form, maxBytes: maxBytes)
        let validated = PhotoDetails.validate(input, today: context.today)
        var errors: [FieldError] = []
        var status = HTTPResponse.Status.unprocessableContent
        if case .failure(let e) = file {
            errors += e.fields
            status = e.status
        }
        if case .failure(let f) = validated { errors += f.errors }
        guard errors.isEmpty, case .success(let accepted) = file, case .success(let details) = validated else {
            return formPage(context, patient: patient, input: input, errors: errors, status: status)
        }
        _ = try await PhotoUpload.save(accepted, details: details, patientId: id, services: services, context: context)
        return Response.redirect(to: PatientLinks.url(id) + "#photos", type: .normal)
    }

    func formPage(_ context: AppContext, patient: Patient, input: PhotoDetails.Input, errors: [FieldError],
                  status: HTTPResponse.Status) -> Response {
        func error(_ field: String) -> [String: Any] {
            let message = errors.first { $0.field == field }?.message
            return ["message": message ?? "", "has": message != nil]
        }
        let view = input.view ?? ""
        let zone = input.zone ?? ""
        return services.views.render("photo-form", title: "Add a photo · \(patient.fullName)", section: "patients", data: [
            "patientName": patient.fullName, "patientURL": PatientLinks.url(patient.id),
            "action": PatientLinks.url(patient.id) + "/photos",
            "hasBanner": !errors.isEmpty,
            "viewOptions": ScarCore.PhotoView.allCases.map { ["value": $0.rawValue, "label": $0.label, "selected": $0.rawValue == view] },
            "zoneOptions": FaceZone.allCases.map { ["value": $0.rawValue, "label": $0.label, "selected": $0.rawValue == zone] },
            "noZone": zone.isEmpty,
            "capturedOn": input.capturedOn ?? "", "today": context.today.description,
            "assessmentId": input.assessmentId ?? "", "notes": input.notes ?? "",
            "maxMB": maxBytes / (1024 * 1024),
            "photoError": error("photo"), "viewError": error("view"), "zoneError": error("zone"),
            "capturedOnError": error("capturedOn"), "assessmentIdError": error("assessmentId"), "notesError": error("notes"),
        ], context: context, status: status)
    }
}
