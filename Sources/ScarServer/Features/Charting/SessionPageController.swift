import Foundation
import HTTPTypes
import Hummingbird
import ScarClinic
import ScarCore
import ScarStore

/// `/patients/:id/sessions…` and `/sessions/:id…`: the session chart — draft form, checklist,
/// signature, amendments and the post-care printout. Every change goes through a use case.
struct SessionPageController {
    let sessions: SessionRepository
    let devices: DeviceLotRepository
    let postcare: PostCareRepository
    let patients: PatientRepository
    let database: ScarDatabase
    let views: Views
    let maxPhotoMB: Int

    init(_ services: AppServices) {
        maxPhotoMB = services.configuration.maxPhotoBytes / (1024 * 1024)
        sessions = SessionRepository(services.database)
        devices = DeviceLotRepository(services.database)
        postcare = PostCareRepository(services.database)
        patients = services.patients
        database = services.database
        views = services.views
    }

    static func add(to routes: Routes, services: AppServices) {
        let c = Self(services), clinicians = AccessPolicy.clinicians
        routes.page("/patients/:id/sessions/new", clinicians, "New session chart (defaults from the previous session; ?appointment= links it)", c.new)
        routes.form("/patients/:id/sessions", clinicians, "Save a new session draft", c.start)
        routes.page("/sessions/:id", .clinicalStaff, "A session chart", c.show)
        routes.form("/sessions/:id", clinicians, "Save a session draft", c.save)
        routes.form("/sessions/:id/checklist", clinicians, "Check the pre-session checklist with today's answers", c.check)
        // Separate routes (the buttons use formaction): a disabled submit button sends no value, so
        // one route per action stays correct with the double-submit guard in app.js.
        routes.form("/sessions/:id/sign", clinicians, "Sign the session (the checklist must pass)", c.sign)
        routes.form("/sessions/:id/amend", clinicians, "Amend a signed session", c.amend)
        routes.page("/sessions/:id/post-care", .clinicalStaff, "Printable post-care sheet for a session", c.postCare)
    }

    static let correctBanner = "Please correct the fields listed below."

    @Sendable func new(_ request: Request, _ context: AppContext) async throws -> Response {
        let patientId = try context.pageUUID()
        let appointmentId = request.uri.queryParameters.get("appointment").flatMap(UUID.init(uuidString:))
        let patient = try await patients.find(id: patientId, clinicId: context.signedInUser.clinicId, by: context.auditActor)
        let defaults = try await NewSessionChart(database)(patientId: patientId, appointmentId: appointmentId, by: context.clinician)
        return try await formPage(patient: patient, session: nil, input: defaults.input, errors: [], zoneOrder: [], context: context,
                                  banner: defaults.banner, appointmentId: appointmentId)
    }

    @Sendable func start(_ request: Request, _ context: AppContext, _ form: FormBody) async throws -> Response {
        let patientId = try context.pageUUID()
        let patient = try await patients.find(id: patientId, clinicId: context.signedInUser.clinicId, by: context.auditActor)
        var errors: [FieldError] = []
        let (input, order) = ChartForm.input(from: form, errors: &errors)
        let appointmentId = form["appointmentId"].flatMap(UUID.init(uuidString:))
        do {
            let s = try await StartSessionDraft(database)(.init(patientId: patientId, chart: input, appointmentId: appointmentId, planVersionId: nil,
                                                                inputErrors: errors),
                                                          by: context.clinician, actor: context.auditActor, now: context.now)
            // "Sign session" on a new chart: the draft just saved is signed at once, every check still run.
            if request.uri.queryParameters.get("then") == "sign" {
                return try await signing(s.id, version: s.version, day: ChartForm.dayAnswers(from: form), context: context)
            }
            return Self.toChecklist(s.id)
        } catch let refusal as Refusal where refusal.kind == .invalid {
            return try await formPage(patient: patient, session: nil, input: input, errors: refusal.fields, zoneOrder: order, context: context,
                                      banner: Self.correctBanner, status: .unprocessableContent, appointmentId: appointmentId)
        }
    }

