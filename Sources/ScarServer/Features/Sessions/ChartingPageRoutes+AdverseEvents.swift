import Foundation
import HTTPTypes
import Hummingbird
import ScarClinic
import ScarCore
import ScarStore

extension ChartingPageRoutes {
    /// Recording adverse events and the list of open ones.
    static func addAdverseEvents(to routes: Routes, services: AppServices) {
        let charting = ChartingServices(services)
        let views = services.views
        @Sendable func aeForm(_ patientId: UUID, input: AdverseEventDetails.Input, errors: [FieldError], context: AppContext, status: HTTPResponse.Status = .ok) async throws -> Response {
            let patient = try await services.patients.find(id: patientId, clinicId: context.user!.clinicId, by: context.auditActor)
            let settings = try await charting.devices.settings(clinicId: context.user!.clinicId)
            return views.render("adverse-event-form", title: "Adverse event · \(patient.fullName)", section: "patients", data: [
                "patientName": patient.fullName, "patientURL": PatientLinks.url(patientId), "action": PatientLinks.url(patientId) + "/adverse-events",
                "terms": AETerm.catalogue.map { ["value": $0.code, "label": $0.label + ($0.expectedSequela ? " (expected sequela)" : ""), "selected": $0.code == input.term] },
                "grades": CTCAEGrade.allCases.map { ["value": $0.rawValue, "label": $0.label, "definition": $0.definition, "selected": $0.rawValue == (input.grade ?? 1)] },
                "relatedness": Relatedness.allCases.map { ["value": $0.rawValue, "selected": $0.rawValue == (input.relatedness ?? "possible")] },
                "outcomes": AEOutcome.allCases.map { ["value": $0.rawValue, "selected": $0.rawValue == (input.outcome ?? "ongoing")] },
                "onsetOn": input.onsetOn ?? context.today.description, "resolvedOn": input.resolvedOn ?? "", "sessionId": input.sessionId ?? "",
                "durationHours": input.durationHours.map { String(Int($0)) } ?? "", "actionTaken": input.actionTaken ?? "", "products": input.products ?? "",
                "notes": input.notes ?? "", "serious": input.serious ?? false,
                "thresholds": "Erythema \(settings.thresholds.erythemaHours) h, edema \(settings.thresholds.edemaHours) h", "thresholdSource": SequelaThresholds.source,
                "gradeSource": CTCAEGrade.source,
                "hasErrors": !errors.isEmpty, "errors": errors.map { ["field": $0.field, "message": $0.message] },
            ], context: context, status: status)
        }
        routes.page("/patients/:id/adverse-events/new", .clinicalStaff, "Record an adverse event") { request, context in
            try await aeForm(try PathParameters.pageUUID(context), input: AdverseEventDetails.Input(sessionId: request.uri.queryParameters.get("session")), errors: [], context: context)
        }
        routes.form("/patients/:id/adverse-events", .clinicalStaff, "Save an adverse event") { _, context, form in
            let patientId = try PathParameters.pageUUID(context)
            var errors: [FieldError] = []
            var hours: Double?
            if let raw = Text.trimmed(form["durationHours"]) {
                hours = Double(raw)
                if hours == nil { errors.append(FieldError("durationHours", "must be a number")) }
            }
            let input = AdverseEventDetails.Input(term: form["term"], onsetOn: form["onsetOn"], grade: form["grade"].flatMap { Int($0) },
                                                  serious: form["serious"] != nil, relatedness: form["relatedness"], actionTaken: form["actionTaken"],
                                                  outcome: form["outcome"], resolvedOn: form["resolvedOn"], sessionId: form["sessionId"], lotIds: nil,
                                                  products: form["products"], durationHours: hours, notes: form["notes"])
            do {
                if !errors.isEmpty { throw AppError.validation(errors) }
                _ = try await ChartingAPIRoutes.recordAdverseEvent(input, patientId: patientId, context: context, services: services)
                return Response.redirect(to: "/adverse-events", type: .normal)
            } catch let e as AppError where e.status == .unprocessableContent {
                return try await aeForm(patientId, input: input, errors: e.fields, context: context, status: .unprocessableContent)
            }
        }
        routes.page("/adverse-events", .clinicalStaff, "Open adverse events") { _, context in
            let list = try await charting.adverseEvents.list(patientId: nil, openOnly: true, clinicId: context.user!.clinicId, by: context.auditActor)
            return views.render("adverse-events", title: "Open adverse events", section: "aes", data: [
                "events": list.map(SessionView.aeRow), "hasEvents": !list.isEmpty,
            ], context: context)
        }
    }
}
