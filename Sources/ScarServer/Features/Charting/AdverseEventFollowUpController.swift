import Foundation
import HTTPTypes
import Hummingbird
import ScarClinic
import ScarCore
import ScarStore

/// `/adverse-events/:id`: one adverse event with its follow-up notes, and its life cycle: resolve it
/// (date and outcome) or update it (grade, seriousness, relatedness, action, the session it
/// followed), each with an optional follow-up note, through `UpdateAdverseEvent`.
struct AdverseEventFollowUpController {
    let adverseEvents: AdverseEventRepository
    let sessions: SessionRepository
    let database: ScarDatabase
    let views: Views

    init(_ services: AppServices) {
        adverseEvents = AdverseEventRepository(services.database)
        sessions = ChartingServices(services).sessions
        database = services.database
        views = services.views
    }

    static func add(to routes: Routes, services: AppServices) {
        let c = Self(services)
        routes.page("/adverse-events/:id", .clinicalStaff, "An adverse event: details, follow-up notes, resolve or update", c.show)
        routes.form("/adverse-events/:id", .clinicalStaff, "Resolve or update an adverse event, with a follow-up note (version-checked)", c.update)
    }

    @Sendable func show(_ request: Request, _ context: AppContext) async throws -> Response {
        try await page(try context.pageUUID(), form: nil, saved: request.uri.queryParameters.get("saved") != nil,
                       next: ReturnPath.followUp(request.uri.queryParameters.get("next")), context: context)
    }

    @Sendable func update(_ request: Request, _ context: AppContext, _ form: FormBody) async throws -> Response {
        let id = try context.pageUUID()
        guard let version = form["version"].flatMap(Int.init) else {
            throw AppError.badRequest("The form has no record version; reload the page.", field: "version")
        }
        let resolving = form["part"] == "resolve"
        let next = ReturnPath.followUp(form["next"])
        let change = resolving
            ? UpdateAdverseEvent.Change(outcome: form["outcome"], resolvedOn: form["resolvedOn"] ?? "", followUpNote: form["followUpNote"])
            : UpdateAdverseEvent.Change(grade: form["grade"].flatMap { Int($0) }, serious: form["serious"] != nil, relatedness: form["relatedness"],
                                        actionTaken: form["actionTaken"] ?? "", outcome: form["outcome"], resolvedOn: form["resolvedOn"] ?? "",
                                        sessionId: form["sessionId"], followUpNote: form["followUpNote"])
        let sent = AdverseEventView.Sent(part: resolving ? "resolve" : "update", values: form, errors: [], banner: nil)
        do {
            _ = try await UpdateAdverseEvent(database)(id: id, expectedVersion: version, change: change, by: context.clinician,
                                                       actor: context.auditActor, now: context.now)
            return Response.redirect(to: next.map { $0 + "#adverse-events-step" } ?? AdverseEventView.url(id) + "?saved=1", type: .normal)
        } catch let refusal as Refusal {
            var refused = sent
            refused.errors = refusal.fields
            refused.banner = "Not saved: check the fields marked below."
            return try await page(id, form: refused, next: next, context: context, status: .unprocessableContent)
        } catch StoreError.versionConflict {
            var stale = sent
            stale.banner = "Someone else updated this event meanwhile. Check it and save again."
            return try await page(id, form: stale, next: next, context: context, status: .conflict)
        }
    }

    func page(_ id: UUID, form: AdverseEventView.Sent?, saved: Bool = false, next: String? = nil, context: AppContext,
              status: HTTPResponse.Status = .ok) async throws -> Response {
        let clinicId = context.signedInUser.clinicId
        let (event, notes) = try await adverseEvents.detail(id: id, clinicId: clinicId, by: context.auditActor)
        let patientSessions = try await sessions.list(patientId: event.patientId, clinicId: clinicId, by: context.auditActor)
        let zone = TimeZone(identifier: context.signedIn?.clinicTimeZone ?? "UTC") ?? TimeZone(identifier: "UTC")!
        let page = AdverseEventView.page(event, notes: notes, sessions: patientSessions, form: form, today: context.today, zone: zone,
                                         saved: saved, next: next)
        let term = AETerm.find(event.details.term)?.label ?? event.details.term
        return views.render(.adverseEvent, title: "\(term) · \(event.patientName)", section: "aes", page: page, context: context, status: status)
    }
}