    @Sendable func show(_ request: Request, _ context: AppContext) async throws -> Response {
        let s = try await sessions.find(id: try context.pageUUID(), clinicId: context.signedInUser.clinicId, by: context.auditActor)
        if s.status == .signed { return try await sessionPage(s, context: context) }
        let patient = try await patients.find(id: s.patientId, clinicId: context.signedInUser.clinicId, by: context.auditActor)
        return try await formPage(patient: patient, session: s, input: SessionChart.Input(s.chart), errors: [], zoneOrder: s.chart.zones.map(\.zone),
                                  context: context)
    }

    @Sendable func save(_ request: Request, _ context: AppContext, _ form: FormBody) async throws -> Response {
        let id = try context.pageUUID()
        let s = try await sessions.find(id: id, clinicId: context.signedInUser.clinicId, by: nil)
        guard s.status == .draft else {
            throw AppError(.conflict, "The session is signed", detail: "A signed session cannot be edited. Record a correction as an amendment.")
        }
        let patient = try await patients.find(id: s.patientId, clinicId: context.signedInUser.clinicId, by: context.auditActor)
        var errors: [FieldError] = []
        let (input, order) = ChartForm.input(from: form, errors: &errors)
        let version = try Self.formVersion(form)
        do {
            _ = try await SaveSessionDraft(database)(sessionId: id, chart: input, inputErrors: errors, expectedVersion: version, by: context.clinician,
                                                     actor: context.auditActor, now: context.now)
            return Self.toChecklist(id)
        } catch let refusal as Refusal where refusal.kind == .invalid {
            return try await formPage(patient: patient, session: s, input: input, errors: refusal.fields, zoneOrder: order,
                                      context: context, banner: Self.correctBanner, status: .unprocessableContent)
        } catch StoreError.versionConflict {
            let current = try await sessions.find(id: id, clinicId: context.signedInUser.clinicId, by: nil)
            return try await formPage(patient: patient, session: current, input: SessionChart.Input(current.chart), errors: [],
                                      zoneOrder: current.chart.zones.map(\.zone), context: context,
                                      banner: "This draft was changed by someone else while you were editing. The form shows the saved chart; re-apply your changes.",
                                      status: .conflict)
        }
    }

    /// "Save and check": after saving, the browser posts the same form (today's answers with it) to the
    /// checklist (307 keeps the method and body), so a reload re-runs the read-only check, never the save.
    static func toChecklist(_ id: UUID) -> Response {
        Response.redirect(to: "/sessions/\(id.lower)/checklist#checklist", type: .temporary)
    }

    @Sendable func check(_ request: Request, _ context: AppContext, _ form: FormBody) async throws -> Response {
        let id = try context.pageUUID()
        let s = try await sessions.find(id: id, clinicId: context.signedInUser.clinicId, by: nil)
        guard s.status == .draft else { return Response.redirect(to: "/sessions/\(id.lower)", type: .normal) }
        let day = ChartForm.dayAnswers(from: form)
        let patient = try await patients.find(id: s.patientId, clinicId: context.signedInUser.clinicId, by: context.auditActor)
        let checked = try await CheckSession(database)(sessionId: id, dayAnswers: day, by: context.clinician)
        return try await formPage(patient: patient, session: s, input: SessionChart.Input(s.chart), errors: [], zoneOrder: s.chart.zones.map(\.zone),
                                  context: context, checklist: checked.result, day: day)
    }

    @Sendable func sign(_ request: Request, _ context: AppContext, _ form: FormBody) async throws -> Response {
        let id = try context.pageUUID()
        let version = try Self.formVersion(form)
        // Signed from the chart form: what is on the screen is saved with the signature, in its transaction.
        var errors: [FieldError] = []
        let onScreen = form["performedOn"] == nil ? nil : ChartForm.input(from: form, errors: &errors)
        return try await signing(id, version: version, day: ChartForm.dayAnswers(from: form), onScreen: onScreen, inputErrors: errors,
                                 context: context)
    }

