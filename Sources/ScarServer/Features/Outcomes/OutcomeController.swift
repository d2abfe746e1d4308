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
        let items = try await services.outcomes.list(patientId: id, clinicId: context.signedInUser.clinicId, by: context.auditActor)
        struct List: Encodable { var items: [PROJSON] }
        return try JSON.response(List(items: items.map(PROJSON.init)))
    }

    @Sendable func recordReported(_ request: Request, _ context: AppContext) async throws -> Response {
        let id = try context.apiUUID()
        let body = try await JSONBody.read(request, limit: services.configuration.maxJSONBodyBytes)
        var errors: [FieldError] = []
        body.rejectUnknown(allowed: ["instrument", "instrumentVersion", "responses", "satisfaction"], errors: &errors)
        let instrument = body.string("instrument", errors: &errors)
        let version = body.string("instrumentVersion", errors: &errors)
        let responses = Self.responses(body, errors: &errors)
        var satisfaction: String?
        if let s = body.object["satisfaction"], !(s is NSNull) {
            if let n = JSONBody.number(s) { satisfaction = n.stringValue } else { errors.append(FieldError("satisfaction", "must be a number from 0 to 10")) }
        }
        let pro = try Self.validated(instrument: instrument, version: version, responses: responses, satisfaction: satisfaction,
                                     errors: errors, context: context)
        let recorded = try await RecordReportedOutcome(services.database)(pro, patientId: id, clinicId: context.signedInUser.clinicId, by: context.auditActor)
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
                                         satisfaction: form["satisfaction"], errors: [], context: context)
            _ = try await RecordReportedOutcome(services.database)(pro, patientId: id, clinicId: context.signedInUser.clinicId, by: context.auditActor)
            return Response.redirect(to: ReturnPath.followUp(form["next"]).map { $0 + "#adverse-events-step" }
                                         ?? PatientLinks.url(id) + "/progress#reported-outcomes", type: .normal)
        } catch let error as AppError where !error.fields.isEmpty {
            return try await progressPage(request: request, context: context, proErrors: error.fields, status: .unprocessableContent)
        }
    }

    /// The JSON body's raw responses: item id → answer, strings or numbers.
    static func responses(_ body: JSONBody, errors: inout [FieldError]) -> [String: String] {
        var responses: [String: String] = [:]
        guard let raw = body.object["responses"] else { return responses }
        if let dict = raw as? [String: any Sendable] {
            for (k, v) in dict {
                if let s = v as? String { responses[k] = s } else if let n = JSONBody.number(v) {
                    responses[k] = n.stringValue
                } else { errors.append(FieldError("responses", "item \(k) must be a string or a number")) }
            }
        } else if !(raw is NSNull) {
            errors.append(FieldError("responses", "must be an object of item id → answer"))
        }
        return responses
    }

    static func validated(instrument: String?, version: String?, responses: [String: String], satisfaction: String?,
                          errors: [FieldError], context: AppContext) throws -> PatientReportedOutcome {
        switch PatientReportedOutcome.validate(instrument: instrument, version: version, responses: responses, satisfaction: satisfaction,
                                               recordedOn: context.today) {
        case .success(let pro) where errors.isEmpty: return pro
        case .success: throw AppError.validation(errors)
        case .failure(let f): throw AppError.validation(errors + f.errors)
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
