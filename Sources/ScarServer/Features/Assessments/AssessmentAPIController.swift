import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ScarClinic
import ScarCore
import ScarStore

/// `/api/v1/patients/:id/assessments` and `/api/v1/assessments/:id`: record, list and read scar
/// assessments. There is no update or delete: an assessment is a clinical record, and a
/// correction is a new assessment.
struct AssessmentAPIController {
    let assessments: AssessmentRepository
    let database: ScarDatabase
    let limit: Int

    init(_ services: AppServices) {
        assessments = services.assessments
        database = services.database
        limit = services.configuration.maxJSONBodyBytes
    }

    static func add(to routes: Routes, services: AppServices) {
        let c = Self(services)
        routes.api(.post, "/api/v1/patients/:id/assessments", .clinicalStaff, "Record a scar assessment of a patient", c.record)
        routes.api(.get, "/api/v1/patients/:id/assessments", .clinicalStaff, "List a patient's scar assessments", c.list)
        routes.api(.get, "/api/v1/assessments/:id", .clinicalStaff, "Read one scar assessment", c.read)
    }

    @Sendable func record(_ request: Request, _ context: AppContext) async throws -> Response {
        let patientId = try context.apiUUID()
        let details = try Self.details(try await JSONBody.data(request, limit: limit), today: context.today)
        let saved = try await RecordAssessment(database)(details, patientId: patientId, by: context.clinician, actor: context.auditActor, now: context.now)
        var headers = HTTPFields()
        headers[.location] = "/api/v1/assessments/\(saved.id.lower)"
        return try JSON.response(AssessmentJSON(saved), status: .created, headers: headers)
    }

    @Sendable func list(_ request: Request, _ context: AppContext) async throws -> Response {
        let patientId = try context.apiUUID()
        let paging = try ListPaging.read(request)
        let page = try await assessments.list(patientId: patientId, clinicId: context.signedInUser.clinicId,
                                              after: try paging.cursor(of: .assessments), limit: paging.limit, by: context.auditActor)
        return try JSON.response(AssessmentListJSON(items: page.items.map(AssessmentJSON.init)),
                                 headers: paging.headers(path: "/api/v1/patients/\(patientId.lower)/assessments", next: page.next?.text))
    }

    @Sendable func read(_ request: Request, _ context: AppContext) async throws -> Response {
        let id = try context.apiUUID()
        let assessment = try await assessments.find(id: id, clinicId: context.signedInUser.clinicId, by: context.auditActor)
        return try JSON.response(AssessmentJSON(assessment))
    }

    /// The body read and validated; fields of the wrong type and invalid values are reported together.
    static func details(_ data: Data, today: CalendarDate) throws -> ScarAssessmentDetails {
        switch ScarAssessmentInput.read(json: data) {
        case .unreadable(let why):
            throw AppError.badRequest("The body is not a valid JSON object: \(why)")
        case .read(let input, let readErrors):
            switch input.validate(today: today) {
            case .success(let d) where readErrors.isEmpty:
                return d
            case .success:
                throw AppError.validation(readErrors)
            case .failure(let f):
                throw AppError.validation(readErrors + f.errors.filter { e in !readErrors.contains { $0.field == e.field } })
            }
        }
    }
}
