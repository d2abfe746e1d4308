import Foundation
import HTTPTypes
import Hummingbird
import ScarClinic
import ScarCore
import ScarStore

/// Tablet patient mode (issue 13): a clinician hands the browser session to the patient to sign a
/// consent. `/patients/:id/patient-mode` starts it (`HandTabletToPatient`); while it holds, the
/// route table answers the session with `/patient-mode` only (the signing screen, no staff
/// navigation); `/patient-mode/return` takes it back with the clinician's password, throttled and
/// audited like a sign-in (`TakeTabletBack`).
struct PatientModeController {
    let consents: ConsentRepository
    let patients: PatientRepository
    let database: ScarDatabase
    let views: Views
    let signIn: SignIn

    init(_ services: AppServices) {
        (consents, patients, database) = (ConsentRepository(services.database), services.patients, services.database)
        (views, signIn) = (services.views, services.signIn)
    }

    static func add(to routes: Routes, services: AppServices) {
        let c = Self(services)
        routes.form("/patients/:id/patient-mode", .clinicalStaff, "Hand the tablet to the patient to sign a consent (patient mode)", c.handOver)
        routes.page("/patient-mode", .clinicalStaff, "Patient mode: the consent signing screen of a handed-over tablet", c.screen)
        routes.form("/patient-mode/consent", .clinicalStaff, "Patient mode: the patient signs the consent", c.sign)
        routes.form("/patient-mode/return", .clinicalStaff, "Patient mode: the clinician takes the tablet back with their password", c.takeBack)
    }

    @Sendable func handOver(_ request: Request, _ context: AppContext, _ form: FormBody) async throws -> Response {
        let patientId = try context.pageUUID()
        guard let session = context.signedIn, session.kind == .cookie else {
            throw AppError(.conflict, "Patient mode is for a browser", detail: "Hand a tablet to a patient from the consent page, signed in on the tablet.")
        }
        _ = try await AppError.fromRefusal {
            try await HandTabletToPatient(database)(patientId: patientId, kind: form["kind"], sessionTokenHash: session.tokenHash,
                                                    by: context.clinician, actor: context.auditActor, now: context.now)
        }
        return Response.redirect(to: "/patient-mode", type: .normal)
    }

    @Sendable func screen(_ request: Request, _ context: AppContext) async throws -> Response {
        guard let lock = context.signedIn?.patientMode else { return Response.redirect(to: "/", type: .normal) }
        return try await page(lock, context: context)
    }

    @Sendable func sign(_ request: Request, _ context: AppContext, _ form: FormBody) async throws -> Response {
        guard let session = context.signedIn, let lock = session.patientMode else { return Response.redirect(to: "/", type: .normal) }
        guard lock.signedConsentId == nil else { return Response.redirect(to: "/patient-mode", type: .normal) }
        do {
            _ = try await AppError.fromRefusal {
                try await SignConsent(database)(.init(kind: lock.consentKind.rawValue, signerName: form["signerName"], agreed: form["agreed"] == "yes",
                                                      drawnPNG: form["signaturePng"], clinicName: session.clinicName, patientModeSession: session.tokenHash),
                                                patientId: lock.patientId, by: context.clinician, actor: context.auditActor, now: context.now)
            }
            return Response.redirect(to: "/patient-mode", type: .normal)
        } catch let e as AppError where e.status == .unprocessableContent || e.status == .conflict {
            let fields = e.fields.isEmpty ? [FieldError("consent", e.detail ?? e.title)] : e.fields
            return try await page(lock, context: context, signature: SignatureFields(signerName: form["signerName"], errors: fields), status: e.status)
        }
    }

    @Sendable func takeBack(_ request: Request, _ context: AppContext, _ form: FormBody) async throws -> Response {
        guard let session = context.signedIn, let lock = session.patientMode else { return Response.redirect(to: "/", type: .normal) }
        switch try await signIn.confirm(context.signedInUser, password: form["password"] ?? "", clientAddress: context.clientAddress,
                                        failureAction: "patient-mode.return-refused") {
        case .throttled:
            return try await page(lock, context: context, returnError: "Too many wrong passwords: wait 15 minutes, or sign in on another device.",
                                  status: .tooManyRequests)
        case .refused:
            return try await page(lock, context: context, returnError: "That password is not right. The tablet stays with the patient.",
                                  status: .unprocessableContent)
        case .confirmed: break
        }
        let ended = try await AppError.fromRefusal {
            try await TakeTabletBack(database)(sessionTokenHash: session.tokenHash, actor: context.auditActor, now: context.now)
        }
        let next = ended.signedConsentId.map { "/consents/\($0.lower)" }
            ?? PatientLinks.url(ended.patientId) + "/consents/new?kind=\(ended.consentKind.rawValue)"
        return Response.redirect(to: next, type: .normal)
    }

    func page(_ lock: PatientModeLock, context: AppContext, signature: SignatureFields = .init(signerName: nil, errors: []),
              returnError: String? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let clinicId = context.signedInUser.clinicId
        let patient = try await patients.find(id: lock.patientId, clinicId: clinicId, by: context.auditActor)
        let template = try await consents.currentTemplate(kind: lock.consentKind, clinicId: clinicId)
        let page = PatientModePage(kindLabel: lock.consentKind.label, patientName: patient.fullName, clinicianName: context.signedInUser.displayName,
                                   signed: lock.signedConsentId != nil, template: template.map(ConsentFormPage.Template.init),
                                   signature: signature, returnError: returnError)
        return views.render(.patientMode, title: "Consent · \(lock.consentKind.label)", page: page, context: context, status: status)
    }
}
