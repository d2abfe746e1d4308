import Foundation
import HTTPTypes
import Hummingbird
import ScarClinic
import ScarCore
import ScarStore

/// Before the first visit: the patient fills in the health questions (`RecordIntake` for the
/// portal patient: the same screening, marked as entered by the patient; a skin type they give is a
/// self-reported hint), reads and signs the consents (`SignConsent`: the same versioned, hashed
/// documents) and reads what the screening means for them in plain words, never a rule.
struct PortalBeforeVisitController {
    let views: Views
    let database: ScarDatabase
    let intakes: IntakeRepository
    let consents: ConsentRepository
    let plans: PlanRepository

    init(_ services: AppServices) {
        views = services.views
        database = services.database
        intakes = services.intakes
        consents = ConsentRepository(services.database)
        plans = PlanRepository(services.database)
    }

    static func add(to routes: Routes, services: AppServices) {
        let c = Self(services)
        routes.page("/portal/before-your-visit", .patient, "Portal: health questions, consents and what the clinic will talk about", c.summary)
        routes.page("/portal/intake", .patient, "Portal: the health questions form", c.intakeForm)
        routes.form("/portal/intake", .patient, "Portal: send the health questions (screened at once)", c.recordIntake)
        routes.page("/portal/consent", .patient, "Portal: read a consent document (?kind=)", c.consentForm)
        routes.form("/portal/consent", .patient, "Portal: sign a consent", c.signConsent)
    }

    /// The modality the patient's plan is for (microneedling until a plan says otherwise).
    func modality(_ patient: PortalPatient, _ actor: AuditActor) async throws -> Modality {
        try await plans.list(patientId: patient.patientId, clinicId: patient.clinicId, by: actor).compactMap(\.inForce).first?.modality ?? .microneedling
    }

    @Sendable func summary(_ request: Request, _ context: AppContext) async throws -> Response {
        let patient = context.portalPatient, actor = context.portalActor
        let modality = try await modality(patient, actor)
        let latest = try await intakes.intakes(patientId: patient.patientId, clinicId: patient.clinicId, after: nil, limit: 1, by: actor).items.first
        var page = PortalBeforePage(hasIntake: latest != nil, intakeOn: latest.map { ViewDates.format($0.recordedAt, context.clinicZone, "d MMM yyyy") } ?? "")
        if let latest {
            let ruleSet = try await intakes.ruleSet(clinicId: patient.clinicId)
            let result = Screening.evaluate(intake: latest.intake, modality: modality, asOf: patient.today, ruleSet: ruleSet)
            page.screeningWords = PortalWords.screening(result.outcome)
            page.needsClinic = result.outcome != .eligible
        }
        for kind in [modality == .rfMicroneedling ? ConsentKind.rfMicroneedling : .microneedling, .photoUse] {
            guard try await consents.currentTemplate(kind: kind, clinicId: patient.clinicId) != nil else { continue }
            let signed = try await consents.valid(kind: kind, patientId: patient.patientId, clinicId: patient.clinicId)
            page.consents.append(.init(label: kind.label, url: "/portal/consent?kind=\(kind.rawValue)", signed: signed != nil,
                                       signedOn: signed.map { ViewDates.format($0.signedAt, context.clinicZone, "d MMM yyyy") } ?? ""))
        }
        page.hasConsents = !page.consents.isEmpty
        return views.portal(.portalBefore, title: "Before your visit", page: page, context: context)
    }

    @Sendable func intakeForm(_ request: Request, _ context: AppContext) async throws -> Response {
        intakePage(context, values: FormBody(values: ["isotretinoinStatus": ["never"]]), errors: [], status: .ok)
    }

    @Sendable func recordIntake(_ request: Request, _ context: AppContext, _ form: FormBody) async throws -> Response {
        do {
            let intake = try Intake.parse(json: IntakeForm.json(from: form))
            _ = try await RecordIntake(database)(intake, for: context.portalPatient, actor: context.portalActor, now: context.now)
            return Response.redirect(to: "/portal/before-your-visit?sent=intake", type: .normal)
        } catch let failure as ValidationFailure {
            return intakePage(context, values: form, errors: failure.errors, status: .unprocessableContent)
        }
    }

    func intakePage(_ context: AppContext, values: FormBody, errors: [FieldError], status: HTTPResponse.Status) -> Response {
        let page = PortalIntakePage(action: "/portal/intake", fields: IntakeForm.fields(values: values, errors: errors))
        return views.portal(.portalIntake, title: "Your health questions", page: page, context: context, status: status)
    }

    @Sendable func consentForm(_ request: Request, _ context: AppContext) async throws -> Response {
        guard let kind = request.uri.queryParameters.get("kind").flatMap({ ConsentKind(rawValue: String($0)) }) else {
            return Response.redirect(to: "/portal/before-your-visit#portal-consents", type: .normal)
        }
        return try await consentPage(context, kind: kind, name: "", errors: [:], status: .ok)
    }

    @Sendable func signConsent(_ request: Request, _ context: AppContext, _ form: FormBody) async throws -> Response {
        let session = context.signedInPatient!
        do {
            _ = try await SignConsent(database)(.init(kind: form["kind"], signerName: form["signerName"], agreed: form["agreed"] == "on",
                                                      drawnPNG: nil, clinicName: session.clinic.name),
                                                for: context.portalPatient, actor: context.portalActor, now: context.now)
            return Response.redirect(to: "/portal/before-your-visit?sent=consent", type: .normal)
        } catch let refusal as Refusal where refusal.kind == .invalid && refusal.fields.allSatisfy({ $0.field != "kind" }) {
            let errors = Dictionary(refusal.fields.map { ($0.field, $0.message) }, uniquingKeysWith: { a, _ in a })
            return try await consentPage(context, kind: form["kind"].flatMap(ConsentKind.init(rawValue:)), name: form["signerName"] ?? "",
                                         errors: errors, status: .unprocessableContent)
        }
    }

    func consentPage(_ context: AppContext, kind: ConsentKind?, name: String, errors: [String: String],
                     status: HTTPResponse.Status) async throws -> Response {
        let patient = context.portalPatient
        guard let kind, let template = try await consents.currentTemplate(kind: kind, clinicId: patient.clinicId) else { throw AppError.notFound }
        let signed = try await consents.valid(kind: kind, patientId: patient.patientId, clinicId: patient.clinicId)
        // Only a field with a message gets one (nil closes its section).
        let page = PortalConsentPage(kind: kind.rawValue, title: template.details.title, body: template.details.body, version: template.version,
                               signed: signed != nil, signerName: name, nameError: errors["signerName"], agreedError: errors["agreed"])
        return views.portal(.portalConsent, title: template.details.title, page: page, context: context, status: status)
    }
}

/// `portal-before`: the health questions' state, the screening in plain words, the consents to sign.
struct PortalBeforePage {
    struct Consent { var label: String; var url: String; var signed: Bool; var signedOn: String }
    var hasIntake: Bool
    var intakeOn: String
    var screeningWords: String?
    var needsClinic = false
    var consents: [Consent] = []
    var hasConsents = false
}

/// `portal-consent`: one consent document to read and sign.
struct PortalConsentPage {
    var kind: String
    var title: String
    var body: String
    var version: Int
    var signed: Bool
    var signerName: String
    var nameError: String?
    var agreedError: String?
}

/// `portal-intake`: the staff intake form's fields in the patient's words, posted to `action`.
struct PortalIntakePage {
    var action: String
    var fields: IntakeForm.Fields
}
