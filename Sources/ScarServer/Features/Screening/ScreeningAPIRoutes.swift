import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ScarCore
import ScarStore

/// Intakes, the current screening, acknowledgements, and the clinic's rule set.
enum ScreeningAPIRoutes {
    /// Practitioners and admins decide clinically; the front desk may record an intake.
    static let clinicians = AccessPolicy.staff([.admin, .practitioner])

    static func add(to routes: Routes, services: AppServices) {
        let intakes = services.intakes
        let limit = services.configuration.maxJSONBodyBytes

        routes.api(.post, "/api/v1/patients/:id/intakes", .clinicalStaff, "Record a new intake (medical history)") { request, context in
            let patientId = try PatientAPIRoutes.uuidParameter(context)
            let body = try await JSONBody.data(request, limit: limit)
            let intake: Intake
            do {
                intake = try Intake.parse(json: body)
            } catch let failure as ValidationFailure {
                throw AppError.validation(failure.errors)
            }
            let record = try await intakes.record(intake, patientId: patientId, clinicId: context.user!.clinicId,
                                                  recordedOn: context.today, by: context.auditActor)
            let screening = try await CurrentScreening.load(patientId: patientId, context: context, intakes: intakes)
            var headers = HTTPFields()
            headers[.location] = "/api/v1/patients/\(patientId.lower)/intakes"
            struct Created: Encodable { var intake: IntakeSummaryJSON; var screening: ScreeningJSON }
            return try JSON.response(Created(intake: IntakeSummaryJSON(record), screening: ScreeningJSON(screening)),
                                     status: .created, headers: headers)
        }

        routes.api(.get, "/api/v1/patients/:id/intakes", .clinicalStaff, "A patient's intakes, newest first") { _, context in
            let patientId = try PatientAPIRoutes.uuidParameter(context)
            let records = try await intakes.intakes(patientId: patientId, clinicId: context.user!.clinicId, by: context.auditActor)
            struct List: Encodable { var items: [IntakeSummaryJSON] }
            return try JSON.response(List(items: records.map(IntakeSummaryJSON.init)))
        }

        routes.api(.get, "/api/v1/patients/:id/screening", .clinicalStaff, "Today's screening per modality") { _, context in
            let patientId = try PatientAPIRoutes.uuidParameter(context)
            return try JSON.response(ScreeningJSON(try await CurrentScreening.load(patientId: patientId, context: context, intakes: intakes)))
        }

        routes.api(.post, "/api/v1/patients/:id/screening/acknowledgements", clinicians,
                   "Acknowledge an acknowledge-finding before treating (who, when, why)") { request, context in
            let patientId = try PatientAPIRoutes.uuidParameter(context)
            let body = try await JSONBody.read(request, limit: limit)
            var errors: [FieldError] = []
            body.rejectUnknown(allowed: ["rule", "modality", "reason"], errors: &errors)
            let rule = body.string("rule", errors: &errors)
            let modality = body.string("modality", errors: &errors)
            let reason = body.string("reason", errors: &errors)
            let ack = try await acknowledge(patientId: patientId, rule: rule, modality: modality, reason: reason,
                                            errors: errors, context: context, intakes: intakes)
            return try JSON.response(ack, status: .created)
        }

        routes.api(.get, "/api/v1/rule-set", .allStaff, "The clinic's screening rules, with sources") { _, context in
            try JSON.response(try await intakes.ruleSet(clinicId: context.user!.clinicId))
        }
    }

    /// Shared by the API and the page: validates, checks the finding is open today, stores.
    static func acknowledge(patientId: UUID, rule: String?, modality rawModality: String?, reason rawReason: String?,
                            errors: [FieldError], context: AppContext, intakes: IntakeRepository) async throws -> ScreeningAcknowledgement {
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
        let current = try await CurrentScreening.load(patientId: patientId, context: context, intakes: intakes)
        guard let intake = current.intake, let result = current.results.first(where: { $0.modality == modality }) else {
            throw AppError(.conflict, "No intake yet", detail: "Record an intake before acknowledging findings.")
        }
        guard result.openAcknowledgements(current.acknowledgements).contains(where: { $0.rule == rule }) else {
            throw AppError(.conflict, "Nothing to acknowledge", detail: "\(rule) is not an open acknowledge-finding for \(modality.rawValue) today.",
                           fields: [FieldError("rule", "is not an open acknowledge-finding")])
        }
        let ack = ScreeningAcknowledgement(rule: rule, modality: modality, reason: reason, acknowledgedBy: context.user!.email,
                                           acknowledgedAt: Date())
        try await intakes.acknowledge(ack, intakeId: intake.id, patientId: patientId, clinicId: context.user!.clinicId, by: context.auditActor)
        return ack
    }
}
