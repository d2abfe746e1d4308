import Foundation
import HTTPTypes
import Hummingbird
import ScarCore
import ScarStore

/// The intake form, acknowledgements from the patient page, and the clinic's rules page.
enum ScreeningPageRoutes {
    static func add(to routes: Routes, services: AppServices) {
        let intakes = services.intakes
        let views = services.views

        routes.page("/patients/:id/intake/new", .clinicalStaff, "Intake form (starts from the latest intake)") { _, context in
            let id = try PatientPageRoutes.pageUUID(context)
            let patient = try await services.patients.find(id: id, clinicId: context.user!.clinicId, by: context.auditActor)
            let previous = try await intakes.intakes(patientId: id, clinicId: context.user!.clinicId, by: context.auditActor).first
            let values = previous.map { IntakeForm.values(from: $0.intake) } ?? FormBody(values: ["isotretinoinStatus": ["never"]])
            return intakePage(views: views, context: context, patient: patient, values: values, errors: [],
                              previous: previous, status: .ok)
        }

        routes.form("/patients/:id/intake", .clinicalStaff, "Record an intake and screen it") { _, context, form in
            let id = try PatientPageRoutes.pageUUID(context)
            let clinicId = context.user!.clinicId
            do {
                let intake = try Intake.parse(json: IntakeForm.json(from: form))
                _ = try await intakes.record(intake, patientId: id, clinicId: clinicId, recordedOn: context.today, by: context.auditActor)
                return Response.redirect(to: PatientView.url(id) + "#screening", type: .normal)
            } catch let failure as ValidationFailure {
                let patient = try await services.patients.find(id: id, clinicId: clinicId, by: context.auditActor)
                return intakePage(views: views, context: context, patient: patient, values: form, errors: failure.errors,
                                  previous: nil, status: .unprocessableContent)
            }
        }

        routes.form("/patients/:id/screening/acknowledge", ScreeningAPIRoutes.clinicians,
                    "Acknowledge a screening finding") { _, context, form in
            let id = try PatientPageRoutes.pageUUID(context)
            do {
                _ = try await ScreeningAPIRoutes.acknowledge(patientId: id, rule: form["rule"], modality: form["modality"],
                                                             reason: form["reason"], errors: [], context: context, intakes: intakes)
                return Response.redirect(to: PatientView.url(id) + "#screening", type: .normal)
            } catch let error as AppError where error.status == .unprocessableContent || error.status == .conflict {
                let field = error.fields.first ?? FieldError("acknowledgement", error.detail ?? error.title)
                return try await PatientPageRoutes.patientPage(id, context: context, services: services, acknowledgementError: field,
                                                               status: error.status)
            }
        }

        routes.page("/rules", .allStaff, "Screening rules with sources") { _, context in
            let ruleSet = try await intakes.ruleSet(clinicId: context.user!.clinicId)
            return rulesPage(views: views, context: context, ruleSet: ruleSet, errorRule: nil, errors: [], status: .ok)
        }

        routes.form("/rules/:rule", .adminOnly, "Change a screening rule (creates a new rule-set version)") { _, context, form in
            let clinicId = context.user!.clinicId
            let ruleId = context.parameters.get("rule") ?? ""
            let current = try await intakes.ruleSet(clinicId: clinicId)
            var errors: [FieldError] = []
            let outcome = form["outcome"].flatMap(ScreeningOutcome.init(rawValue:))
            if outcome == nil { errors.append(FieldError("outcome", "must be one of eligible, acknowledge, defer, contraindicated")) }
            func number(_ name: String) -> Int? {
                guard let raw = IntakeForm.nonEmpty(form[name]) else { return nil }
                guard let v = Int(raw) else { errors.append(FieldError(name, "must be a whole number")); return nil }
                return v
            }
            let days = number("windowDays")
            let months = number("windowMonths")
            if errors.isEmpty, let outcome {
                let count = try await intakes.ruleSetCount(clinicId: clinicId)
                let version = "\(RuleSet.default.version)-clinic.\(count + 1)"
                switch RuleAdjustment(ruleId: ruleId, outcome: outcome, windowDays: days, windowMonths: months)
                    .applied(to: current, newVersion: version) {
                case .success(let adjusted):
                    try await intakes.saveRuleSet(adjusted, clinicId: clinicId, changedRule: ruleId, by: context.auditActor)
                    return Response.redirect(to: "/rules#rule-\(ruleId)", type: .normal)
                case .failure(let failure):
                    errors = failure.errors
                }
            }
            return rulesPage(views: views, context: context, ruleSet: current, errorRule: ruleId, errors: errors, status: .unprocessableContent)
        }
    }

    static func intakePage(views: Views, context: AppContext, patient: Patient, values: FormBody, errors: [FieldError],
                           previous: IntakeRepository.IntakeRecord?, status: HTTPResponse.Status) -> Response {
        var data = IntakeForm.data(values: values, errors: errors)
        data["patientName"] = patient.fullName
        data["patientURL"] = PatientView.url(patient.id)
        data["action"] = PatientView.url(patient.id) + "/intake"
        data["hasPrevious"] = previous != nil
        data["previousOn"] = previous?.recordedOn.description ?? ""
        return views.render("intake-form", title: "Intake · \(patient.fullName)", section: "patients", data: data, context: context,
                            status: status)
    }

    static func rulesPage(views: Views, context: AppContext, ruleSet: RuleSet, errorRule: String?, errors: [FieldError],
                          status: HTTPResponse.Status) -> Response {
        let isAdmin = context.user?.role == .admin
        return views.render("rules", title: "Screening rules", section: "rules", data: [
            "version": ruleSet.version, "isDefault": ruleSet.version == RuleSet.default.version, "canEdit": isAdmin,
            "rules": ruleSet.rules.map { r in
                let failed = r.id == errorRule
                return [
                    "id": r.id, "version": r.version, "title": r.title, "outcome": r.outcome.rawValue,
                    "outcomeLabel": ScreeningView.outcomeLabel(r.outcome),
                    "modalities": r.modalities.map(ScreeningView.modalityLabel).joined(separator: ", "),
                    "window": r.parameters.windowDescription ?? "", "hasWindow": r.parameters.hasWindow,
                    "windowDays": r.parameters.windowDays.map(String.init) ?? "", "windowMonths": r.parameters.windowMonths.map(String.init) ?? "",
                    "rationale": r.rationale, "source": r.source, "confidence": r.confidence.rawValue,
                    "outcomeOptions": ScreeningOutcome.allCases.map { ["value": $0.rawValue, "label": ScreeningView.outcomeLabel($0), "selected": $0 == r.outcome] },
                    "hasErrors": failed, "errors": failed ? errors.map { ["message": "\($0.field) \($0.message)"] } : [],
                ] as [String: Any]
            },
        ], context: context, status: status)
    }
}
