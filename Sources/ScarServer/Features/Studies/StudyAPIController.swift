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
        routes.api(.get, "/api/v1/studies", AccessPolicy.studyTeam, "The clinic's split-face studies", c.list)
        routes.api(.post, "/api/v1/studies", AccessPolicy.clinicians, "Create a split-face study (the randomization seed is recorded)", c.create)
        routes.api(.get, "/api/v1/studies/:id", AccessPolicy.studyTeam, "One study with its analysis per time point", c.detail)
        routes.api(.post, "/api/v1/studies/:id/participants", AccessPolicy.clinicians,
                   "Enrol a patient (research consent required); the side allocation is revealed now", c.enrol)
        routes.api(.post, "/api/v1/studies/:id/ratings", AccessPolicy.raters,
                   "Rate one side of one participant at one time point (blinded: sides, not arms)", c.rate)
    }

    @Sendable func list(_ request: Request, _ context: AppContext) async throws -> Response {
        struct List: Encodable { var items: [StudyJSON] }
        return try JSON.response(List(items: try await studies.list(clinicId: context.signedInUser.clinicId).map { StudyJSON($0, showSeed: false) }))
    }

    @Sendable func create(_ request: Request, _ context: AppContext) async throws -> Response {
        let design = try await JSONRequest.decode(DesignInput.self, from: request, limit: limit) { try $0.design() }
        var rng = SystemRandomNumberGenerator()
        let id = try await studies.create(design, seed: rng.next(), clinicId: context.signedInUser.clinicId, by: context.auditActor)
        let study = try await studies.find(id: id, clinicId: context.signedInUser.clinicId)
        var headers = HTTPFields()
        headers[.location] = "/api/v1/studies/\(id.lower)"
        return try JSON.response(StudyJSON(study, showSeed: context.signedInUser.role == .admin), status: .created, headers: headers)
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
                                        participants: participants.map { ParticipantJSON($0, unblinded: AccessPolicy.clinicians.allows(user.role)) },
                                        analysis: AccessPolicy.analysts.allows(user.role) ? analysis.map(TimePointJSON.init) : []))
    }

    @Sendable func enrol(_ request: Request, _ context: AppContext) async throws -> Response {
        let id = try context.apiUUID()
        let patient = try await JSONRequest.decode(EnrolInput.self, from: request, limit: limit) { input in
            guard let id = input.patientId.flatMap(UUID.init(uuidString:)) else {
                throw AppError.validation([FieldError("patientId", "must be a patient's UUID")])
            }
            return id
        }
        let p = try await EnrolParticipant(services.database)(studyId: id, patient: .id(patient), by: context.clinician, actor: context.auditActor, now: context.now)
        return try JSON.response(ParticipantJSON(p, unblinded: true), status: .created)
    }

    @Sendable func rate(_ request: Request, _ context: AppContext) async throws -> Response {
        let id = try context.apiUUID()
        let rating = try await JSONRequest.decode(RatingInput.self, from: request, limit: limit) { try $0.rating() }
        do {
            try await RateSide(services.database)(studyId: id, ratings: [rating],
                                                  by: context.clinician, actor: context.auditActor, now: context.now)
        } catch var refusal as Refusal where refusal.fields.contains(where: { $0.field.hasPrefix("r|") }) {
            // The API names the field it was sent, `side`; the grid names the cell.
            refusal.fields = [FieldError("side", "already rated")]
            throw refusal
        }
        return Response(status: .created)
    }
}
