import Foundation
import HTTPTypes
import Hummingbird
import ScarClinic
import ScarCore
import ScarStore

/// Per-patient outcomes: follow-ups compared with the baseline and the previous assessment,
/// the progress page with charts and side-by-side photos, and patient-reported outcomes.
struct OutcomeController {
    let services: AppServices

    static func add(to routes: Routes, services: AppServices) {
        let c = Self(services: services)
        routes.api(.get, "/api/v1/patients/:id/outcomes", .clinicalStaff,
                   "Follow-ups compared with the baseline and the previous assessment, with responder status", c.outcomes)
        routes.api(.get, "/api/v1/patients/:id/reported-outcomes", .clinicalStaff, "Patient-reported outcomes", c.reportedOutcomes)
        routes.api(.post, "/api/v1/patients/:id/reported-outcomes", .clinicalStaff,
                   "Record a patient-reported outcome (instrument id, version, raw responses, satisfaction 0–10)", c.recordReported)
        routes.page("/patients/:id/progress", .clinicalStaff, "Progress: scales over time, photo comparison, reported outcomes", c.progress)
        routes.form("/patients/:id/reported-outcomes", .clinicalStaff, "Record a patient-reported outcome", c.recordReportedForm)
    }

    @Sendable func outcomes(_ request: Request, _ context: AppContext) async throws -> Response {
        let id = try context.apiUUID()
        let assessments = try await services.assessments.list(patientId: id, clinicId: context.signedInUser.clinicId, by: context.auditActor)
        return try JSON.response(OutcomesJSON(PatientProgress(assessments)))
    }

    @Sendable func reportedOutcomes(_ request: Request, _ context: AppContext) async throws -> Response {
        let id = try context.apiUUID()
        let paging = try ListPaging.read(request)
        let page = try await services.outcomes.list(patientId: id, clinicId: context.signedInUser.clinicId,
                                                    after: try paging.cursor(of: .reportedOutcomes), limit: paging.limit, by: context.auditActor)
        struct List: Encodable { var items: [PROJSON] }
        return try JSON.response(List(items: page.items.map(PROJSON.init)),
                                 headers: paging.headers(path: "/api/v1/patients/\(id.lower)/reported-outcomes", next: page.next?.text))
    }

    @Sendable func recordReported(_ request: Request, _ context: AppContext) async throws -> Response {
        let id = try context.apiUUID()
        let today = context.today
        let pro = try await JSONRequest.decode(ReportedOutcomeBody.self, from: request, limit: services.configuration.maxJSONBodyBytes) {
            try Self.validated(instrument: $0.instrument, version: $0.instrumentVersion, responses: ($0.responses ?? [:]).mapValues(\.text),
                               satisfaction: $0.satisfaction?.text, today: today)
        }
        let recorded = try await RecordReportedOutcome(services.database)(pro, patientId: id, clinicId: context.signedInUser.clinicId, by: context.auditActor, now: context.now)
        return try JSON.response(PROJSON(recorded), status: .created)
    }

    @Sendable func progress(_ request: Request, _ context: AppContext) async throws -> Response {
        try await progressPage(request: request, context: context, proErrors: [], status: .ok)
    }

    @Sendable func recordReportedForm(_ request: Request, _ context: AppContext, _ form: FormBody) async throws -> Response {
        let id = try context.pageUUID()
        // Raw responses as "item=answer" lines: the instrument's own item ids, never its licensed text.
        var responses: [String: String] = [:]
        for line in (form["responses"] ?? "").split(whereSeparator: \.isNewline) {
            let parts = line.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if parts.count == 2, !parts[0].isEmpty { responses[parts[0]] = parts[1] }
        }
        do {
            let pro = try Self.validated(instrument: form["instrument"], version: form["instrumentVersion"], responses: responses,
                                         satisfaction: form["satisfaction"], today: context.today)
            _ = try await RecordReportedOutcome(services.database)(pro, patientId: id, clinicId: context.signedInUser.clinicId, by: context.auditActor, now: context.now)
            return Response.redirect(to: ReturnPath.followUp(form["next"]).map { $0 + "#adverse-events-step" }
                                         ?? PatientLinks.url(id) + "/progress#reported-outcomes", type: .normal)
        } catch let error as AppError where !error.fields.isEmpty {
            return try await progressPage(request: request, context: context, proErrors: error.fields, status: .unprocessableContent)
        }
    }

    static func validated(instrument: String?, version: String?, responses: [String: String], satisfaction: String?,
                          today: CalendarDate) throws -> PatientReportedOutcome {
        switch PatientReportedOutcome.validate(instrument: instrument, version: version, responses: responses, satisfaction: satisfaction,
                                               recordedOn: today) {
        case .success(let pro): return pro
        case .failure(let f): throw AppError.validation(f.errors)
        }
    }

    func progressPage(request: Request, context: AppContext, proErrors: [FieldError], status: HTTPResponse.Status) async throws -> Response {
        let id = try context.pageUUID()
        let clinicId = context.signedInUser.clinicId
        let patient = try await services.patients.find(id: id, clinicId: clinicId, by: context.auditActor)
        let progress = PatientProgress(try await services.assessments.list(patientId: id, clinicId: clinicId, by: context.auditActor))
        let photos = try await services.photos.list(patientId: id, clinicId: clinicId, by: context.auditActor)
        let pros = try await services.outcomes.list(patientId: id, clinicId: clinicId, by: context.auditActor)
        // Treatment sessions that took place (checked in) are marked on the charts.
        let sessionDates = try await services.schedule.patientAppointments(patientId: id, clinicId: clinicId, by: context.auditActor)
            .filter { $0.kind == .session && ($0.status == .checkedIn || $0.status == .completed) }.map { CalendarDate.utc($0.startsAt) }
        let query = request.uri.queryParameters
        let comparison = ProgressView.PhotoComparison(photos, view: query.get("view"), date: query.get("date"))
        let page = OutcomePages.Progress(
            patientName: patient.fullName, patientURL: PatientLinks.url(id), formAction: PatientLinks.url(id) + "/reported-outcomes",
            baselineDate: progress.baseline?.details.assessedOn.description, latestResult: progress.latest.map { .init(responder: $0.responder) },
            charts: ProgressChart.scales(progress, sessionDates: sessionDates, idPrefix: "chart").map { $0.svg() },
            comparisons: progress.comparisons.map(ProgressView.comparison), views: comparison.views, dates: comparison.dates,
            baselinePhoto: ProgressView.PhotoComparison.shown(comparison.baseline),
            laterPhoto: ProgressView.PhotoComparison.shown(comparison.later == comparison.baseline ? nil : comparison.later),
            pros: ProgressView.reportedOutcomes(pros), proErrors: proErrors.map { "\($0.field) \($0.message)" }, satisfactionOptions: Array(0...10))
        return services.views.render(.progress, title: "Progress · \(patient.fullName)", section: "patients", page: page, context: context, status: status)
    }
}
