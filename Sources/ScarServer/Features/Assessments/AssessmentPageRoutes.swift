import Foundation
import HTTPTypes
import Hummingbird
import ScarCore
import ScarStore

/// The assessment pages: the entry form (zone × scar type grid, the three scales' inputs) and
/// the read-only assessment page. There is no edit page: a correction is a new assessment.
enum AssessmentPageRoutes {
    static func add(to routes: Routes, services: AppServices) {
        let patients = services.patients
        let assessments = services.assessments
        let views = services.views

        routes.page("/patients/:id/assessments/new", .clinicalStaff, "New scar assessment form") { _, context in
            let patientId = try PatientPageRoutes.pageUUID(context)
            let patient = try await patients.find(id: patientId, clinicId: context.user!.clinicId, by: context.auditActor)
            let input = ScarAssessmentInput(["assessedOn": context.todayISO.description])
            return formPage(views: views, context: context, patient: patient, input: input, errors: [], status: .ok)
        }

        routes.form("/patients/:id/assessments", .clinicalStaff, "Record a scar assessment") { _, context, form in
            let patientId = try PatientPageRoutes.pageUUID(context)
            let user = context.user!
            var input = ScarAssessmentInput()
            for name in ScarAssessmentInput.fieldNames {
                if let value = form[name] { input[name] = value }
            }
            switch input.validate(today: context.todayISO) {
            case .failure(let failure):
                let patient = try await patients.find(id: patientId, clinicId: user.clinicId, by: context.auditActor)
                return formPage(views: views, context: context, patient: patient, input: input, errors: failure.errors,
                                status: .unprocessableContent)
            case .success(let details):
                let saved = try await assessments.create(details, patientId: patientId, clinicId: user.clinicId, raterId: user.id,
                                                         by: context.auditActor)
                return Response.redirect(to: AssessmentView.url(saved.id), type: .normal)
            }
        }

        routes.page("/assessments/:id", .clinicalStaff, "Scar assessment page") { _, context in
            let id = try PatientPageRoutes.pageUUID(context)
            let user = context.user!
            let assessment = try await assessments.find(id: id, clinicId: user.clinicId, by: context.auditActor)
            let patient = try await patients.find(id: assessment.patientId, clinicId: user.clinicId, by: context.auditActor)
            return views.render("assessment", title: "Scar assessment \(assessment.details.assessedOn) · \(patient.fullName)",
                                section: "patients", data: ["assessment": AssessmentView.detail(assessment, patient: patient)],
                                context: context)
        }
    }

    static func formPage(views: Views, context: AppContext, patient: Patient, input: ScarAssessmentInput, errors: [FieldError],
                         status: HTTPResponse.Status) -> Response {
        views.render("assessment-form", title: "New scar assessment · \(patient.fullName)", section: "patients",
                     data: ["form": AssessmentView.form(patient: patient, input: input, errors: errors)], context: context, status: status)
    }
}
