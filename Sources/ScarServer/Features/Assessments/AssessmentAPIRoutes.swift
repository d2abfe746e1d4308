import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ScarCore
import ScarStore

/// `/api/v1/patients/:id/assessments` and `/api/v1/assessments/:id`: record, list and read scar
/// assessments. There is no update or delete: an assessment is a clinical record, and a
/// correction is a new assessment.
enum AssessmentAPIRoutes {
    static func add(to routes: Routes, services: AppServices) {
        let assessments = services.assessments
        let limit = services.configuration.maxJSONBodyBytes

        routes.api(.post, "/api/v1/patients/:id/assessments", .clinicalStaff, "Record a scar assessment of a patient") { request, context in
            let patientId = try PatientAPIRoutes.uuidParameter(context)
            let user = context.user!
            let data = try await JSONBody.data(request, limit: limit)
            let details: ScarAssessmentDetails
            switch ScarAssessmentInput.read(json: data) {
            case .unreadable(let why):
                throw AppError.badRequest("The body is not a valid JSON object: \(why)")
            case .read(let input, let readErrors):
                switch input.validate(today: context.todayISO) {
                case .success(let d) where readErrors.isEmpty:
                    details = d
                case .success:
                    throw AppError.validation(readErrors)
                case .failure(let f):
                    throw AppError.validation(readErrors + f.errors.filter { e in !readErrors.contains { $0.field == e.field } })
                }
            }
            let saved = try await assessments.create(details, patientId: patientId, clinicId: user.clinicId, raterId: user.id,
                                                     by: context.auditActor)
            var headers = HTTPFields()
            headers[.location] = "/api/v1/assessments/\(saved.id.lower)"
            return try JSON.response(AssessmentJSON(saved), status: .created, headers: headers)
        }

        routes.api(.get, "/api/v1/patients/:id/assessments", .clinicalStaff, "List a patient's scar assessments") { _, context in
            let patientId = try PatientAPIRoutes.uuidParameter(context)
            let list = try await assessments.list(patientId: patientId, clinicId: context.user!.clinicId, by: context.auditActor)
            return try JSON.response(AssessmentListJSON(items: list.map(AssessmentJSON.init)))
        }

        routes.api(.get, "/api/v1/assessments/:id", .clinicalStaff, "Read one scar assessment") { _, context in
            let id = try PatientAPIRoutes.uuidParameter(context)
            let assessment = try await assessments.find(id: id, clinicId: context.user!.clinicId, by: context.auditActor)
            return try JSON.response(AssessmentJSON(assessment))
        }
    }
}
