import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ScarClinic
import ScarCore
import ScarStore

/// `/api/v1/studies`: split-face studies — design, enrolment with concealed randomized
/// allocation, blinded per-side rating, and the paired analysis per time point.
struct StudyAPIController {
    let services: AppServices
    var studies: StudyRepository { services.studies }
    var limit: Int { services.configuration.maxJSONBodyBytes }

    static func add(to routes: Routes, services: AppServices) {
        let c = Self(services: services)
        routes.api(.get, "/api/v1/studies", StudyAccess.readers, "The clinic's split-face studies", c.list)
        routes.api(.post, "/api/v1/studies", StudyAccess.designers, "Create a split-face study (the randomization seed is recorded)", c.create)
        routes.api(.get, "/api/v1/studies/:id", StudyAccess.readers, "One study with its analysis per time point", c.detail)
        routes.api(.post, "/api/v1/studies/:id/participants", StudyAccess.designers,
                   "Enrol a patient (research consent required); the side allocation is revealed now", c.enrol)
        routes.api(.post, "/api/v1/studies/:id/ratings", StudyAccess.raters,
                   "Rate one side of one participant at one time point (blinded: sides, not arms)", c.rate)
    }

    @Sendable func list(_ request: Request, _ context: AppContext) async throws -> Response {
        struct List: Encodable { var items: [StudyJSON] }
        return try JSON.response(List(items: try await studies.list(clinicId: context.signedInUser.clinicId).map { StudyJSON($0, showSeed: false) }))
    }

    @Sendable func create(_ request: Request, _ context: AppContext) async throws -> Response {
        let body = try await JSONBody.read(request, limit: limit)
        var errors: [FieldError] = []
        body.rejectUnknown(allowed: ["title", "protocol", "armA", "armB", "outcomeScale", "timePoints", "targetEnrolment"], errors: &errors)
        var points: String?
        if let raw = body.object["timePoints"] {
            if let list = raw as? [any Sendable], list.allSatisfy({ $0 is String }) { points = list.compactMap { $0 as? String }.joined(separator: ",") }
            else { errors.append(FieldError("timePoints", "must be an array of strings")) }
        }
        var target: String?
        if let raw = body.object["targetEnrolment"] {
            if let n = raw as? NSNumber { target = n.stringValue } else { errors.append(FieldError("targetEnrolment", "must be a number")) }
        }
        let design = StudyDesign.validate(title: body.string("title", errors: &errors), protocolSummary: body.string("protocol", errors: &errors),
                                          armA: body.string("armA", errors: &errors), armB: body.string("armB", errors: &errors),
                                          outcomeScale: body.string("outcomeScale", errors: &errors), timePoints: points, targetEnrolment: target)
        switch design {
        case .failure(let f): throw AppError.validation(errors + f.errors)
        case .success(let d):
            if !errors.isEmpty { throw AppError.validation(errors) }
            var rng = SystemRandomNumberGenerator()
            let id = try await studies.create(d, seed: rng.next(), clinicId: context.signedInUser.clinicId, by: context.auditActor)
            let study = try await studies.find(id: id, clinicId: context.signedInUser.clinicId)
            var headers = HTTPFields()
            headers[.location] = "/api/v1/studies/\(id.lower)"
            return try JSON.response(StudyJSON(study, showSeed: context.signedInUser.role == .admin), status: .created, headers: headers)
        }
    }

    @Sendable func detail(_ request: Request, _ context: AppContext) async throws -> Response {
        let id = try context.apiUUID()
        let user = context.signedInUser
        let study = try await studies.find(id: id, clinicId: user.clinicId)
        let participants = try await studies.participants(studyId: id, clinicId: user.clinicId)
        let analysis = SplitFaceAnalysis.analyze(timePoints: study.design.timePoints,
                                                 armASide: Dictionary(uniqueKeysWithValues: participants.map { ($0.number, $0.armASide) }),
                                                 measurements: try await studies.measurements(studyId: id, clinicId: user.clinicId))
        struct Detail: Encodable { var study: StudyJSON; var participants: [ParticipantJSON]; var analysis: [TimePointJSON] }
        return try JSON.response(Detail(study: StudyJSON(study, showSeed: user.role == .admin),
                                        participants: participants.map { ParticipantJSON($0, unblinded: StudyAccess.seeAllocation.contains(user.role)) },
                                        analysis: StudyAccess.seeAnalysis.contains(user.role) ? analysis.map(TimePointJSON.init) : []))
    }

    @Sendable func enrol(_ request: Request, _ context: AppContext) async throws -> Response {
        let id = try context.apiUUID()
        let body = try await JSONBody.read(request, limit: limit)
        var errors: [FieldError] = []
        body.rejectUnknown(allowed: ["patientId"], errors: &errors)
        let patient = body.string("patientId", errors: &errors).flatMap(UUID.init(uuidString:))
        if patient == nil, !errors.contains(where: { $0.field == "patientId" }) { errors.append(FieldError("patientId", "must be a patient's UUID")) }
        guard errors.isEmpty, let patient else { throw AppError.validation(errors) }
        let p = try await EnrolParticipant(services.database)(studyId: id, patient: .id(patient), by: context.clinician, actor: context.auditActor)
        return try JSON.response(ParticipantJSON(p, unblinded: true), status: .created)
    }

    @Sendable func rate(_ request: Request, _ context: AppContext) async throws -> Response {
        let id = try context.apiUUID()
        let body = try await JSONBody.read(request, limit: limit)
        var errors: [FieldError] = []
        body.rejectUnknown(allowed: ["participant", "timePoint", "side", "value"], errors: &errors)
        let code = body.string("participant", errors: &errors)
        let point = body.string("timePoint", errors: &errors)
        let side = body.string("side", errors: &errors).flatMap(FaceSide.init(rawValue:))
        let value = (body.object["value"] as? NSNumber)?.doubleValue
        if side == nil { errors.append(FieldError("side", "must be left or right")) }
        if value == nil || !(value!.isFinite) || value! < 0 { errors.append(FieldError("value", "must be a number of 0 or more")) }
        guard errors.isEmpty, let code, let point, let side, let value else {
            if code == nil { errors.append(FieldError("participant", "is required")) }
            if point == nil { errors.append(FieldError("timePoint", "is required")) }
            throw AppError.validation(errors)
        }
        do {
            try await RateSide(services.database)(studyId: id, ratings: [SideRating(participantCode: code, timePoint: point, side: side, value: value)],
                                                  by: context.clinician, actor: context.auditActor)
        } catch var refusal as Refusal where refusal.fields.contains(where: { $0.field.hasPrefix("r|") }) {
            // The API names the field it was sent, `side`; the grid names the cell.
            refusal.fields = [FieldError("side", "already rated")]
            throw refusal
        }
        return Response(status: .created)
    }
}
