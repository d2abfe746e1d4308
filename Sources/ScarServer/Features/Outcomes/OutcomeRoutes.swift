import Foundation
import HTTPTypes
import Hummingbird
import ScarCore
import ScarStore

/// Per-patient outcomes: follow-ups compared with the baseline and the previous assessment,
/// the progress page with charts and side-by-side photos, and patient-reported outcomes.
enum OutcomeRoutes {
    static func add(to routes: Routes, services: AppServices) {
        let limit = services.configuration.maxJSONBodyBytes

        routes.api(.get, "/api/v1/patients/:id/outcomes", .clinicalStaff,
                   "Follow-ups compared with the baseline and the previous assessment, with responder status") { _, context in
            let id = try PatientAPIRoutes.uuidParameter(context)
            let assessments = try await services.assessments.list(patientId: id, clinicId: context.user!.clinicId, by: context.auditActor)
            return try JSON.response(OutcomesJSON(PatientProgress(assessments)))
        }

        routes.api(.get, "/api/v1/patients/:id/reported-outcomes", .clinicalStaff, "Patient-reported outcomes") { _, context in
            let id = try PatientAPIRoutes.uuidParameter(context)
            let items = try await services.outcomes.list(patientId: id, clinicId: context.user!.clinicId, by: context.auditActor)
            struct List: Encodable { var items: [PROJSON] }
            return try JSON.response(List(items: items.map(PROJSON.init)))
        }

        routes.api(.post, "/api/v1/patients/:id/reported-outcomes", .clinicalStaff,
                   "Record a patient-reported outcome (instrument id, version, raw responses, satisfaction 0–10)") { request, context in
            let id = try PatientAPIRoutes.uuidParameter(context)
            let body = try await JSONBody.read(request, limit: limit)
            var errors: [FieldError] = []
            body.rejectUnknown(allowed: ["instrument", "instrumentVersion", "responses", "satisfaction"], errors: &errors)
            let instrument = body.string("instrument", errors: &errors)
            let version = body.string("instrumentVersion", errors: &errors)
            var responses: [String: String] = [:]
            if let raw = body.object["responses"] {
                if let dict = raw as? [String: any Sendable] {
                    for (k, v) in dict {
                        if let s = v as? String { responses[k] = s } else if let n = JSONBody.number(v) {
                            responses[k] = n.stringValue
                        } else { errors.append(FieldError("responses", "item \(k) must be a string or a number")) }
                    }
                } else if !(raw is NSNull) {
                    errors.append(FieldError("responses", "must be an object of item id → answer"))
                }
            }
            var satisfaction: String?
            if let s = body.object["satisfaction"], !(s is NSNull) {
                if let n = JSONBody.number(s) { satisfaction = n.stringValue } else { errors.append(FieldError("satisfaction", "must be a number from 0 to 10")) }
            }
            let pro = try validated(instrument: instrument, version: version, responses: responses, satisfaction: satisfaction,
                                    errors: errors, context: context)
            let recorded = try await services.outcomes.record(pro, patientId: id, clinicId: context.user!.clinicId, by: context.auditActor)
            return try JSON.response(PROJSON(recorded), status: .created)
        }

        routes.page("/patients/:id/progress", .clinicalStaff, "Progress: scales over time, photo comparison, reported outcomes") { request, context in
            try await progressPage(request: request, context: context, services: services, proErrors: [], status: .ok)
        }

        routes.form("/patients/:id/reported-outcomes", .clinicalStaff, "Record a patient-reported outcome") { request, context, form in
            let id = try PatientPageRoutes.pageUUID(context)
            // Raw responses as "item=answer" lines: the instrument's own item ids, never its licensed text.
            var responses: [String: String] = [:]
            for line in (form["responses"] ?? "").split(whereSeparator: \.isNewline) {
                let parts = line.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                if parts.count == 2, !parts[0].isEmpty { responses[parts[0]] = parts[1] }
            }
            do {
                let pro = try validated(instrument: form["instrument"], version: form["instrumentVersion"], responses: responses,
                                        satisfaction: form["satisfaction"], errors: [], context: context)
                _ = try await services.outcomes.record(pro, patientId: id, clinicId: context.user!.clinicId, by: context.auditActor)
                return Response.redirect(to: PatientView.url(id) + "/progress#reported-outcomes", type: .normal)
            } catch let error as AppError where !error.fields.isEmpty {
                return try await progressPage(request: request, context: context, services: services, proErrors: error.fields,
                                              status: .unprocessableContent)
            }
        }
    }

    static func validated(instrument: String?, version: String?, responses: [String: String], satisfaction: String?,
                          errors: [FieldError], context: AppContext) throws -> PatientReportedOutcome {
        switch PatientReportedOutcome.validate(instrument: instrument, version: version, responses: responses, satisfaction: satisfaction,
                                               recordedOn: ISODate(context.today.description)!) {
        case .success(let pro) where errors.isEmpty: return pro
        case .success: throw AppError.validation(errors)
        case .failure(let f): throw AppError.validation(errors + f.errors)
        }
    }

