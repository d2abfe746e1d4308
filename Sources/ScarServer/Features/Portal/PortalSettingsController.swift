import Foundation
import HTTPTypes
import Hummingbird
import ScarClinic
import ScarCore
import ScarStore

/// `/api/v1/portal-settings` (admins): what the clinic's portal offers — photos side by side, the
/// notice a patient gives to ask for a change, and the ACNE-Q items (from the clinic's licensed
/// copy) asked at follow-ups.
struct PortalSettingsController {
    let services: AppServices

    static func add(to routes: Routes, services: AppServices) {
        let c = Self(services: services)
        routes.api(.get, "/api/v1/portal-settings", .adminOnly, "What the clinic's patient portal offers", c.settings)
        routes.api(.put, "/api/v1/portal-settings", .adminOnly, "Change what the clinic's patient portal offers", c.save)
    }

    struct Item: Codable { var id: String; var text: String }
    struct Body: Codable {
        var showPhotos: Bool
        var changeNoticeHours: Int
        var outcomeVersion: String
        var outcomeItems: [Item]

        init(_ s: UnitOfWork.PortalSettings) {
            showPhotos = s.showPhotos
            changeNoticeHours = s.changeNoticeHours
            outcomeVersion = s.outcomes.version
            outcomeItems = s.outcomes.items.map { Item(id: $0.id, text: $0.text) }
        }
    }

    struct Input: Decodable {
        var showPhotos: Bool?
        var changeNoticeHours: Int?
        var outcomeVersion: String?
        var outcomeItems: [Item]?
    }

    @Sendable func settings(_ request: Request, _ context: AppContext) async throws -> Response {
        let clinicId = context.signedInUser.clinicId
        return try JSON.response(Body(try await services.database.read(unitOfWork: { try await $0.portalSettings(clinicId: clinicId) })))
    }

    @Sendable func save(_ request: Request, _ context: AppContext) async throws -> Response {
        let input = try await JSONRequest.decode(Input.self, from: request, limit: services.configuration.maxJSONBodyBytes)
        var errors: [FieldError] = []
        if input.showPhotos == nil { errors.append(FieldError("showPhotos", "is required (true or false)")) }
        if input.changeNoticeHours == nil { errors.append(FieldError("changeNoticeHours", "is required (hours, 0 to 336)")) }
        guard errors.isEmpty, let photos = input.showPhotos, let hours = input.changeNoticeHours else { throw AppError.validation(errors) }
        let change = ChangePortalSettings.Input(showPhotos: photos, changeNoticeHours: hours, outcomeVersion: input.outcomeVersion,
                                                outcomeItems: (input.outcomeItems ?? []).map { FollowUpQuestions.Item(id: $0.id, text: $0.text) })
        let saved = try await AppError.fromRefusal {
            try await ChangePortalSettings(services.database)(change, clinicId: context.signedInUser.clinicId, actor: context.auditActor, now: context.now)
        }
        return try JSON.response(Body(saved))
    }
}
