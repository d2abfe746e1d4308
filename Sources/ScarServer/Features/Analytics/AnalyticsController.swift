import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ScarCore
import ScarStore

/// Clinic analytics (issue 6): the dashboard, the same numbers as JSON and CSV, and the
/// de-identified research export. Aggregates only, computed in the database.
///
/// Access (also the decision recorded in `AccessTable.decided`): administrators and
/// practitioners see the analytics; researchers see the aggregates too (no identified data);
/// front desk and blinded raters are refused. The research export is for researchers and
/// administrators. Administrators change the depth-band edges.
struct AnalyticsController {

    let repo: AnalyticsRepository
    let staff: StaffRepository
    let views: Views

    init(_ services: AppServices) {
        (repo, staff, views) = (AnalyticsRepository(services.database), services.staff, services.views)
    }

    static func add(to routes: Routes, services: AppServices) {
        let c = Self(services)
        routes.api(.get, "/api/v1/analytics", .analysts,
                   "Clinic analytics: responder rates by group with 95% Wilson intervals, mean changes, time to response, adverse-event rates",
                   c.analytics)
        routes.api(.get, "/api/v1/analytics.csv", .analysts, "Clinic analytics as CSV (one metric per row; the same numbers as /api/v1/analytics)",
                   c.analyticsCSV)
        routes.api(.get, "/api/v1/research/export.csv", .exporters,
                   "De-identified research export: one row per patient-assessment, pseudonymous ids, days from baseline", c.researchExport)
        routes.page("/analytics", .analysts, "Clinic analytics dashboard", c.dashboardPage)
        routes.form("/analytics/settings", .adminOnly, "Change the analytics depth-band edges (administrators)", c.saveSettings)
    }

    @Sendable func analytics(_ request: Request, _ context: AppContext) async throws -> Response {
        let filter = try Self.apiFilter(request)
        let result = try await repo.analytics(clinicId: context.signedInUser.clinicId, filter: filter, by: context.auditActor)
        return try JSON.response(AnalyticsJSON(result))
    }

    @Sendable func analyticsCSV(_ request: Request, _ context: AppContext) async throws -> Response {
        let filter = try Self.apiFilter(request)
        let result = try await repo.analytics(clinicId: context.signedInUser.clinicId, filter: filter, action: "analytics.export",
                                              by: context.auditActor)
        return CSVResponse.download(result.csv, filename: "scartrack-analytics.csv")
    }

    @Sendable func researchExport(_ request: Request, _ context: AppContext) async throws -> Response {
        if let unknown = request.uri.queryParameters.first(where: { _ in true }) {
            throw AppError.validation([FieldError(String(unknown.key), "is not a parameter of this export")])
        }
        let export = try await repo.researchExport(clinicId: context.signedInUser.clinicId, by: context.auditActor)
        return CSVResponse.download(export.csv, filename: "scartrack-research-export.csv")
    }

    @Sendable func dashboardPage(_ request: Request, _ context: AppContext) async throws -> Response {
        let q = request.uri.queryParameters
        let entered = AnalyticsFilter.fields.reduce(into: [String: String]()) { out, key in
            out[key] = q.get(key).map { String($0.prefix(100)) }
        }
        switch AnalyticsFilter.parse(from: entered["from"], to: entered["to"], practitioner: entered["practitioner"], protocol: entered["protocol"]) {
        case .failure(let failure):
            return try await dashboard(context, filter: nil, entered: entered, errors: failure.errors, status: .unprocessableContent)
        case .success(let filter):
            return try await dashboard(context, filter: filter, entered: entered, status: .ok)
        }
    }

