import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ScarCore
import ScarStore

/// Split-face studies: design, enrolment with concealed randomized allocation, blinded
/// per-side rating, and the paired analysis per time point.
enum StudyRoutes {
    /// Who designs studies and enrols: clinicians. Researchers read designs and analyses
    /// (participant codes only, never names).
    static let designers = AccessPolicy.staff([.admin, .practitioner])
    static let readers = AccessPolicy.staff([.admin, .practitioner, .researcher, .blindedRater])
    /// Blinded raters grade sides; they never see which arm a side received, nor the analysis.
    static let raters = AccessPolicy.staff([.admin, .practitioner, .blindedRater])
    static let seeAllocation: Set<Role> = [.admin, .practitioner]
    static let seeAnalysis: Set<Role> = [.admin, .practitioner, .researcher]

    static func add(to routes: Routes, services: AppServices) {
        let studies = services.studies
        let views = services.views
        let limit = services.configuration.maxJSONBodyBytes

        routes.api(.get, "/api/v1/studies", readers, "The clinic's split-face studies") { _, context in
            struct List: Encodable { var items: [StudyJSON] }
            return try JSON.response(List(items: try await studies.list(clinicId: context.user!.clinicId).map { StudyJSON($0, showSeed: false) }))
        }

        routes.api(.post, "/api/v1/studies", designers, "Create a split-face study (the randomization seed is recorded)") { request, context in
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
                let id = try await studies.create(d, seed: rng.next(), clinicId: context.user!.clinicId, by: context.auditActor)
                let study = try await studies.find(id: id, clinicId: context.user!.clinicId)
                var headers = HTTPFields()
                headers[.location] = "/api/v1/studies/\(id.lower)"
                return try JSON.response(StudyJSON(study, showSeed: context.user!.role == .admin), status: .created, headers: headers)
            }
        }

        routes.api(.get, "/api/v1/studies/:id", readers, "One study with its analysis per time point") { _, context in
            let id = try PatientAPIRoutes.uuidParameter(context)
            let user = context.user!
            let study = try await studies.find(id: id, clinicId: user.clinicId)
            let participants = try await studies.participants(studyId: id, clinicId: user.clinicId)
            let analysis = SplitFaceAnalysis.analyze(timePoints: study.design.timePoints,
                                                     armASide: Dictionary(uniqueKeysWithValues: participants.map { ($0.number, $0.armASide) }),
                                                     measurements: try await studies.measurements(studyId: id, clinicId: user.clinicId))
            struct Detail: Encodable { var study: StudyJSON; var participants: [ParticipantJSON]; var analysis: [TimePointJSON] }
            return try JSON.response(Detail(study: StudyJSON(study, showSeed: user.role == .admin),
                                            participants: participants.map { ParticipantJSON($0, unblinded: seeAllocation.contains(user.role)) },
                                            analysis: seeAnalysis.contains(user.role) ? analysis.map(TimePointJSON.init) : []))
        }

        routes.api(.post, "/api/v1/studies/:id/participants", designers,
                   "Enrol a patient (research consent required); the side allocation is revealed now") { request, context in
            let id = try PatientAPIRoutes.uuidParameter(context)
            let body = try await JSONBody.read(request, limit: limit)
            var errors: [FieldError] = []
            body.rejectUnknown(allowed: ["patientId"], errors: &errors)
            let patient = body.string("patientId", errors: &errors).flatMap(UUID.init(uuidString:))
            if patient == nil, !errors.contains(where: { $0.field == "patientId" }) { errors.append(FieldError("patientId", "must be a patient's UUID")) }
            guard errors.isEmpty, let patient else { throw AppError.validation(errors) }
            let p = try await enrol(studies: studies, studyId: id, patientId: patient, context: context)
            return try JSON.response(ParticipantJSON(p, unblinded: true), status: .created)
        }

        routes.api(.post, "/api/v1/studies/:id/ratings", raters,
                   "Rate one side of one participant at one time point (blinded: sides, not arms)") { request, context in
            let id = try PatientAPIRoutes.uuidParameter(context)
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
            try await rate(studies: studies, studyId: id,
                           ratings: [.init(participantCode: code, timePoint: point, side: side, value: value)], context: context)
            return Response(status: .created)
        }

