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
enum AnalyticsRoutes {
    static let viewers = AccessPolicy.staff([.admin, .practitioner, .researcher])
    static let exporters = AccessPolicy.staff([.admin, .researcher])

    static func add(to routes: Routes, services: AppServices) {
        let repo = AnalyticsRepository(services.database)

        routes.api(.get, "/api/v1/analytics", viewers,
                   "Clinic analytics: responder rates by group with 95% Wilson intervals, mean changes, time to response, adverse-event rates") { request, context in
            let filter = try apiFilter(request)
            let result = try await repo.analytics(clinicId: context.user!.clinicId, filter: filter, by: context.auditActor)
            return try JSON.response(AnalyticsJSON(result))
        }

        routes.api(.get, "/api/v1/analytics.csv", viewers, "Clinic analytics as CSV (one metric per row; the same numbers as /api/v1/analytics)") { request, context in
            let filter = try apiFilter(request)
            let result = try await repo.analytics(clinicId: context.user!.clinicId, filter: filter, action: "analytics.export", by: context.auditActor)
            return CSVResponse.download(result.csv, filename: "scartrack-analytics.csv")
        }

        routes.api(.get, "/api/v1/research/export.csv", exporters,
                   "De-identified research export: one row per patient-assessment, pseudonymous ids, days from baseline") { request, context in
            if let unknown = request.uri.queryParameters.first(where: { _ in true }) {
                throw AppError.validation([FieldError(String(unknown.key), "is not a parameter of this export")])
            }
            let export = try await repo.researchExport(clinicId: context.user!.clinicId, by: context.auditActor)
            return CSVResponse.download(export.csv, filename: "scartrack-research-export.csv")
        }

        routes.page("/analytics", viewers, "Clinic analytics dashboard") { request, context in
            let q = request.uri.queryParameters
            let entered = AnalyticsFilter.fields.reduce(into: [String: String]()) { out, key in
                out[key] = q.get(key).map { String($0.prefix(100)) }
            }
            switch AnalyticsFilter.parse(from: entered["from"], to: entered["to"], practitioner: entered["practitioner"], protocol: entered["protocol"]) {
            case .failure(let failure):
                return try await dashboard(context: context, services: services, repo: repo, filter: nil, entered: entered,
                                           errors: failure.errors, settingsErrors: [], banner: nil, status: .unprocessableContent)
            case .success(let filter):
                return try await dashboard(context: context, services: services, repo: repo, filter: filter, entered: entered,
                                           errors: [], settingsErrors: [], banner: nil, status: .ok)
            }
        }

        routes.form("/analytics/settings", .adminOnly, "Change the analytics depth-band edges (administrators)") { _, context, form in
            let clinicId = context.user!.clinicId
            guard let version = form["version"].flatMap(Int.init) else { throw AppError.badRequest("The form has no version.", field: "version") }
            switch DepthBands.parse(form["depthBandEdges"]) {
            case .failure(let failure):
                return try await dashboard(context: context, services: services, repo: repo, filter: AnalyticsFilter(), entered: [:],
                                           errors: [], settingsErrors: failure.errors, banner: nil, status: .unprocessableContent,
                                           enteredEdges: form["depthBandEdges"])
            case .success(let bands):
                do {
                    _ = try await repo.saveBands(bands, clinicId: clinicId, expectedVersion: version, by: context.auditActor)
                    return Response.redirect(to: "/analytics#depth-bands", type: .normal)
                } catch StoreError.versionConflict {
                    return try await dashboard(context: context, services: services, repo: repo, filter: AnalyticsFilter(), entered: [:],
                                               errors: [], settingsErrors: [], banner: FormMessages.stale, status: .conflict)
                }
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

    static func dashboard(context: AppContext, services: AppServices, repo: AnalyticsRepository, filter: AnalyticsFilter?,
                          entered: [String: String], errors: [FieldError], settingsErrors: [FieldError], banner: String?,
                          status: HTTPResponse.Status, enteredEdges: String? = nil) async throws -> Response {
        let user = context.user!
        let clinicId = user.clinicId
        let settings = try await repo.settings(clinicId: clinicId)
        var result: ClinicAnalytics?
        if let filter { result = try await repo.analytics(clinicId: clinicId, filter: filter, by: context.auditActor) }
        let staff = try await services.staff.users(clinicId: clinicId).filter { [.practitioner, .admin].contains($0.role) }
        let templates = try await repo.protocolTemplates(clinicId: clinicId)
        func value(_ key: String) -> String { entered[key] ?? "" }
        var data: [String: Any] = [
            "hasErrors": !errors.isEmpty, "errors": errors.map { ["field": $0.field, "message": $0.message] },
            "from": value("from"), "to": value("to"),
            "practitionerOptions": [["value": "", "label": "Any practitioner", "selected": filter?.practitionerId == nil]]
                + staff.map { ["value": $0.id.lower, "label": $0.displayName, "selected": $0.id == filter?.practitionerId] },
            "protocolOptions": [["value": "", "label": "Any protocol", "selected": filter?.protocolTemplateId == nil]]
                + templates.map { ["value": $0.id.lower, "label": $0.name, "selected": $0.id == filter?.protocolTemplateId] },
            "canExport": exporters.allows(user.role), "isAdmin": user.role == .admin,
            "responderRule": ClinicAnalytics.responderRule, "fitzpatrickSource": FitzpatrickGroup.source,
            "bandNote": DepthBands.note, "bandEdges": enteredEdges ?? settings.bands.text, "settingsVersion": settings.version,
            "bandLabels": settings.bands.keys.map { settings.bands.label($0) }.joined(separator: " · "),
            "hasSettingsErrors": !settingsErrors.isEmpty, "settingsErrors": settingsErrors.map { ["field": $0.field, "message": $0.message] },
            "hasBanner": banner != nil, "banner": banner ?? "",
            "literatureSource": LiteratureAdverseEvents.source,
            "hasResult": result != nil,
        ]
        var query = URLComponents()
        query.queryItems = (filter?.queryItems ?? []).map { URLQueryItem(name: $0.0, value: $0.1) }
        data["csvURL"] = "/api/v1/analytics.csv" + (query.queryItems?.isEmpty == false ? "?" + (query.percentEncodedQuery ?? "") : "")
        if let r = result {
            data.merge(view(r)) { _, new in new }
        }
        return services.views.render("analytics", title: "Clinic analytics", section: "analytics", data: data, context: context, status: status)
    }

    static func pct(_ p: Double?) -> String { p.map { String(format: "%.1f%%", $0 * 100) } ?? "—" }
    static func num(_ v: Double?, _ digits: Int = 2) -> String { v.map { String(format: "%.\(digits)f", $0) } ?? "—" }

    static func view(_ r: ClinicAnalytics) -> [String: Any] {
        let overall = r.overall
        let dimensions = AnalyticsDimension.allCases.filter { $0 != .overall }.map { dim -> [String: Any] in
            let groups = r.groups(dim)
            let chart = ProportionChart(id: "chart-\(dim.rawValue)", title: "Responder rate by \(dim.label.lowercased())",
                                        bars: groups.map { .init(label: $0.label, interval: $0.interval) })
            return [
                "id": dim.rawValue, "label": dim.label, "svg": chart.svg(),
                "rows": groups.map { g -> [String: Any] in
                    let ci = g.interval
                    return ["label": g.label, "key": g.key, "patients": g.patients, "evaluable": g.evaluable, "responders": g.responders,
                            "rate": pct(ci?.proportion), "ci": ci.map { "\(pct($0.lower))–\(pct($0.upper))" } ?? "—"]
                },
                "isFitzpatrick": dim == .fitzpatrickGroup, "isDepth": dim == .depthBand,
            ]
        }
        let ae = r.adverseEvents
        let lit = LiteratureAdverseEvents.interval
        let aeChart = ProportionChart(id: "chart-ae", title: "Adverse events: patients with at least one", bars: [
            .init(label: "This clinic (per patient)", interval: ae.perPatient),
            .init(label: "Literature: 18 of 246", interval: lit, reference: true),
            .init(label: "This clinic (per session)", interval: ae.perSession),
        ])
        func aeRow(_ label: String, _ ci: WilsonInterval?, k: Int, n: Int, id: String) -> [String: Any] {
            ["label": label, "id": id, "k": k, "n": n, "rate": pct(ci?.proportion), "ci": ci.map { "\(pct($0.lower))–\(pct($0.upper))" } ?? "—"]
        }
        return [
            "patientsTreated": r.patientsTreated, "sessionsSigned": r.sessionsSigned, "completedCourses": r.completedCourses,
            "evaluable": overall?.evaluable ?? 0, "responders": overall?.responders ?? 0,
            "overallRate": pct(overall?.interval?.proportion),
            "overallCI": overall?.interval.map { "\(pct($0.lower))–\(pct($0.upper))" } ?? "—",
            "overallSVG": ProportionChart(id: "chart-overall", title: "Responder rate, all patients",
                                          bars: overall.map { [ProportionChart.Bar(label: "All patients", interval: $0.interval)] } ?? []).svg(),
            "dimensions": dimensions,
            "changes": r.scaleChanges.map { ["label": $0.label, "scale": $0.scale, "patients": $0.patients, "mean": num($0.mean)] },
            "ttrPatients": r.timeToResponse.patients, "ttrMean": num(r.timeToResponse.mean, 1), "ttrMedian": num(r.timeToResponse.median, 1),
            "aeEvents": ae.events, "aeSVG": aeChart.svg(),
            "aeRows": [aeRow("This clinic, per patient", ae.perPatient, k: ae.patientsWithEvent, n: ae.patients, id: "ae-per-patient"),
                       aeRow("This clinic, per signed session", ae.perSession, k: ae.sessionsWithEvent, n: ae.sessions, id: "ae-per-session"),
                       aeRow("Literature (Harris, Naidoo & Murrell 2015)", lit, k: lit.successes, n: lit.trials, id: "ae-literature")],
        ]
    }
}

/// The JSON the API returns; rates are proportions (0–1) with their 95 % Wilson interval.
struct AnalyticsJSON: Encodable {
    struct Interval: Encodable {
        var numerator: Int
        var denominator: Int
        var rate: Double
        var lower: Double
        var upper: Double
        init?(_ ci: WilsonInterval?) {
            guard let ci else { return nil }
            (numerator, denominator, rate, lower, upper) = (ci.successes, ci.trials, ci.proportion, ci.lower, ci.upper)
        }
    }
    struct Group: Encodable {
        var dimension: String
        var group: String
        var label: String
        var patients: Int
        var evaluable: Int
        var responders: Int
        var rate: Interval?
    }
    struct Change: Encodable { var scale: String; var label: String; var patients: Int; var meanChange: Double? }
    struct TTR: Encodable { var patients: Int; var meanDays: Double?; var medianDays: Double? }
    struct AE: Encodable { var events: Int; var perPatient: Interval?; var perSession: Interval? }
    struct Literature: Encodable { var perPatient: Interval?; var source: String }
    struct Definitions: Encodable {
        var responderRule: String
        var fitzpatrickGroups: String
        var depthBandEdgesMm: [Double]
        var depthBandNote: String
        var cohort: String
    }
    struct Filter: Encodable { var from: String?; var to: String?; var practitioner: String?; var `protocol`: String? }

    var filter: Filter
    var definitions: Definitions
    var patientsTreated: Int
    var sessionsSigned: Int
    var completedCourses: Int
    var responders: [Group]
    var meanChange: [Change]
    var timeToResponse: TTR
    var adverseEvents: AE
    var literature: Literature

    static let cohort = "Patients with at least one signed session in the filter (session day, practitioner, protocol template of the session's plan). Baseline: first assessment; latest: last assessment on or before the 'to' day. Adverse events counted by onset day."

    init(_ r: ClinicAnalytics) {
        filter = Filter(from: r.filter.from?.description, to: r.filter.to?.description,
                        practitioner: r.filter.practitionerId?.lower, protocol: r.filter.protocolTemplateId?.lower)
        definitions = Definitions(responderRule: ClinicAnalytics.responderRule, fitzpatrickGroups: FitzpatrickGroup.source,
                                  depthBandEdgesMm: r.bands.edges.map(\.millimetres), depthBandNote: DepthBands.note, cohort: Self.cohort)
        patientsTreated = r.patientsTreated
        sessionsSigned = r.sessionsSigned
        completedCourses = r.completedCourses
        responders = r.groups.map { Group(dimension: $0.dimension.rawValue, group: $0.key, label: $0.label, patients: $0.patients,
                                          evaluable: $0.evaluable, responders: $0.responders, rate: Interval($0.interval)) }
        meanChange = r.scaleChanges.map { Change(scale: $0.scale, label: $0.label, patients: $0.patients, meanChange: $0.mean) }
        timeToResponse = TTR(patients: r.timeToResponse.patients, meanDays: r.timeToResponse.mean, medianDays: r.timeToResponse.median)
        adverseEvents = AE(events: r.adverseEvents.events, perPatient: Interval(r.adverseEvents.perPatient), perSession: Interval(r.adverseEvents.perSession))
        literature = Literature(perPatient: Interval(LiteratureAdverseEvents.interval), source: LiteratureAdverseEvents.source)
    }
}