    static func progressPage(request: Request, context: AppContext, services: AppServices, proErrors: [FieldError],
                             status: HTTPResponse.Status) async throws -> Response {
        let id = try PatientPageRoutes.pageUUID(context)
        let user = context.user!
        let patient = try await services.patients.find(id: id, clinicId: user.clinicId, by: context.auditActor)
        let progress = PatientProgress(try await services.assessments.list(patientId: id, clinicId: user.clinicId, by: context.auditActor))
        let photos = try await services.photos.list(patientId: id, clinicId: user.clinicId, by: context.auditActor)
        let pros = try await services.outcomes.list(patientId: id, clinicId: user.clinicId, by: context.auditActor)
        // Treatment sessions that took place (checked in) are marked on the charts.
        let sessionDates = try await services.schedule.patientAppointments(patientId: id, clinicId: user.clinicId, by: context.auditActor)
            .filter { $0.kind == .session && ($0.status == .checkedIn || $0.status == .completed) }.map { ISODate.utc($0.startsAt) }
        let charts = ProgressChart.scales(progress, sessionDates: sessionDates, idPrefix: "chart")
        let view = PhotoView(rawValue: request.uri.queryParameters.get("view") ?? "frontal") ?? .frontal
        let sameView = photos.filter { $0.view == view }.sorted { $0.capturedOn < $1.capturedOn }
        let chosenDate = request.uri.queryParameters.get("date").flatMap(ISODate.init)
        let later = sameView.last { chosenDate == nil || $0.capturedOn == chosenDate } ?? sameView.last
        let baselinePhoto = sameView.first
        func photoData(_ p: Photo?) -> [String: Any] {
            guard let p else { return ["has": false] }
            return ["has": true, "url": "/photos/\(p.id.lower)/image", "date": p.capturedOn.description,
                    "alt": "\(p.view.label) photo, \(p.capturedOn)"]
        }
        let comparisons = progress.comparisons.map { pair -> [String: Any] in
            let b = pair.vsBaseline, p = pair.vsPrevious
            return ["date": b.toDate.description, "gbq": change(b.gbQuantitative), "ecca": change(b.ecca),
                    "grade": "\(b.gbGrade.from) → \(b.gbGrade.to)", "responder": b.responder,
                    "gbqPrev": change(p.gbQuantitative), "eccaPrev": change(p.ecca), "comparable": b.sameScaleVersions,
                    "zones": FacialZone.allCases.compactMap { z -> [String: Any]? in
                        guard let c = b.zones[z], c.from != 0 || c.to != 0 else { return nil }
                        return ["label": z.label, "change": change(c)]
                    },
                    "types": ScarType.allCases.compactMap { t -> [String: Any]? in
                        guard let c = b.scarTypes[t], c.from != 0 || c.to != 0 else { return nil }
                        return ["label": t.label, "change": change(c)]
                    }]
        }
        return services.views.render("progress", title: "Progress · \(patient.fullName)", section: "patients", data: [
            "patientName": patient.fullName, "patientURL": PatientView.url(id), "formAction": PatientView.url(id) + "/reported-outcomes",
            "hasAssessments": !progress.assessments.isEmpty, "hasComparisons": !comparisons.isEmpty,
            "baselineDate": progress.baseline?.details.assessedOn.description ?? "",
            "responder": progress.latest?.responder ?? false, "hasLatest": progress.latest != nil,
            "charts": charts.map { ["svg": $0.svg()] },
            "comparisons": comparisons,
            "views": PhotoView.allCases.map { ["value": $0.rawValue, "label": $0.label, "selected": $0 == view] },
            "dates": sameView.map { ["value": $0.capturedOn.description, "selected": $0.id == later?.id] },
            "baselinePhoto": photoData(baselinePhoto), "laterPhoto": photoData(later == baselinePhoto ? nil : later),
            "hasPhotos": !sameView.isEmpty,
            "pros": pros.reversed().map { r in
                ["instrument": r.outcome.instrument, "version": r.outcome.instrumentVersion, "date": r.outcome.recordedOn.description,
                 "satisfaction": r.outcome.satisfaction.map(String.init) ?? "—", "items": r.outcome.responses.count] as [String: Any]
            },
            "hasPros": !pros.isEmpty,
            "proErrors": proErrors.map { ["message": "\($0.field) \($0.message)"] }, "hasProErrors": !proErrors.isEmpty,
            "satisfactionOptions": (0...10).map { ["value": String($0)] },
        ], context: context, status: status)
    }

    static func change(_ c: ScoreChange) -> String {
        let sign = c.absolute > 0 ? "+" : ""
        let percent = c.percent.map { String(format: " (%@%.0f%%)", $0 > 0 ? "+" : "", $0) } ?? ""
        return "\(c.from) → \(c.to): \(sign)\(c.absolute)\(percent)"
    }
}
