import Foundation
import HTTPTypes
import Hummingbird
import ScarClinic
import ScarCore
import ScarStore

/// The intake form, acknowledgements from the patient page, and the clinic's rules page.
struct ScreeningPageController {
    let services: AppServices
    var intakes: IntakeRepository { services.intakes }
    var views: Views { services.views }

    static func add(to routes: Routes, services: AppServices) {
        let c = Self(services: services)
        routes.page("/patients/:id/intake/new", .clinicalStaff, "Intake form (starts from the latest intake)", c.intakeForm)
        routes.form("/patients/:id/intake", .clinicalStaff, "Record an intake and screen it", c.recordIntake)
        routes.form("/patients/:id/screening/acknowledge", AccessPolicy.clinicians, "Acknowledge a screening finding", c.acknowledge)
        routes.page("/rules", .allStaff, "Screening rules with sources", c.rules)
        routes.form("/rules/:rule", .adminOnly, "Change a screening rule (creates a new rule-set version)", c.changeRule)
    }

    @Sendable func intakeForm(_ request: Request, _ context: AppContext) async throws -> Response {
        let id = try context.pageUUID()
        let patient = try await services.patients.find(id: id, clinicId: context.signedInUser.clinicId, by: context.auditActor)
        let previous = try await intakes.intakes(patientId: id, clinicId: context.signedInUser.clinicId, after: nil, limit: 1,
                                                 by: context.auditActor).items.first
        let values = previous.map { IntakeForm.values(from: $0.intake) } ?? FormBody(values: ["isotretinoinStatus": ["never"]])
        return intakePage(context, patient: patient, values: values, errors: [], previous: previous, status: .ok)
    }

    @Sendable func recordIntake(_ request: Request, _ context: AppContext, _ form: FormBody) async throws -> Response {
        let id = try context.pageUUID()
        do {
            let intake = try Intake.parse(json: IntakeForm.json(from: form))
            _ = try await RecordIntake(services.database)(intake, patientId: id, by: context.clinician, actor: context.auditActor, now: context.now)
            return Response.redirect(to: PatientLinks.url(id) + "#screening", type: .normal)
        } catch let failure as ValidationFailure {
            let patient = try await services.patients.find(id: id, clinicId: context.signedInUser.clinicId, by: context.auditActor)
            return intakePage(context, patient: patient, values: form, errors: failure.errors, previous: nil, status: .unprocessableContent)
        } catch let refusal as Refusal where refusal.kind == .invalid {
            // A stop date in the future: beside its field, with what was typed.
            let patient = try await services.patients.find(id: id, clinicId: context.signedInUser.clinicId, by: context.auditActor)
            return intakePage(context, patient: patient, values: form, errors: refusal.fields, previous: nil, status: .unprocessableContent)
        }
    }

    @Sendable func acknowledge(_ request: Request, _ context: AppContext, _ form: FormBody) async throws -> Response {
        let id = try context.pageUUID()
        do {
            _ = try await ScreeningAPIController.acknowledge(patientId: id, rule: form["rule"], modality: form["modality"], reason: form["reason"],
                                                             errors: [], context: context, database: services.database)
            return Response.redirect(to: PatientLinks.url(id) + "#screening", type: .normal)
        } catch let error as AppError where error.status == .unprocessableContent || error.status == .conflict {
            let field = error.fields.first ?? FieldError("acknowledgement", error.detail ?? error.title)
            return try await PatientPage.render(id, context: context, services: services, acknowledgementError: field, status: error.status)
        }
    }

    @Sendable func rules(_ request: Request, _ context: AppContext) async throws -> Response {
        let ruleSet = try await intakes.ruleSet(clinicId: context.signedInUser.clinicId)
        return rulesPage(context, ruleSet: ruleSet, errorRule: nil, errors: [], status: .ok)
    }

    @Sendable func changeRule(_ request: Request, _ context: AppContext, _ form: FormBody) async throws -> Response {
        let clinicId = context.signedInUser.clinicId
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
            switch RuleAdjustment(ruleId: ruleId, outcome: outcome, windowDays: days, windowMonths: months).applied(to: current, newVersion: version) {
            case .success(let adjusted):
                try await intakes.saveRuleSet(adjusted, clinicId: clinicId, changedRule: ruleId, by: context.auditActor)
                return Response.redirect(to: "/rules#rule-\(ruleId)", type: .normal)
            case .failure(let failure):
                errors = failure.errors
            }
        }
        return rulesPage(context, ruleSet: current, errorRule: ruleId, errors: errors, status: .unprocessableContent)
    }

    func intakePage(_ context: AppContext, patient: Patient, values: FormBody, errors: [FieldError],
                    previous: IntakeRepository.IntakeRecord?, status: HTTPResponse.Status) -> Response {
        let page = ScreeningPages.IntakePage(patientName: patient.fullName, patientURL: PatientLinks.url(patient.id),
                                             action: PatientLinks.url(patient.id) + "/intake", previousOn: previous?.recordedOn.description,
                                             fields: IntakeForm.fields(values: values, errors: errors))
        return views.render(.intakeForm, title: "Intake · \(patient.fullName)", section: "patients", page: page, context: context, status: status)
    }

    func rulesPage(_ context: AppContext, ruleSet: RuleSet, errorRule: String?, errors: [FieldError], status: HTTPResponse.Status) -> Response {
        let page = ScreeningPages.RulesPage(version: ruleSet.version, isDefault: ruleSet.version == RuleSet.default.version,
                                            canEdit: context.user?.role == .admin,
                                            rules: ruleSet.rules.map { ScreeningView.ruleRow($0, failed: $0.id == errorRule, errors: errors) })
        return views.render(.rules, title: "Screening rules", section: "rules", page: page, context: context, status: status)
    }
}
