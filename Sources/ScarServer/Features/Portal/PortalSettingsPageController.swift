import Foundation
import HTTPTypes
import Hummingbird
import ScarClinic
import ScarCore
import ScarStore

/// `/admin/portal` (admins): what the clinic's patient portal offers, as a form — photos side by
/// side, the notice a patient gives to ask for a change, and the outcome questions (ACNE-Q items
/// typed from the clinic's licensed copy). The same use case as `PUT /api/v1/portal-settings`.
struct PortalSettingsPageController {
    let services: AppServices

    static func add(to routes: Routes, services: AppServices) {
        let c = Self(services: services)
        routes.page("/admin/portal", .adminOnly, "What the clinic's patient portal offers", c.form)
        routes.form("/admin/portal", .adminOnly, "Save what the clinic's patient portal offers", c.save)
    }

    @Sendable func form(_ request: Request, _ context: AppContext) async throws -> Response {
        let clinicId = context.signedInUser.clinicId
        let s = try await services.database.read(unitOfWork: { try await $0.portalSettings(clinicId: clinicId) })
        let page = PortalSettingsPage(showPhotos: s.showPhotos, changeNoticeHours: String(s.changeNoticeHours), outcomeVersion: s.outcomes.version,
                                      outcomeItems: s.outcomes.lines, saved: request.uri.queryParameters.get("saved") == "1")
        return services.views.render(.portalSettings, title: "Patient portal", section: "clinic", page: page, context: context)
    }

    @Sendable func save(_ request: Request, _ context: AppContext, _ form: FormBody) async throws -> Response {
        var page = PortalSettingsPage(showPhotos: form["showPhotos"] == "on", changeNoticeHours: form["changeNoticeHours"] ?? "",
                                      outcomeVersion: form["outcomeVersion"] ?? "", outcomeItems: form["outcomeItems"] ?? "", saved: false)
        var errors: [FieldError] = []
        let hours = Int(page.changeNoticeHours.trimmingCharacters(in: .whitespaces))
        if hours == nil { errors.append(FieldError("changeNoticeHours", "must be a whole number of hours from 0 to 336")) }
        var items: [FollowUpQuestions.Item] = []
        switch FollowUpQuestions.Setup.parse(version: page.outcomeVersion, lines: page.outcomeItems) {
        case .success(let setup): items = setup.items
        case .failure(let f): errors += f.errors
        }
        do {
            guard errors.isEmpty, let hours else { throw Refusal.invalid(errors) }
            _ = try await ChangePortalSettings(services.database)(.init(showPhotos: page.showPhotos, changeNoticeHours: hours,
                                                                         outcomeVersion: page.outcomeVersion, outcomeItems: items),
                                                                   clinicId: context.signedInUser.clinicId, actor: context.auditActor, now: context.now)
            return Response.redirect(to: "/admin/portal?saved=1", type: .normal)
        } catch let refusal as Refusal where refusal.kind == .invalid {
            let message = { (field: String) in refusal.fields.first { $0.field == field }?.message }
            page.changeNoticeHoursError = message("changeNoticeHours")
            page.outcomeVersionError = message("outcomeVersion")
            page.outcomeItemsError = message("outcomeItems")
            return services.views.render(.portalSettings, title: "Patient portal", section: "clinic", page: page, context: context,
                                         status: .unprocessableContent)
        }
    }
}

/// The `portal-settings` page: the values as typed, and a message beside each refused field.
struct PortalSettingsPage {
    var showPhotos: Bool
    var changeNoticeHours: String
    var outcomeVersion: String
    var outcomeItems: String
    var saved: Bool
    var changeNoticeHoursError: String?
    var outcomeVersionError: String?
    var outcomeItemsError: String?
}
