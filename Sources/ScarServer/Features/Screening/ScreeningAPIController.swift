import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ScarClinic
import ScarCore
import ScarStore

/// Intakes, the current screening, acknowledgements, and the clinic's rule set.
struct ScreeningAPIController {
    /// Practitioners and admins decide clinically; the front desk may record an intake.

    let intakes: IntakeRepository
    let database: ScarDatabase
    let limit: Int

    init(_ services: AppServices) {
        intakes = services.intakes
        database = services.database
        limit = services.configuration.maxJSONBodyBytes
    }

    static func add(to routes: Routes, services: AppServices) {
        let c = Self(services)
        routes.api(.post, "/api/v1/patients/:id/intakes", .clinicalStaff, "Record a new intake (medical history)", c.recordIntake)
        routes.api(.get, "/api/v1/patients/:id/intakes", .clinicalStaff, "A patient's intakes, newest first", c.intakeList)
        routes.api(.get, "/api/v1/patients/:id/screening", .clinicalStaff, "Today's screening per modality", c.screening)
        routes.api(.post, "/api/v1/patients/:id/screening/acknowledgements", .clinicians,
                   "Acknowledge an acknowledge-finding before treating (who, when, why)", c.acknowledge)
        routes.api(.get, "/api/v1/rule-set", .allStaff, "The clinic's screening rules, with sources", c.ruleSet)
    }

    @Sendable func recordIntake(_ request: Request, _ context: AppContext) async throws -> Response {
        let patientId = try context.apiUUID()
        let body = try await JSONBody.data(request, limit: limit)
        let intake: Intake
        do {
            intake = try Intake.parse(json: body)
        } catch {
            throw AppError.validation(error.errors)
        }
        let recorded = try await RecordIntake(database)(intake, patientId: patientId, by: context.clinician, actor: context.auditActor, now: context.now)
        let screening = CurrentScreening(intake: recorded.intake, results: recorded.screening, acknowledgements: [], ruleSet: recorded.ruleSet)
        var headers = HTTPFields()
        headers[.location] = "/api/v1/patients/\(patientId.lower)/intakes"
        struct Created: Encodable { var intake: IntakeSummaryJSON; var screening: ScreeningJSON }
        return try JSON.response(Created(intake: IntakeSummaryJSON(recorded.intake), screening: ScreeningJSON(screening)),
                                 status: .created, headers: headers)
    }

    @Sendable func intakeList(_ request: Request, _ context: AppContext) async throws -> Response {
        let patientId = try context.apiUUID()
        let paging = try ListPaging.read(request)
        let page = try await intakes.intakes(patientId: patientId, clinicId: context.signedInUser.clinicId, after: try paging.cursor(of: .intakes),
                                             limit: paging.limit, by: context.auditActor)
        struct List: Encodable { var items: [IntakeSummaryJSON] }
        return try JSON.response(List(items: page.items.map(IntakeSummaryJSON.init)),
                                 headers: paging.headers(path: "/api/v1/patients/\(patientId.lower)/intakes", next: page.next?.text))
    }

    @Sendable func screening(_ request: Request, _ context: AppContext) async throws -> Response {
        let patientId = try context.apiUUID()
        let screening = try await ReadScreening(database)(patientId: patientId, by: context.clinician, actor: context.auditActor, now: context.now)
        return try JSON.response(ScreeningJSON(screening))
    }

    @Sendable func acknowledge(_ request: Request, _ context: AppContext) async throws -> Response {
        let patientId = try context.apiUUID()
        struct Acknowledgement: Decodable { var rule: String?; var modality: String?; var reason: String? }
        let (input, problems) = try await JSONRequest.read(Acknowledgement.self, from: request, limit: limit)
        let ack = try await Self.acknowledge(patientId: patientId, rule: input.rule, modality: input.modality, reason: input.reason,
                                             errors: problems, context: context, database: database)
        return try JSON.response(ack, status: .created)
    }

    @Sendable func ruleSet(_ request: Request, _ context: AppContext) async throws -> Response {
        try JSON.response(try await intakes.ruleSet(clinicId: context.signedInUser.clinicId))
    }

    /// Shared by the API and the page: reads the fields, then the use case checks the finding is
    /// open today and stores the acknowledgement; a refusal arrives as its `AppError`.
    static func acknowledge(patientId: UUID, rule: String?, modality rawModality: String?, reason rawReason: String?,
                            errors: [FieldError], context: AppContext, database: ScarDatabase) async throws -> ScreeningAcknowledgement {
        var errors = errors
        let modality = rawModality.flatMap(Modality.init(rawValue:))
        if modality == nil, !errors.contains(where: { $0.field == "modality" }) {
            errors.append(FieldError("modality", "must be one of \(Modality.allCases.map(\.rawValue).joined(separator: ", "))"))
        }
        if rule == nil || rule!.isEmpty { errors.append(FieldError("rule", "is required")) }
        var reason = ""
        switch ScreeningAcknowledgement.validateReason(rawReason) {
        case .success(let r): reason = r
        case .failure(let e): errors.append(e)
        }
        guard errors.isEmpty, let modality, let rule else { throw AppError.validation(errors) }
        return try await AppError.fromRefusal {
            try await AcknowledgeFinding(database)(patientId: patientId, rule: rule, modality: modality, reason: reason,
                                                   by: context.clinician, actor: context.auditActor, now: context.now)
        }
    }
}
