import Foundation
import HTTPTypes
import Hummingbird
import ScarClinic
import ScarCore
import ScarStore

/// `/patients/:id/book…`: booking a series with a preview (`?plan=` books an approved plan's series).
struct BookingPageController {
    let schedule: ScheduleRepository
    let staff: StaffRepository
    let patients: PatientRepository
    let database: ScarDatabase
    let views: Views

    init(_ services: AppServices) {
        schedule = services.schedule
        staff = services.staff
        patients = services.patients
        database = services.database
        views = services.views
    }

    static func add(to routes: Routes, services: AppServices) {
        let c = Self(services)
        routes.page("/patients/:id/book", .clinicalStaff, "Book-a-series form (?plan= books an approved plan's series)", c.form)
        routes.form("/patients/:id/book/preview", .clinicalStaff, "Propose the dates of a series", c.preview)
        routes.form("/patients/:id/book", .clinicalStaff, "Book the proposed series", c.book)
    }

    @Sendable func form(_ request: Request, _ context: AppContext) async throws -> Response {
        let id = try context.pageUUID()
        var values = FormBody()
        if let plan = request.uri.queryParameters.get("plan"), UUID(uuidString: plan) != nil { values = FormBody(values: ["planId": [plan]]) }
        return try await bookPage(id, values: values, errors: [], proposal: nil, context: context)
    }

    @Sendable func preview(_ request: Request, _ context: AppContext, _ form: FormBody) async throws -> Response {
        let id = try context.pageUUID()
        let settings = try await schedule.settings(clinicId: context.signedInUser.clinicId)
        switch SeriesInput.parse({ form[$0] }, settings: settings, timeZone: ScheduleView.zone(context)) {
        case .failure(let failure):
            return try await bookPage(id, values: form, errors: failure.errors, proposal: nil, context: context, status: .unprocessableContent)
        case .success(let order):
            do {
                let proposal = try await ProposeSeries(database)(order, patientId: id, by: context.clinician)
                return try await bookPage(id, values: form, errors: [], proposal: proposal.outcome, context: context)
            } catch let refusal as Refusal where refusal.kind == .invalid {
                return try await bookPage(id, values: form, errors: refusal.fields, proposal: nil, context: context, status: .unprocessableContent)
            }
        }
    }

    @Sendable func book(_ request: Request, _ context: AppContext, _ form: FormBody) async throws -> Response {
        let id = try context.pageUUID()
        let settings = try await schedule.settings(clinicId: context.signedInUser.clinicId)
        let zone = ScheduleView.zone(context)
        guard case .success(let order) = SeriesInput.parse({ form[$0] }, settings: settings, timeZone: zone) else {
            throw AppError.badRequest("The booking form is incomplete; start again.")
        }
        let items = try Self.confirmedDates(form, zone: zone)
        do {
            _ = try await BookSeries(database)(order, patientId: id, dates: .confirmed(items), by: context.clinician, actor: context.auditActor, now: context.now)
            return Response.redirect(to: PatientLinks.url(id) + "#course", type: .normal)
        } catch let refusal as Refusal where refusal.kind == .invalid {
            return try await bookPage(id, values: form, errors: refusal.fields, proposal: nil, context: context, status: .unprocessableContent)
        } catch let refusal as Refusal where refusal.kind == .conflict {
            return try await bookPage(id, values: form, errors: refusal.fields, proposal: nil, context: context, status: .conflict,
                                      banner: "Nothing was booked. \(refusal.detail ?? "")")
        }
    }

    /// Book exactly the dates the user confirmed (sent back as hidden `item` fields: kind|number|start|end).
    static func confirmedDates(_ form: FormBody, zone: TimeZone) throws -> [ProposedAppointment] {
        let a = Availability(timeZone: zone, weeklyHours: [:])
        return try (form.values["item"] ?? []).map { raw in
            let p = raw.split(separator: "|").map(String.init)
            guard p.count == 4, let kind = ProposedAppointment.Kind(rawValue: p[0]), let number = Int(p[1]),
                  let s = Double(p[2]), let e = Double(p[3]) else { throw AppError.badRequest("The proposal is not readable; start again.") }
            let start = Date(timeIntervalSince1970: s)
            return ProposedAppointment(kind: kind, number: number, start: start, end: Date(timeIntervalSince1970: e),
                                       targetDay: a.day(of: start), shiftDays: 0)
        }
    }
}