        // MARK: Pages
        /// The study list with the new-study form (re-shown with its errors after a refused save).
        @Sendable func studiesPage(_ context: AppContext, errors: [FieldError] = [], status: HTTPResponse.Status = .ok) async throws -> Response {
            let list = try await studies.list(clinicId: context.user!.clinicId)
            return views.render("studies", title: "Studies", section: "studies", data: [
                "studies": list.map { ["url": "/studies/\($0.id.lower)", "title": $0.design.title,
                                       "enrolled": $0.enrolled, "target": $0.design.targetEnrolment, "scale": $0.design.outcomeScale] as [String: Any] },
                "hasStudies": !list.isEmpty, "canDesign": designers.allows(context.user?.role),
                "scales": StudyDesign.scales.map { ["value": $0] },
                "errors": errors.map { ["message": "\($0.field) \($0.message)"] }, "hasErrors": !errors.isEmpty,
            ], context: context, status: status)
        }

        routes.page("/studies", readers, "Split-face studies") { _, context in
            try await studiesPage(context)
        }

        routes.form("/studies", designers, "Create a split-face study") { _, context, form in
            switch StudyDesign.validate(title: form["title"], protocolSummary: form["protocol"], armA: form["armA"], armB: form["armB"],
                                        outcomeScale: form["outcomeScale"], timePoints: form["timePoints"], targetEnrolment: form["targetEnrolment"]) {
            case .success(let d):
                var rng = SystemRandomNumberGenerator()
                let id = try await studies.create(d, seed: rng.next(), clinicId: context.user!.clinicId, by: context.auditActor)
                return Response.redirect(to: "/studies/\(id.lower)", type: .normal)
            case .failure(let f):
                return try await studiesPage(context, errors: f.errors, status: .unprocessableContent)
            }
        }

        routes.page("/studies/:id", readers, "A study: participants, blinded rating, analysis") { _, context in
            try await studyPage(context: context, services: services, error: nil, status: .ok)
        }

        // Photos for blinded grading: served only for participants whose photo-use and research
        // consents are valid now, addressed by study so a rater never needs the patient record.
        routes.page("/studies/:id/rating-photos/:photo", raters, "A participant's photo for blinded grading (photo-use + research consent)") { _, context in
            let id = try PatientPageRoutes.pageUUID(context)
            guard let raw = context.parameters.get("photo"), let photoId = UUID(uuidString: raw) else { throw AppError.notFound }
            let photo = try await studies.ratingPhoto(studyId: id, photoId: photoId, clinicId: context.user!.clinicId, by: context.auditActor)
            guard let type = ImageMediaType(rawValue: photo.mediaType) else { throw AppError.notFound }
            let bytes = try services.photoFiles.read(sha256: photo.sha256, type: type)
            var headers = HTTPFields()
            headers[.contentType] = type.rawValue
            headers[.cacheControl] = "no-store"
            headers[.contentDisposition] = "inline"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        }

        routes.form("/studies/:id/participants", designers, "Enrol a patient by record number") { _, context, form in
            let id = try PatientPageRoutes.pageUUID(context)
            do {
                let mrn = (form["mrn"] ?? "").trimmingCharacters(in: .whitespaces)
                let found = try await services.patients.search(.text(mrn), page: PageRequest(page: 1, perPage: 2),
                                                               clinicId: context.user!.clinicId, by: context.auditActor)
                guard let patient = found.items.first(where: { $0.mrn.lowercased() == mrn.lowercased() }) else {
                    throw AppError.validation([FieldError("mrn", "matches no patient's record number")])
                }
                _ = try await enrol(studies: studies, studyId: id, patientId: patient.id, context: context)
                return Response.redirect(to: "/studies/\(id.lower)#participants", type: .normal)
            } catch let e as AppError where e.status.code == 422 || e.status.code == 409 {
                return try await studyPage(context: context, services: services, error: e, status: e.status)
            }
        }

