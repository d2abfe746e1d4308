import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ScarClinic
import ScarCore
import ScarStore

/// The study pages: the list with the new-study form, a study's page (participants, blinded
/// rating grid, analysis), enrolment by record number, and photos for blinded grading.
struct StudyPageController {
    let services: AppServices
    var studies: StudyRepository { services.studies }

    static func add(to routes: Routes, services: AppServices) {
        let c = Self(services: services)
        routes.page("/studies", AccessPolicy.studyTeam, "Split-face studies", c.list)
        routes.form("/studies", AccessPolicy.clinicians, "Create a split-face study", c.create)
        routes.page("/studies/:id", AccessPolicy.studyTeam, "A study: participants, blinded rating, analysis", c.study)
        // Photos for blinded grading: served only for participants whose photo-use and research
        // consents are valid now, addressed by study so a rater never needs the patient record.
        routes.page("/studies/:id/rating-photos/:photo", AccessPolicy.raters,
                    "A participant's photo for blinded grading (photo-use + research consent)", c.ratingPhoto)
        routes.form("/studies/:id/participants", AccessPolicy.clinicians, "Enrol a patient by record number", c.enrol)
        routes.form("/studies/:id/ratings", AccessPolicy.raters, "Save blinded ratings", c.rate)
    }

    @Sendable func list(_ request: Request, _ context: AppContext) async throws -> Response {
        try await studiesPage(context)
    }

    @Sendable func create(_ request: Request, _ context: AppContext, _ form: FormBody) async throws -> Response {
        switch StudyDesign.validate(title: form["title"], protocolSummary: form["protocol"], armA: form["armA"], armB: form["armB"],
                                    outcomeScale: form["outcomeScale"], timePoints: form["timePoints"], targetEnrolment: form["targetEnrolment"]) {
        case .success(let d):
            var rng = SystemRandomNumberGenerator()
            let id = try await studies.create(d, seed: rng.next(), clinicId: context.signedInUser.clinicId, by: context.auditActor)
            return Response.redirect(to: "/studies/\(id.lower)", type: .normal)
        case .failure(let f):
            return try await studiesPage(context, errors: f.errors, status: .unprocessableContent)
        }
    }

    @Sendable func study(_ request: Request, _ context: AppContext) async throws -> Response {
        try await studyPage(context, error: nil, status: .ok)
    }

    @Sendable func ratingPhoto(_ request: Request, _ context: AppContext) async throws -> Response {
        let id = try context.pageUUID()
        let photoId = try context.pageUUID("photo")
        let photo = try await studies.ratingPhoto(studyId: id, photoId: photoId, clinicId: context.signedInUser.clinicId, by: context.auditActor)
        guard let type = ImageMediaType(rawValue: photo.mediaType) else { throw AppError.notFound }
        let bytes = try await services.photoFiles.read(sha256: photo.sha256, type: type)
        var headers = HTTPFields()
        headers[.contentType] = type.rawValue
        headers[.cacheControl] = "no-store"
        headers[.contentDisposition] = "inline"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    @Sendable func enrol(_ request: Request, _ context: AppContext, _ form: FormBody) async throws -> Response {
        let id = try context.pageUUID()
        do {
            _ = try await AppError.fromRefusal {
                try await EnrolParticipant(services.database)(studyId: id, patient: .recordNumber(form["mrn"] ?? ""), by: context.clinician,
                                                              actor: context.auditActor, now: context.now)
            }
            return Response.redirect(to: "/studies/\(id.lower)#participants", type: .normal)
        } catch let e as AppError where e.status.code == 422 || e.status.code == 409 {
            return try await studyPage(context, error: e, status: e.status)
        }
    }

    @Sendable func rate(_ request: Request, _ context: AppContext, _ form: FormBody) async throws -> Response {
        let id = try context.pageUUID()
        // What the rater typed, by cell name, so a refused form comes back filled in.
        var typed: [String: String] = [:]
        for (name, values) in form.values where name.hasPrefix("r|") {
            if let raw = values.first?.trimmingCharacters(in: .whitespaces), !raw.isEmpty { typed[name] = raw }
        }
        do {
            // Every cell is checked before any is saved, and the cells are saved in one
            // transaction: a typo or an already-rated cell saves nothing.
            let cells = try Self.cells(typed)
            try await AppError.fromRefusal {
                try await RateSide(services.database)(studyId: id, ratings: cells, by: context.clinician, actor: context.auditActor, now: context.now)
            }
            return Response.redirect(to: "/studies/\(id.lower)#rating", type: .normal)
        } catch let e as AppError where e.status.code == 422 || e.status.code == 409 {
            let conflicts = Set(e.fields.filter { $0.field.hasPrefix("r|") }.map(\.field))
            return try await studyPage(context, error: e, status: e.status, typed: typed, conflicts: conflicts)
        }
    }

    /// The grid's typed cells (`r|P-001|baseline|left` → value); a value that is not a number of 0 or more is refused.
    static func cells(_ typed: [String: String]) throws -> [SideRating] {
        var cells: [SideRating] = []
        for (name, raw) in typed.sorted(by: { $0.key < $1.key }) {
            let parts = name.split(separator: "|").map(String.init)
            guard parts.count == 4, let side = FaceSide(rawValue: parts[3]) else { continue }
            guard let value = Double(raw), value >= 0, value.isFinite else {
                throw AppError.validation([FieldError("rating", "\(parts[1]) \(parts[2]) \(side.rawValue): \(raw) is not a number of 0 or more")])
            }
            cells.append(SideRating(participantCode: parts[1], timePoint: parts[2], side: side, value: value))
        }
        return cells
    }

    /// The study list with the new-study form (re-shown with its errors after a refused save).
    func studiesPage(_ context: AppContext, errors: [FieldError] = [], status: HTTPResponse.Status = .ok) async throws -> Response {
        let list = try await studies.list(clinicId: context.signedInUser.clinicId)
        let page = StudiesPage(studies: list.map { .init(url: "/studies/\($0.id.lower)", title: $0.design.title, enrolled: $0.enrolled,
                                                          target: $0.design.targetEnrolment, scale: ScaleNames.label($0.design.outcomeScale)) },
                               canDesign: AccessPolicy.clinicians.allows(context.user?.role), errors: errors)
        return services.views.render(.studies, title: "Studies", section: "studies", page: page, context: context, status: status)
    }

    /// The study page; after a refused rating form, `typed` keeps what the rater typed and
    /// `conflicts` names the cells that were already rated (marked beside the cell).
    func studyPage(_ context: AppContext, error: AppError?, status: HTTPResponse.Status, typed: [String: String] = [:],
                   conflicts: Set<String> = []) async throws -> Response {
        let id = try context.pageUUID()
        let user = context.signedInUser
        let study = try await studies.find(id: id, clinicId: user.clinicId)
        let participants = try await studies.participants(studyId: id, clinicId: user.clinicId)
        let measurements = try await studies.measurements(studyId: id, clinicId: user.clinicId)
        let ratingPhotos = AccessPolicy.raters.allows(user.role) ? try await studies.ratingPhotos(studyId: id, clinicId: user.clinicId)
                                                                : (photos: [], withheld: [:])
        let message = error.map { e in ([e.detail ?? e.title] + e.fields.filter { !$0.field.hasPrefix("r|") }
            .map { "\($0.field) \($0.message)" }).joined(separator: " · ") }
        let page = StudyPage(study: study, participants: participants, measurements: measurements, role: user.role, rating: ratingPhotos,
                             typed: typed, conflicts: conflicts, error: message)
        return services.views.render(.study, title: study.design.title, section: "studies", page: page, context: context, status: status)
    }
}
