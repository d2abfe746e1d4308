import Foundation
import HTTPTypes
import Hummingbird
import ScarClinic
import ScarCore
import ScarStore

/// The assessment pages: the entry form (zone × scar type grid, the three scales' inputs) and
/// the read-only assessment page. There is no edit page: a correction is a new assessment.
struct AssessmentPageController {
    let services: AppServices
    var patients: PatientRepository { services.patients }
    var assessments: AssessmentRepository { services.assessments }

    static func add(to routes: Routes, services: AppServices) {
        let c = Self(services: services)
        routes.page("/patients/:id/assessments/new", .clinicalStaff, "New scar assessment form", c.newForm)
        routes.form("/patients/:id/assessments", .clinicalStaff, "Record a scar assessment", c.record)
        routes.page("/assessments/:id", .clinicalStaff, "Scar assessment page", c.assessmentPage)
    }

    @Sendable func newForm(_ request: Request, _ context: AppContext) async throws -> Response {
        let patientId = try context.pageUUID()
        let patient = try await patients.find(id: patientId, clinicId: context.signedInUser.clinicId, by: context.auditActor)
        let input = ScarAssessmentInput(["assessedOn": context.today.description])
        return formPage(context, patient: patient, input: input, errors: [], status: .ok,
                        next: ReturnPath.followUp(request.uri.queryParameters.get("next")))
    }

    @Sendable func record(_ request: Request, _ context: AppContext, _ form: FormBody) async throws -> Response {
        let patientId = try context.pageUUID()
        var input = ScarAssessmentInput()
        for name in ScarAssessmentInput.fieldNames {
            if let value = form[name] { input[name] = value }
        }
        switch input.validate(today: context.today) {
        case .failure(let failure):
            let patient = try await patients.find(id: patientId, clinicId: context.signedInUser.clinicId, by: context.auditActor)
            return formPage(context, patient: patient, input: input, errors: failure.errors, status: .unprocessableContent,
                            next: ReturnPath.followUp(form["next"]))
        case .success(let details):
            let saved = try await RecordAssessment(services.database)(details, patientId: patientId, by: context.clinician,
                                                                      actor: context.auditActor, now: context.now)
            return Response.redirect(to: ReturnPath.followUp(form["next"]).map { $0 + "#outcome-questions" } ?? AssessmentView.url(saved.id),
                                     type: .normal)
        }
    }

    @Sendable func assessmentPage(_ request: Request, _ context: AppContext) async throws -> Response {
        let id = try context.pageUUID()
        let clinicId = context.signedInUser.clinicId
        let assessment = try await assessments.find(id: id, clinicId: clinicId, by: context.auditActor)
        let patient = try await patients.find(id: assessment.patientId, clinicId: clinicId, by: context.auditActor)
        return services.views.render(.assessment, title: "Scar assessment \(assessment.details.assessedOn) · \(patient.fullName)",
                                     section: "patients", page: AssessmentView.detail(assessment, patient: patient), context: context)
    }

    func formPage(_ context: AppContext, patient: Patient, input: ScarAssessmentInput, errors: [FieldError],
                  status: HTTPResponse.Status, next: String? = nil) -> Response {
        services.views.render(.assessmentForm, title: "New scar assessment · \(patient.fullName)", section: "patients",
                              page: AssessmentView.form(patient: patient, input: input, errors: errors, next: next), context: context, status: status)
    }
}