        routes.form("/studies/:id/ratings", raters, "Save blinded ratings") { _, context, form in
            let id = try PatientPageRoutes.pageUUID(context)
            _ = try await studies.find(id: id, clinicId: context.user!.clinicId)  // another clinic's study is not found
            // What the rater typed, by cell name, so a refused form comes back filled in.
            var typed: [String: String] = [:]
            for (name, values) in form.values where name.hasPrefix("r|") {
                if let raw = values.first?.trimmingCharacters(in: .whitespaces), !raw.isEmpty { typed[name] = raw }
            }
            do {
                // Every cell is checked before any is saved, and the cells are saved in one
                // transaction: a typo or an already-rated cell saves nothing.
                var cells: [StudyRepository.Rating] = []
                for (name, raw) in typed.sorted(by: { $0.key < $1.key }) {
                    let parts = name.split(separator: "|").map(String.init)
                    guard parts.count == 4, let side = FaceSide(rawValue: parts[3]) else { continue }
                    guard let value = Double(raw), value >= 0, value.isFinite else {
                        throw AppError.validation([FieldError("rating", "\(parts[1]) \(parts[2]) \(side.rawValue): \(raw) is not a number of 0 or more")])
                    }
                    cells.append(.init(participantCode: parts[1], timePoint: parts[2], side: side, value: value))
                }
                try await rate(studies: studies, studyId: id, ratings: cells, cellFields: true, context: context)
                return Response.redirect(to: "/studies/\(id.lower)#rating", type: .normal)
            } catch let e as AppError where e.status.code == 422 || e.status.code == 409 {
                let conflicts = Set(e.fields.filter { $0.field.hasPrefix("r|") }.map(\.field))
                return try await studyPage(context: context, services: services, error: e, status: e.status, typed: typed, conflicts: conflicts)
            }
        }
    }

    static func enrol(studies: StudyRepository, studyId: UUID, patientId: UUID, context: AppContext) async throws -> StudyRepository.Participant {
        do {
            return try await studies.enrol(studyId: studyId, patientId: patientId, clinicId: context.user!.clinicId, by: context.auditActor)
        } catch StudyRepository.ConsentRefusal.noResearchConsent {
            throw AppError.validation([FieldError("researchConsent",
                "is missing: the patient has no signed research consent (sign one from the patient's page, or it was withdrawn)")])
        } catch StoreError.duplicate(let field) {
            throw AppError(.conflict, field == "targetEnrolment" ? "Study is full" : "Already enrolled",
                           detail: field == "targetEnrolment" ? "The study has reached its target enrolment." : "This patient is already enrolled.",
                           fields: [FieldError(field == "targetEnrolment" ? "targetEnrolment" : "patientId", "refused")])
        }
    }

    /// The form's name of a rating cell (`r|P-001|baseline|left`).
    static func cellName(_ r: StudyRepository.Rating) -> String { "r|\(r.participantCode)|\(r.timePoint)|\(r.side.rawValue)" }

    /// Saves one submission (one rating from the API, a whole grid from the form) in one
    /// transaction: all of it or nothing.
    /// `cellFields`: name each refused cell by its form name (the form marks it beside the cell);
    /// the API names the field it was sent, `side`.
    static func rate(studies: StudyRepository, studyId: UUID, ratings: [StudyRepository.Rating], cellFields: Bool = false,
                     context: AppContext) async throws {
        let study = try await studies.find(id: studyId, clinicId: context.user!.clinicId)
        for r in ratings where !study.design.timePoints.contains(r.timePoint) {
            throw AppError.validation([FieldError("timePoint", "must be one of \(study.design.timePoints.joined(separator: ", "))")])
        }
        do {
            try await studies.rate(studyId: studyId, ratings: ratings, clinicId: context.user!.clinicId, by: context.auditActor)
        } catch StudyRepository.ConsentRefusal.withdrawn(let code) {
            throw AppError(.conflict, "Research consent withdrawn",
                           detail: "\(code) withdrew research consent: no further ratings are collected; earlier ones are kept.",
                           fields: [FieldError("participant", "withdrew research consent")])
        } catch let refusal as StudyRepository.AlreadyRated {
            let cells = refusal.cells.map { "\($0.participantCode) \($0.timePoint) \($0.side.rawValue)" }.joined(separator: ", ")
            throw AppError(.conflict, "Already rated",
                           detail: "\(cells) already \(refusal.cells.count == 1 ? "has a rating" : "have ratings"); ratings are not overwritten"
                               + (ratings.count > 1 ? ", so nothing of this submission was saved." : "."),
                           fields: cellFields ? refusal.cells.map { FieldError(cellName($0), "already rated") } : [FieldError("side", "already rated")])
        } catch StoreError.duplicate {
            throw AppError(.conflict, "Already rated",
                           detail: "A cell of this submission was rated meanwhile; ratings are not overwritten, so nothing was saved.",
                           fields: [FieldError("side", "already rated")])
        }
    }

    /// The study page; after a refused rating form, `typed` keeps what the rater typed and
    /// `conflicts` names the cells that were already rated (marked beside the cell).
    static func studyPage(context: AppContext, services: AppServices, error: AppError?, status: HTTPResponse.Status,
                          typed: [String: String] = [:], conflicts: Set<String> = []) async throws -> Response {
        let id = try PatientPageRoutes.pageUUID(context)
        let user = context.user!
        let study = try await services.studies.find(id: id, clinicId: user.clinicId)
        let participants = try await services.studies.participants(studyId: id, clinicId: user.clinicId)
        let measurements = try await services.studies.measurements(studyId: id, clinicId: user.clinicId)
        let analysis = SplitFaceAnalysis.analyze(timePoints: study.design.timePoints,
                                                 armASide: Dictionary(uniqueKeysWithValues: participants.map { ($0.number, $0.armASide) }),
                                                 measurements: measurements)
        let unblinded = seeAllocation.contains(user.role)
        let ratingPhotos = raters.allows(user.role) ? try await services.studies.ratingPhotos(studyId: id, clinicId: user.clinicId)
                                                    : (photos: [], withheld: [:])
        func fmt(_ v: Double?, _ digits: Int = 3) -> String { v.map { String(format: "%.\(digits)f", $0) } ?? "—" }
        return services.views.render("study", title: study.design.title, section: "studies", data: [
            "title": study.design.title, "protocol": study.design.protocolSummary, "armA": study.design.armA, "armB": study.design.armB,
            "scale": study.design.outcomeScale, "timePoints": study.design.timePoints.joined(separator: ", "),
            "enrolled": study.enrolled, "target": study.design.targetEnrolment,
            "seed": user.role == .admin ? String(study.seed) : "", "showSeed": user.role == .admin,
            "canEnrol": designers.allows(user.role), "canRate": raters.allows(user.role),
            "enrolURL": "/studies/\(id.lower)/participants", "rateURL": "/studies/\(id.lower)/ratings",
            "participants": participants.map { p in
                ["code": p.code, "enrolledOn": ISODate.utc(p.enrolledAt).description, "unblinded": unblinded, "withdrawn": !p.consentValid,
                 "left": p.armASide == .left ? study.design.armA : study.design.armB,
                 "right": p.armASide == .right ? study.design.armA : study.design.armB] as [String: Any]
            },
            "hasParticipants": !participants.isEmpty, "unblinded": unblinded,
            // The rating grid shows participant codes and sides only: never which arm a side received.
            "ratingRows": participants.flatMap { p in study.design.timePoints.map { t in
                ["code": p.code, "timePoint": t, "withdrawn": !p.consentValid,
                 "left": measurements.first { $0.participant == p.number && $0.timePoint == t && $0.side == .left }.map { fmt($0.value, 1) } ?? "",
                 "right": measurements.first { $0.participant == p.number && $0.timePoint == t && $0.side == .right }.map { fmt($0.value, 1) } ?? "",
                 "leftName": "r|\(p.code)|\(t)|left", "rightName": "r|\(p.code)|\(t)|right",
                 "leftTyped": typed["r|\(p.code)|\(t)|left"] ?? "", "rightTyped": typed["r|\(p.code)|\(t)|right"] ?? "",
                 "leftConflict": conflicts.contains("r|\(p.code)|\(t)|left"), "rightConflict": conflicts.contains("r|\(p.code)|\(t)|right"),
                 "leftDone": measurements.contains { $0.participant == p.number && $0.timePoint == t && $0.side == .left },
                 "rightDone": measurements.contains { $0.participant == p.number && $0.timePoint == t && $0.side == .right }] as [String: Any]
            } },
            "ratingPhotos": participants.map { p in
                let mine = ratingPhotos.photos.filter { $0.participantCode == p.code }
                func shots(_ side: FaceSide?) -> [[String: Any]] {
                    mine.filter { $0.view.side == side }.map { ph in
                        ["url": "/studies/\(id.lower)/rating-photos/\(ph.id.lower)",
                         "caption": "\(ph.view.label), day \(ph.daysFromEnrolment)",
                         "alt": "\(p.code) \(ph.view.label) photo, day \(ph.daysFromEnrolment) from enrolment"]
                    }
                }
                let reason = ratingPhotos.withheld[p.code]
                let both = shots(nil)
                return ["code": p.code, "withheld": reason != nil, "reason": reason ?? "", "none": reason == nil && mine.isEmpty,
                        "left": shots(.left), "right": shots(.right), "both": both, "hasBoth": !both.isEmpty] as [String: Any]
            },
            "hasRatingPhotos": !participants.isEmpty,
            "showAnalysis": seeAnalysis.contains(user.role),
            "analysis": analysis.map { tp in
                let a = tp.analysis
                return ["timePoint": tp.timePoint, "n": a.n, "dropped": a.dropped, "hasDropped": a.dropped > 0, "mean": fmt(a.meanDifference),
                        "ci": a.ci95.map { "\(fmt($0.lower)) to \(fmt($0.upper))" } ?? "—",
                        "t": fmt(a.tStatistic), "tp": fmt(a.tP, 4), "w": fmt(a.wilcoxonStatistic, 1), "wp": fmt(a.wilcoxonP, 4),
                        "method": a.wilcoxonMethod?.rawValue ?? "—", "dz": fmt(a.effectSize)] as [String: Any]
            },
            "hasError": error != nil,
            "error": error.map { e in ([e.detail ?? e.title] + e.fields.filter { !$0.field.hasPrefix("r|") }
                .map { "\($0.field) \($0.message)" }).joined(separator: " · ") } ?? "",
        ], context: context, status: status)
    }
}