    /// Signs the draft at `version` through `SignSession`, with the chart on the screen when there is one.
    func signing(_ id: UUID, version: Int, day: DayAnswers?, onScreen: (SessionChart.Input, [FacialZone])? = nil, inputErrors: [FieldError] = [],
                 context: AppContext) async throws -> Response {
        do {
            _ = try await SignSession(database)(.init(sessionId: id, expectedVersion: version, dayAnswers: day,
                                                      onScreen: onScreen.map { .init(chart: $0.0, inputErrors: inputErrors) }),
                                                by: context.clinician, actor: context.auditActor, now: context.now)
            return Response.redirect(to: "/sessions/\(id.lower)", type: .normal)
        } catch let refusal as Refusal where refusal == .sessionSigned {
            return Response.redirect(to: "/sessions/\(id.lower)", type: .normal)
        } catch let refusal as Refusal {
            return try await refusedSignature(id, refusal: refusal, day: day, onScreen: onScreen, context: context)
        } catch StoreError.versionConflict {
            throw AppError(.conflict, "The draft changed", detail: "Someone saved this draft after you opened it. Reload the page and sign again.")
        }
    }

    /// The refused form comes back with the checklist as it stands, the reasons, and the chart as it was
    /// on the screen (nothing of it was saved).
    func refusedSignature(_ id: UUID, refusal: Refusal, day: DayAnswers?, onScreen: (SessionChart.Input, [FacialZone])?,
                          context: AppContext) async throws -> Response {
        let checked = try await CheckSession(database)(sessionId: id, dayAnswers: day, by: context.clinician)
        let patient = try await patients.find(id: checked.session.patientId, clinicId: context.signedInUser.clinicId, by: context.auditActor)
        let e = AppError(refusal)
        let (input, order) = onScreen ?? (SessionChart.Input(checked.session.chart), checked.session.chart.zones.map(\.zone))
        return try await formPage(patient: patient, session: checked.session, input: input,
                                  errors: e.status == .unprocessableContent ? e.fields : [], zoneOrder: order,
                                  context: context, checklist: checked.result, day: day, banner: "Not signed: \(e.title.lowercased()). \(e.detail ?? "")",
                                  status: e.status)
    }

    @Sendable func amend(_ request: Request, _ context: AppContext, _ form: FormBody) async throws -> Response {
        let id = try context.pageUUID()
        var errors: [FieldError] = []
        let (input, _) = ChartForm.input(from: form, errors: &errors)
        let s = try await sessions.find(id: id, clinicId: context.signedInUser.clinicId, by: nil)
        let full = SessionAmendment.completing(input, from: s.currentChart)
        do {
            if !errors.isEmpty { throw Refusal.invalid(errors) }
            _ = try await AmendSession(database)(.init(sessionId: id, reason: form["reason"], chart: full), by: context.clinician, actor: context.auditActor, now: context.now)
            return Response.redirect(to: "/sessions/\(id.lower)#amendments", type: .normal)
        } catch let refusal as Refusal where refusal.kind == .invalid {
            return try await sessionPage(s, context: context, amendErrors: refusal.fields, status: .unprocessableContent)
        }
    }

    @Sendable func postCare(_ request: Request, _ context: AppContext) async throws -> Response {
        let s = try await sessions.find(id: try context.pageUUID(), clinicId: context.signedInUser.clinicId, by: context.auditActor)
        let patient = try await patients.find(id: s.patientId, clinicId: context.signedInUser.clinicId, by: context.auditActor)
        let t = try await postcare.recorded(s)
        let page = PostCareSheetPage(title: t.title, version: t.versionId, patientName: patient.fullName, date: s.chart.performedOn.description,
                                     clinicName: context.signedIn?.clinicName ?? "", sessionURL: "/sessions/\(s.id.lower)", sections: t.sections,
                                     recorded: s.postcareVersion != nil)
        return views.render(.postcare, title: t.title, section: "patients", page: page, context: context)
    }

    static func formVersion(_ form: FormBody) throws -> Int {
        guard let version = form["version"].flatMap(Int.init) else { throw AppError.badRequest("The form has no record version; reload the page.", field: "version") }
        return version
    }
}

/// The `postcare` page's view model: the sheet given with a session, to print.
struct PostCareSheetPage {
    var title: String
    var version: String
    var patientName: String
    var date: String
    var clinicName: String
    var sessionURL: String
    var sections: [PostCareTemplate.Section]
    var recorded: Bool
}
