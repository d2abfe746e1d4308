import Foundation
import HTTPTypes
import Hummingbird
import ScarCore
import ScarStore

/// The booking form: the order as typed (or as the plan fixes it), field errors, and the proposal to confirm.
extension BookingPageController {
    static let fieldNames = ["modality", "count", "intervalDays", "minimumIntervalDays", "windowDays", "date", "time", "start", "practitionerId",
                             "roomId", "deviceId", "followUpMonths", "planId", "planVersionId"]

    func bookPage(_ patientId: UUID, values formValues: FormBody, errors: [FieldError], proposal: PlacementOutcome?, context: AppContext,
                  status: HTTPResponse.Status = .ok, banner: String? = nil) async throws -> Response {
        let clinicId = context.signedInUser.clinicId
        let patient = try await patients.find(id: patientId, clinicId: clinicId, by: context.auditActor)
        let settings = try await schedule.settings(clinicId: clinicId)
        let (plan, fixed) = try await planFields(formValues, patientId: patientId, settings: settings, context: context)
        let values = FormBody(values: fixed)
        var page = try await formFields(values, settings: settings, context: context)
        page.patientName = patient.fullName
        page.patientURL = PatientLinks.url(patientId)
        page.previewURL = PatientLinks.url(patientId) + "/book/preview"
        page.bookURL = PatientLinks.url(patientId) + "/book"
        (page.errors, page.banner, page.plan) = (errors, banner, plan)
        page.proposed = proposal.map { Self.proposed($0, values: values, zone: ScheduleView.zone(context)) }
        return views.render(.scheduleBook, title: "Book a series for \(patient.fullName)", section: "schedule", page: page,
                            context: context, status: status)
    }

    /// The order's fields as typed, with the clinic's defaults, and the practitioners, rooms and devices to choose from.
    func formFields(_ values: FormBody, settings: ScheduleSettings, context: AppContext) async throws -> SeriesBookingPage {
        let clinicId = context.signedInUser.clinicId
        let practitioners = try await staff.users(clinicId: clinicId).filter { $0.role == .practitioner && $0.active }
        let rooms = try await schedule.rooms(clinicId: clinicId).filter(\.active)
        let devices = try await schedule.devices(clinicId: clinicId).filter(\.active)
        func v(_ k: String, _ d: String) -> String { values[k] ?? d }
        // A practitioner booking is preselected as the practitioner (the desk chooses).
        let me = practitioners.first { $0.id == context.signedInUser.id }?.id.lower
        return SeriesBookingPage(
            patientName: "", patientURL: "", previewURL: "", bookURL: "", errors: [],
            modalities: Modality.allCases.map { .init(value: $0.rawValue, label: $0 == .microneedling ? "Microneedling" : "RF microneedling",
                                                      selected: v("modality", "microneedling") == $0.rawValue) },
            count: v("count", "3"), intervalDays: v("intervalDays", "28"), minimumIntervalDays: v("minimumIntervalDays", String(settings.minimumIntervalDays)),
            windowDays: v("windowDays", String(settings.windowDays)), date: v("date", context.today.adding(days: 1).description),
            time: v("time", "10:00"), followUpMonths: v("followUpMonths", settings.followUpMonths.map(String.init).joined(separator: ", ")),
            practitioners: practitioners.map { .init(id: $0.id.lower, name: $0.displayName, selected: (values["practitionerId"] ?? me) == $0.id.lower) },
            rooms: rooms.map { .init(id: $0.id.lower, name: $0.name, selected: values["roomId"] == $0.id.lower) },
            devices: devices.map { .init(id: $0.id.lower, name: "\($0.name) (\($0.modality.rawValue))", selected: values["deviceId"] == $0.id.lower) },
            intervalSource: ScheduleSettings.intervalSource, followUpSource: FollowUpRule.source, durationSource: ScheduleSettings.durationSource)
    }

    /// Booking an approved plan: its sessions, interval and modality are fixed by the plan version
    /// (as `SeriesOrder.following` fixes them), shown and sent back as hidden fields.
    func planFields(_ form: FormBody, patientId: UUID, settings: ScheduleSettings,
                    context: AppContext) async throws -> (plan: SeriesBookingPage.Plan?, values: [String: [String]]) {
        var fixed = form.values
        guard let planId = form["planId"].flatMap(UUID.init(uuidString:)),
              let plan = try? await PlanRepository(database).find(id: planId, clinicId: context.signedInUser.clinicId, by: context.auditActor),
              plan.patientId == patientId, let approved = plan.inForce else { return (nil, fixed) }
        let d = approved.template.definition
        let minimum = SeriesOrder.minimumIntervalDays(clinic: settings.minimumIntervalDays, template: d.intervalDaysMin)
        for (k, value) in [("planId", plan.id.lower), ("planVersionId", approved.id.lower),
                           ("modality", d.modality.rawValue), ("count", String(approved.content.sessions)),
                           ("intervalDays", String(approved.content.intervalDays)), ("minimumIntervalDays", String(minimum))] {
            fixed[k] = [value]
        }
        return (SeriesBookingPage.Plan(
            planURL: "/plans/\(plan.id.lower)", planVersionNumber: approved.number,
            planSessions: approved.content.sessions, planInterval: approved.content.intervalDays, planMinimum: minimum,
            planModality: d.modality == .microneedling ? "Microneedling" : "RF microneedling",
            planDuration: settings.minutes(for: d.modality), planTemplate: d.name,
            planApprovedBy: approved.approval?.approvedBy ?? "",
            planHidden: ["planId", "planVersionId", "modality", "count", "intervalDays", "minimumIntervalDays"].map { .init(name: $0, value: fixed[$0]?.first ?? "") }
        ), fixed)
    }

    /// The proposed dates to confirm, each sent back as a hidden `item`, with the order's fields.
    static func proposed(_ proposal: PlacementOutcome, values: FormBody, zone: TimeZone) -> SeriesBookingPage.Proposed {
        let json = ProposalJSON(proposal)
        let a = Availability(timeZone: zone, weeklyHours: [:])
        return .init(
            placed: json.placed, unplacedReason: json.unplaced?.reason ?? "",
            proposal: json.appointments.map { p in
                .init(label: (ProposedAppointment.Kind(rawValue: p.kind) ?? .session).label(p.number),
                      date: ViewDates.format(p.start, zone, "EEE d MMM yyyy"), time: ViewDates.format(p.start, zone, "HH:mm"),
                      endTime: ViewDates.format(p.end, zone, "HH:mm"), target: p.targetDay,
                      shifted: p.shiftDays != 0, shift: p.shiftDays > 0 ? "+\(p.shiftDays) d" : "\(p.shiftDays) d",
                      item: "\(p.kind)|\(p.number)|\(Int(p.start.timeIntervalSince1970))|\(Int(p.end.timeIntervalSince1970))",
                      isSession: p.kind == "session", day: a.day(of: p.start).description)
            },
            hidden: fieldNames.compactMap { f in values[f].map { .init(name: f, value: $0) } })
    }
}
