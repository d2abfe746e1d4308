import Foundation
import HTTPTypes
import Hummingbird
import ScarClinic
import ScarCore
import ScarStore

/// `/consent-templates`, `/patients/:id/consents…` and `/consents/:id…`: consent templates,
/// signing a consent, the signed document and withdrawals.
struct ConsentPageController {
    let consents: ConsentRepository
    let schedule: ScheduleRepository
    let patients: PatientRepository
    let database: ScarDatabase
    let views: Views

    init(_ services: AppServices) {
        consents = ConsentRepository(services.database)
        schedule = ScheduleRepository(services.database)
        patients = services.patients
        database = services.database
        views = services.views
    }

    static func add(to routes: Routes, services: AppServices) {
        let c = Self(services)
        routes.page("/consent-templates", .clinicalStaff, "Consent templates", c.templates)
        routes.form("/consent-templates", .adminOnly, "Add a consent template version", c.addTemplate)
        routes.page("/patients/:id/consents/new", .clinicalStaff, "Consent signing page", c.new)
        routes.form("/patients/:id/consents", .clinicalStaff, "Record a signed consent", c.sign)
        routes.page("/consents/:id", .clinicalStaff, "A signed consent document", c.show)
        routes.form("/consents/:id/withdraw", .clinicalStaff, "Record a consent withdrawal", c.withdraw)
    }

    @Sendable func templates(_ request: Request, _ context: AppContext) async throws -> Response {
        try await templatesPage(context)
    }

    @Sendable func addTemplate(_ request: Request, _ context: AppContext, _ form: FormBody) async throws -> Response {
        switch ConsentTemplateDetails.validate(kind: form["kind"], title: form["title"], body: form["body"]) {
        case .failure(let f): return try await templatesPage(context, errors: f.errors, status: .unprocessableContent)
        case .success(let d):
            _ = try await consents.addTemplate(d, clinicId: context.signedInUser.clinicId, authorId: context.signedInUser.id, by: context.auditActor)
            return Response.redirect(to: "/consent-templates", type: .normal)
        }
    }

    @Sendable func new(_ request: Request, _ context: AppContext) async throws -> Response {
        let kind = request.uri.queryParameters.get("kind").flatMap(ConsentKind.init(rawValue:)) ?? .microneedling
        return try await consentForm(try context.pageUUID(), kind: kind, context: context)
    }

    @Sendable func sign(_ request: Request, _ context: AppContext, _ form: FormBody) async throws -> Response {
        let patientId = try context.pageUUID()
        let kind = form["kind"].flatMap(ConsentKind.init(rawValue:)) ?? .microneedling
        do {
            let c = try await ConsentAPIController.sign(patientId: patientId, kind: form["kind"], signerName: form["signerName"],
                                                        agreed: form["agreed"] == "yes", png: form["signaturePng"], context: context, database: database)
            return Response.redirect(to: "/consents/\(c.id.lower)", type: .normal)
        } catch let e as AppError where e.status == .unprocessableContent || e.status == .conflict {
            return try await consentForm(patientId, kind: kind, context: context, errors: e.fields.isEmpty ? [FieldError("consent", e.detail ?? e.title)] : e.fields,
                                         signerName: form["signerName"], status: e.status)
        }
    }

    @Sendable func show(_ request: Request, _ context: AppContext) async throws -> Response {
        let c = try await consents.find(id: try context.pageUUID(), clinicId: context.signedInUser.clinicId, by: context.auditActor)
        var page = ConsentPage(c)
        if c.isValid { page.checkIn = try await todaysSession(c.patientId, context: context) }
        return views.render(.consent, title: "Signed consent", section: "patients", page: page, context: context)
    }

    /// The patient's treatment session booked for today and not checked in yet: checked in from here (the
    /// check-in gate and every check at signing still run), a clinician lands on its new chart.
    func todaysSession(_ patientId: UUID, context: AppContext) async throws -> ConsentPage.CheckIn? {
        let zone = ScheduleView.zone(context)
        let booked = try await schedule.patientAppointments(patientId: patientId, clinicId: context.signedInUser.clinicId, by: context.auditActor)
            .first { $0.kind == .session && $0.status == .booked && CalendarDate(clinicDayOf: $0.startsAt, in: zone) == context.today }
        return booked.map { .init(action: "/appointments/\($0.id.lower)/status", version: $0.version, time: ViewDates.format($0.startsAt, zone, "HH:mm")) }
    }

    @Sendable func withdraw(_ request: Request, _ context: AppContext, _ form: FormBody) async throws -> Response {
        let id = try context.pageUUID()
        try await ConsentAPIController.withdraw(id, reason: form["reason"], context: context, database: database)
        return Response.redirect(to: "/consents/\(id.lower)", type: .normal)
    }

    func templatesPage(_ context: AppContext, errors: [FieldError] = [], status: HTTPResponse.Status = .ok) async throws -> Response {
        let templates = try await consents.templates(clinicId: context.signedInUser.clinicId)
        let page = ConsentTemplatesPage(
            templates: templates.map { .init(kind: $0.details.kind.label, version: $0.version, title: $0.details.title, body: $0.details.body,
                                             createdAt: ViewDates.timestamp($0.createdAt)) },
            kinds: ConsentKind.allCases.map { .init(value: $0.rawValue, label: $0.label) }, errors: errors)
        return views.render(.consentTemplates, title: "Consent templates", section: "consent", page: page, context: context, status: status)
    }

    func consentForm(_ patientId: UUID, kind: ConsentKind, context: AppContext, errors: [FieldError] = [], signerName: String? = nil,
                     status: HTTPResponse.Status = .ok) async throws -> Response {
        let signature = SignatureFields(signerName: signerName, errors: errors)
        let patient = try await patients.find(id: patientId, clinicId: context.signedInUser.clinicId, by: context.auditActor)
        let template = try await consents.currentTemplate(kind: kind, clinicId: context.signedInUser.clinicId)
        let page = ConsentFormPage(
            patientName: patient.fullName, patientURL: PatientLinks.url(patientId), action: PatientLinks.url(patientId) + "/consents",
            handOverAction: PatientLinks.url(patientId) + "/patient-mode", kind: kind.rawValue, kindLabel: kind.label,
            kinds: ConsentKind.allCases.map { .init(value: $0.rawValue, label: $0.label, selected: $0 == kind,
                                                    url: PatientLinks.url(patientId) + "/consents/new?kind=\($0.rawValue)") },
            template: template.map(ConsentFormPage.Template.init), errors: signature.otherErrors, signature: signature)
        return views.render(.consentForm, title: "Consent · \(patient.fullName)", section: "patients", page: page, context: context, status: status)
    }
}
