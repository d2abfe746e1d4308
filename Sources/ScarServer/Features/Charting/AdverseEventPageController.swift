import Foundation
import HTTPTypes
import Hummingbird
import ScarClinic
import ScarCore
import ScarStore

/// `/patients/:id/adverse-events…` and `/adverse-events`: recording adverse events and the list of open ones.
struct AdverseEventPageController {
    let adverseEvents: AdverseEventRepository
    let devices: DeviceLotRepository
    let patients: PatientRepository
    let database: ScarDatabase
    let views: Views

    init(_ services: AppServices) {
        adverseEvents = AdverseEventRepository(services.database)
        devices = DeviceLotRepository(services.database)
        patients = services.patients
        database = services.database
        views = services.views
    }

    static func add(to routes: Routes, services: AppServices) {
        let c = Self(services)
        routes.page("/patients/:id/adverse-events/new", .clinicalStaff, "Record an adverse event", c.new)
        routes.form("/patients/:id/adverse-events", .clinicalStaff, "Save an adverse event", c.record)
        routes.page("/adverse-events", .clinicalStaff, "Open adverse events", c.open)
    }

    @Sendable func new(_ request: Request, _ context: AppContext) async throws -> Response {
        try await form(try context.pageUUID(), input: AdverseEventDetails.Input(sessionId: request.uri.queryParameters.get("session")),
                       errors: [], context: context)
    }

    @Sendable func record(_ request: Request, _ context: AppContext, _ form: FormBody) async throws -> Response {
        let patientId = try context.pageUUID()
        let (input, errors) = Self.input(form)
        do {
            if !errors.isEmpty { throw AppError.validation(errors) }
            _ = try await AdverseEventAPIController.record(input, patientId: patientId, context: context, database: database)
            return Response.redirect(to: "/adverse-events", type: .normal)
        } catch let e as AppError where e.status == .unprocessableContent {
            return try await self.form(patientId, input: input, errors: e.fields, context: context, status: .unprocessableContent)
        }
    }

    /// The adverse-event form's fields as the use case's input, and the fields that are not numbers.
    static func input(_ form: FormBody) -> (AdverseEventDetails.Input, [FieldError]) {
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
        return (input, errors)
    }

    @Sendable func open(_ request: Request, _ context: AppContext) async throws -> Response {
        let list = try await adverseEvents.list(patientId: nil, openOnly: true, clinicId: context.signedInUser.clinicId, by: context.auditActor)
        return views.render(.adverseEvents, title: "Open adverse events", section: "aes",
                            page: OpenAdverseEventsPage(events: list.map(OpenAdverseEventsPage.Row.init)), context: context)
    }

    /// The form; `action` and `suspected` let a suspected adverse event's confirm page reuse it.
    func form(_ patientId: UUID, input: AdverseEventDetails.Input, errors: [FieldError], context: AppContext,
              status: HTTPResponse.Status = .ok, action: String? = nil, suspected: AdverseEventFormPage.Suspected? = nil) async throws -> Response {
        let patient = try await patients.find(id: patientId, clinicId: context.signedInUser.clinicId, by: context.auditActor)
        let settings = try await devices.settings(clinicId: context.signedInUser.clinicId)
        let page = AdverseEventFormPage(
            patientName: patient.fullName, patientURL: PatientLinks.url(patientId), action: action ?? PatientLinks.url(patientId) + "/adverse-events",
            terms: AETerm.catalogue.map { .init(value: $0.code, label: $0.label + ($0.expectedSequela ? " (expected sequela)" : ""), selected: $0.code == input.term) },
            grades: CTCAEGrade.allCases.map { .init(value: $0.rawValue, label: $0.label, definition: $0.definition, selected: $0.rawValue == (input.grade ?? 1)) },
            relatedness: Relatedness.allCases.map { .init(value: $0.rawValue, selected: $0.rawValue == (input.relatedness ?? "possible")) },
            outcomes: AEOutcome.allCases.map { .init(value: $0.rawValue, selected: $0.rawValue == (input.outcome ?? "ongoing")) },
            onsetOn: input.onsetOn ?? context.today.description, resolvedOn: input.resolvedOn ?? "", sessionId: input.sessionId ?? "",
            durationHours: input.durationHours.map { String(Int($0)) } ?? "", actionTaken: input.actionTaken ?? "", products: input.products ?? "",
            notes: input.notes ?? "", serious: input.serious ?? false,
            thresholds: "Erythema \(settings.thresholds.erythemaHours) h, edema \(settings.thresholds.edemaHours) h", thresholdSource: SequelaThresholds.source,
            gradeSource: CTCAEGrade.source, errors: errors,
            heading: suspected.map { _ in "Confirm a patient's report as an adverse event" }, suspected: suspected, hideForm: suspected.map { !$0.open } ?? false)
        return views.render(.adverseEventForm, title: "Adverse event · \(patient.fullName)", section: "patients", page: page, context: context, status: status)
    }
}
