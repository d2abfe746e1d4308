import Foundation
import HTTPTypes
import Hummingbird
import ScarClinic
import ScarCore
import ScarStore

/// The upload forms for a patient's photos: the standard views at once (assigned in the order the
/// files were chosen) or one photo with its view. Work without JavaScript; errors re-show the form
/// with each message beside its field (files have to be chosen again: browsers never refill a file
/// input). The assessment a photo belongs to is chosen from the patient's assessments.
struct PhotoPageController {
    let services: AppServices
    var patients: PatientRepository { services.patients }
    var maxBytes: Int { services.configuration.maxPhotoBytes }

    static func add(to routes: Routes, services: AppServices) {
        let c = Self(services: services)
        routes.page("/patients/:id/photos/new", .clinicalStaff, "Upload-photo form (several standard views at once, or one photo)", c.newForm)
        routes.upload("/patients/:id/photos", .clinicalStaff, "Upload a photo", limit: PhotoUpload.bodyLimit(services.configuration), c.upload)
        routes.upload("/patients/:id/photos/batch", .clinicalStaff, "Upload the standard views at once (assigned in the order chosen)",
                      limit: PhotoBatch.standardViews.count * PhotoUpload.bodyLimit(services.configuration), c.batch)
    }

    @Sendable func newForm(_ request: Request, _ context: AppContext) async throws -> Response {
        let id = try context.pageUUID()
        let patient = try await patients.find(id: id, clinicId: context.signedInUser.clinicId, by: context.auditActor)
        // From an assessment's page ("Add photos"): the photos belong to that assessment unless changed.
        let assessment = request.uri.queryParameters.get("assessment").flatMap(UUID.init(uuidString:))?.lower
        let input = PhotoDetails.Input(view: PhotoView.frontal.rawValue, capturedOn: context.today.description, assessmentId: assessment)
        return try await formPage(context, patient: patient, input: input, errors: [], status: .ok)
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
            return try await formPage(context, patient: patient, input: input, errors: errors, status: status)
        }
        do {
            _ = try await PhotoUpload.add([(accepted, details)], patientId: id, services: services, context: context)
        } catch let refusal as Refusal where refusal.kind == .invalid {
            return try await formPage(context, patient: patient, input: input, errors: refusal.fields, status: .unprocessableContent)
        }
        return Response.redirect(to: PatientLinks.url(id) + "#photos", type: .normal)
    }

    /// Every file checked first (size, type by content, metadata removed) and stored only when all pass.
    @Sendable func batch(_ request: Request, _ context: AppContext, _ form: MultipartForm) async throws -> Response {
        let id = try context.pageUUID()
        let patient = try await patients.find(id: id, clinicId: context.signedInUser.clinicId, by: context.auditActor)
        let guided = ReturnPath.guided(form["next"])
        let next = guided?.path
        let files = PhotoUpload.files(in: form)
        var errors: [FieldError] = []
        var accepted: [(PhotoUpload.Accepted, PhotoDetails)] = []
        switch PhotoBatch.views(count: files.count) {
        case .failure(let f): errors += f.errors
        case .success(let views):
            for (part, view) in zip(files, views) {
                let input = PhotoDetails.Input(view: view.rawValue, capturedOn: form["capturedOn"] ?? context.today.description,
                                               assessmentId: form["assessmentId"])
                switch (PhotoUpload.accept(part, maxBytes: maxBytes), PhotoDetails.validate(input, today: context.today)) {
                case (.success(let file), .success(let details)): accepted.append((file, details))
                case (.failure(let e), _): errors += e.fields.map { FieldError("photo", "\(view.label) (\(part.filename ?? "file")) \($0.message)") }
                case (_, .failure(let f)): errors += f.errors
                }
            }
        }
        do {
            guard errors.isEmpty else { throw Refusal.invalid(errors) }
            _ = try await PhotoUpload.add(accepted, patientId: id, services: services, context: context)
        } catch let refusal as Refusal where refusal.kind == .invalid {
            return try await formPage(context, patient: patient, input: PhotoDetails.Input(capturedOn: form["capturedOn"], assessmentId: form["assessmentId"]),
                                      errors: [], batchErrors: refusal.fields, next: next, status: .unprocessableContent)
        }
        return Response.redirect(to: guided.map { $0.path + $0.fragment } ?? PatientLinks.url(id) + "#photos", type: .normal)
    }

    func formPage(_ context: AppContext, patient: Patient, input: PhotoDetails.Input, errors: [FieldError], batchErrors: [FieldError] = [],
                  next: String? = nil, status: HTTPResponse.Status) async throws -> Response {
        let assessments = try await services.assessments.list(patientId: patient.id, clinicId: context.signedInUser.clinicId, by: context.auditActor)
        let page = PhotoFormPage(patient: patient, input: input, errors: errors, batchErrors: batchErrors, next: next, assessments: assessments,
                                 today: context.today, maxBytes: maxBytes)
        return services.views.render(.photoForm, title: "Add photos · \(patient.fullName)", section: "patients", page: page, context: context,
                                     status: status)
    }
}