    @Sendable func saveSettings(_ request: Request, _ context: AppContext, _ form: FormBody) async throws -> Response {
        guard let version = form["version"].flatMap(Int.init) else { throw AppError.badRequest("The form has no version.", field: "version") }
        switch DepthBands.parse(form["depthBandEdges"]) {
        case .failure(let failure):
            return try await dashboard(context, filter: AnalyticsFilter(), entered: [:], settingsErrors: failure.errors,
                                       status: .unprocessableContent, enteredEdges: form["depthBandEdges"])
        case .success(let bands):
            do {
                _ = try await repo.saveBands(bands, clinicId: context.signedInUser.clinicId, expectedVersion: version, by: context.auditActor)
                return Response.redirect(to: "/analytics#depth-bands", type: .normal)
            } catch StoreError.versionConflict {
                return try await dashboard(context, filter: AnalyticsFilter(), entered: [:], banner: FormMessages.stale,
                                           status: .conflict)
            }
        }
    }

    /// The API's filter: the four known query parameters, each validated; anything else is
    /// refused by name (a typo must not silently widen the numbers).
    static func apiFilter(_ request: Request) throws -> AnalyticsFilter {
        let q = request.uri.queryParameters
        var errors: [FieldError] = []
        for (key, _) in q where !AnalyticsFilter.fields.contains(String(key)) {
            errors.append(FieldError(String(key), "is not a filter; use from, to, practitioner or protocol"))
        }
        // The API takes the values as documented: a parameter that is sent is read as written
        // (the page's form, by contrast, sends empty fields for "not set").
        for key in AnalyticsFilter.fields where QueryValues.isBlankOrPadded(q.get(key)) {
            errors.append(FieldError(key, key == "from" || key == "to" ? "must be a date as YYYY-MM-DD" : "must be an id (UUID)"))
        }
        switch AnalyticsFilter.parse(from: q.get("from"), to: q.get("to"), practitioner: q.get("practitioner"), protocol: q.get("protocol")) {
        case .success(let f) where errors.isEmpty: return f
        case .success: throw AppError.validation(errors)
        case .failure(let failure): throw AppError.validation(errors + failure.errors)
        }
    }

    func dashboard(_ context: AppContext, filter: AnalyticsFilter?, entered: [String: String], errors: [FieldError] = [],
                   settingsErrors: [FieldError] = [], banner: String? = nil, status: HTTPResponse.Status,
                   enteredEdges: String? = nil) async throws -> Response {
        let user = context.signedInUser
        let settings = try await repo.settings(clinicId: user.clinicId)
        let practitioners = try await staff.users(clinicId: user.clinicId).filter { [.practitioner, .admin].contains($0.role) }
        let templates = try await repo.protocolTemplates(clinicId: user.clinicId)
        var query = URLComponents()
        query.queryItems = (filter?.queryItems ?? []).map { URLQueryItem(name: $0.0, value: $0.1) }
        var page = AnalyticsPage(
            from: entered["from"] ?? "", to: entered["to"] ?? "",
            practitionerOptions: [.init(value: "", label: "Any practitioner", selected: filter?.practitionerId == nil)]
                + practitioners.map { .init(value: $0.id.lower, label: $0.displayName, selected: $0.id == filter?.practitionerId) },
            protocolOptions: [.init(value: "", label: "Any protocol", selected: filter?.protocolTemplateId == nil)]
                + templates.map { .init(value: $0.id.lower, label: $0.name, selected: $0.id == filter?.protocolTemplateId) },
            csvURL: "/api/v1/analytics.csv" + (query.queryItems?.isEmpty == false ? "?" + (query.percentEncodedQuery ?? "") : ""),
            errors: errors, banner: banner, canExport: AccessPolicy.exporters.allows(user.role),
            bandLabels: settings.bands.keys.map { settings.bands.label($0) }.joined(separator: " · "),
            bandEdges: enteredEdges ?? settings.bands.text, settingsVersion: settings.version, settingsErrors: settingsErrors,
            isAdmin: user.role == .admin)
        if let filter {
            page.result = AnalyticsPage.Numbers(try await repo.analytics(clinicId: user.clinicId, filter: filter, by: context.auditActor))
        }
        return views.render(.analytics, title: "Clinic analytics", section: "analytics", page: page, context: context, status: status)
    }
}