struct StudyJSON: Encodable {
    var id: String
    var title: String
    var `protocol`: String
    var armA: String
    var armB: String
    var outcomeScale: String
    var timePoints: [String]
    var targetEnrolment: Int
    var enrolled: Int
    var seed: String?

    init(_ s: StudyRepository.Study, showSeed: Bool) {
        id = s.id.lower
        title = s.design.title
        self.protocol = s.design.protocolSummary
        armA = s.design.armA
        armB = s.design.armB
        outcomeScale = s.design.outcomeScale
        timePoints = s.design.timePoints
        targetEnrolment = s.design.targetEnrolment
        enrolled = s.enrolled
        seed = showSeed ? String(s.seed) : nil
    }
}

struct ParticipantJSON: Encodable {
    var code: String
    var number: Int
    var armASide: String?
    var enrolledAt: Date

    init(_ p: StudyRepository.Participant, unblinded: Bool) {
        code = p.code
        number = p.number
        armASide = unblinded ? p.armASide.rawValue : nil
        enrolledAt = p.enrolledAt
    }
}

struct TimePointJSON: Encodable {
    struct TTest: Encodable { var statistic: Double?; var p: Double?; var df: Int? }
    struct Wilcoxon: Encodable { var statistic: Double?; var p: Double?; var method: String? }
    var timePoint: String
    var n: Int
    var dropped: Int
    var meanDifference: Double?
    var ci95: [Double]?
    var tTest: TTest
    var wilcoxon: Wilcoxon
    var effectSize: Double?

    init(_ t: SplitFaceAnalysis.TimePoint) {
        let a = t.analysis
        timePoint = t.timePoint
        n = a.n
        dropped = a.dropped
        meanDifference = a.meanDifference
        ci95 = a.ci95.map { [$0.lower, $0.upper] }
        tTest = TTest(statistic: a.tStatistic, p: a.tP, df: a.df)
        wilcoxon = Wilcoxon(statistic: a.wilcoxonStatistic, p: a.wilcoxonP, method: a.wilcoxonMethod?.rawValue)
        effectSize = a.effectSize
    }
}
