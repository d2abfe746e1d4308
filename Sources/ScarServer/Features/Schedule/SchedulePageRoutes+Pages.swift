import Foundation
import HTTPTypes
import Hummingbird
import ScarCore
import ScarStore

/// The schedule's pages as the routes render them: booking a series, one appointment, the set-up page.
extension SchedulePageRoutes {
    static func bookPage(_ patientId: UUID, values formValues: FormBody, errors: [FieldError], proposal: PlacementOutcome?, context: AppContext,
                         services: AppServices, status: HTTPResponse.Status = .ok, banner: String? = nil) async throws -> Response {
        let clinicId = context.user!.clinicId
        let patient = try await services.patients.find(id: patientId, clinicId: clinicId, by: context.auditActor)
        let settings = try await services.schedule.settings(clinicId: clinicId)
        let zone = ScheduleView.zone(context)
        let practitioners = try await services.staff.users(clinicId: clinicId).filter { $0.role == .practitioner && $0.active }
        let rooms = try await services.schedule.rooms(clinicId: clinicId).filter(\.active)
        let devices = try await services.schedule.devices(clinicId: clinicId).filter(\.active)
        let fieldNames = ["modality", "count", "intervalDays", "minimumIntervalDays", "windowDays", "date", "time", "start", "practitionerId",
                          "roomId", "deviceId", "followUpMonths", "planId", "planVersionId"]
        // Booking an approved plan: its sessions, interval and modality are fixed by the plan version.
        var planData: [String: Any] = ["hasPlan": false]
        var fixed = formValues.values
        if let planId = formValues["planId"].flatMap(UUID.init(uuidString:)),
           let plan = try? await PlanRepository(services.database).find(id: planId, clinicId: clinicId, by: context.auditActor),
           plan.patientId == patientId, let approved = plan.inForce {
            let d = approved.template.definition
            let minimum = max(settings.minimumIntervalDays, d.intervalDaysMin)
            for (k, value) in [("planId", plan.id.lower), ("planVersionId", approved.id.lower),
                           ("modality", d.modality.rawValue), ("count", String(approved.content.sessions)),
                           ("intervalDays", String(approved.content.intervalDays)), ("minimumIntervalDays", String(minimum))] {
                fixed[k] = [value]
            }
            planData = [
                "hasPlan": true, "planURL": "/plans/\(plan.id.lower)", "planVersionNumber": approved.number,
                "planSessions": approved.content.sessions, "planInterval": approved.content.intervalDays, "planMinimum": minimum,
                "planModality": d.modality == .microneedling ? "Microneedling" : "RF microneedling",
                "planDuration": settings.minutes(for: d.modality), "planTemplate": d.name,
                "planApprovedBy": approved.approval?.approvedBy ?? "",
                "planHidden": ["planId", "planVersionId", "modality", "count", "intervalDays", "minimumIntervalDays"].map { ["name": $0, "value": fixed[$0]?.first ?? ""] },
            ]
        }
        let values = FormBody(values: fixed)
        func v(_ k: String, _ d: String) -> String { values[k] ?? d }
        func err(_ k: String) -> String { errors.filter { $0.field == k }.map(\.message).joined(separator: "; ") }
        var data: [String: Any] = [
            "patientName": patient.fullName, "patientURL": PatientLinks.url(patientId),
            "previewURL": PatientLinks.url(patientId) + "/book/preview", "bookURL": PatientLinks.url(patientId) + "/book",
            "modalities": Modality.allCases.map { ["value": $0.rawValue, "label": $0 == .microneedling ? "Microneedling" : "RF microneedling",
                                                    "selected": v("modality", "microneedling") == $0.rawValue] },
            "count": v("count", "3"), "intervalDays": v("intervalDays", "28"), "minimumIntervalDays": v("minimumIntervalDays", String(settings.minimumIntervalDays)),
            "windowDays": v("windowDays", String(settings.windowDays)), "date": v("date", context.today.adding(days: 1).description),
            "time": v("time", "10:00"), "followUpMonths": v("followUpMonths", settings.followUpMonths.map(String.init).joined(separator: ", ")),
            "practitioners": practitioners.map { ["id": $0.id.lower, "name": $0.displayName, "selected": values["practitionerId"] == $0.id.lower] },
            "rooms": rooms.map { ["id": $0.id.lower, "name": $0.name, "selected": values["roomId"] == $0.id.lower] },
            "devices": devices.map { ["id": $0.id.lower, "name": "\($0.name) (\($0.modality.rawValue))", "selected": values["deviceId"] == $0.id.lower] },
            "hasErrors": !errors.isEmpty, "errors": errors.map { ["field": $0.field, "message": $0.message] },
            "banner": banner ?? "", "hasBanner": banner != nil,
            "intervalSource": ScheduleSettings.intervalSource, "followUpSource": FollowUpRule.source, "durationSource": ScheduleSettings.durationSource,
        ]
        for (k, v) in planData { data[k] = v }
        for f in fieldNames { data["\(f)Error"] = err(f); data["has\(f.prefix(1).uppercased() + f.dropFirst())Error"] = !err(f).isEmpty }
        if let proposal {
            let json = ProposalJSON(proposal)
            let a = Availability(timeZone: zone, weeklyHours: [:])
            data["hasProposal"] = true
            data["placed"] = json.placed
            data["unplacedReason"] = json.unplaced?.reason ?? ""
            data["proposal"] = json.appointments.map { p in
                [
                    "label": p.kind == "session" ? "Session \(p.number)" : "\(p.number)-month follow-up",
                    "date": ScheduleView.format(p.start, zone, "EEE d MMM yyyy"), "time": ScheduleView.format(p.start, zone, "HH:mm"),
                    "endTime": ScheduleView.format(p.end, zone, "HH:mm"), "target": p.targetDay,
                    "shifted": p.shiftDays != 0, "shift": p.shiftDays > 0 ? "+\(p.shiftDays) d" : "\(p.shiftDays) d",
                    "item": "\(p.kind)|\(p.number)|\(Int(p.start.timeIntervalSince1970))|\(Int(p.end.timeIntervalSince1970))",
                    "isSession": p.kind == "session", "day": a.day(of: p.start).description,
                ] as [String: Any]
            }
            data["hidden"] = fieldNames.compactMap { f in values[f].map { ["name": f, "value": $0] } }
        }
        return services.views.render("schedule-book", title: "Book a series for \(patient.fullName)", section: "schedule", data: data,
                                     context: context, status: status)
    }

    static func appointmentPage(_ id: UUID, context: AppContext, services: AppServices, message: String? = nil,
                                status: HTTPResponse.Status = .ok) async throws -> Response {
        let zone = ScheduleView.zone(context)
        let a = try await services.schedule.appointment(id: id, clinicId: context.user!.clinicId, by: context.auditActor)
        let messages = try await OutboxRepository(services.database).messages(appointmentId: id)
        var data = ScheduleView.row(a, zone: zone)
        data["message"] = message ?? ""
        data["hasMessage"] = message != nil
        data["rescheduleURL"] = "/appointments/\(id.lower)/reschedule"
        data["chartURL"] = PatientLinks.url(a.patientId) + "/sessions/new?appointment=\(id.lower)"
        data["statusURL"] = "/appointments/\(id.lower)/status"
        data["messages"] = messages.map { ["kind": MessageKind(rawValue: $0.kind)?.label ?? $0.kind, "status": $0.status,
                                           "due": ScheduleView.format($0.dueAt, zone, "yyyy-MM-dd HH:mm")] }
        data["hasMessages"] = !messages.isEmpty
        return services.views.render("appointment", title: "\(ScheduleView.kindLabel(a)) · \(a.patientName)", section: "schedule",
                                     data: ["appointment": data], context: context, status: status)
    }

    static func adminPage(context: AppContext, services: AppServices, message: String? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let clinicId = context.user!.clinicId
        let schedule = services.schedule
        let practitioners = try await services.staff.users(clinicId: clinicId).filter { $0.role == .practitioner }
        var hours: [[String: Any]] = []
        for p in practitioners {
            let weekly = try await schedule.hours(staffId: p.id, clinicId: clinicId)
            hours.append([
                "id": p.id.lower, "name": p.displayName, "hoursVersion": ScheduleRepository.hoursFingerprint(weekly),
                "days": (1...7).map { d in
                    let r = weekly[d]?.first
                    return ["day": d, "name": weekdayNames[d - 1], "start": r.map { MinuteRange.clock($0.start) } ?? "",
                            "end": r.map { MinuteRange.clock($0.end) } ?? ""] as [String: Any]
                },
                "summary": (1...7).compactMap { d in weekly[d].map { "\(weekdayNames[d - 1].prefix(3)) \($0.map(\.label).joined(separator: ", "))" } }
                    .joined(separator: " · "),
            ])
        }
        var data: [String: Any] = [
            "message": message ?? "", "hasMessage": message != nil,
            "rooms": try await schedule.rooms(clinicId: clinicId).map {
                ["id": $0.id.lower, "name": $0.name, "active": $0.active, "version": $0.version] as [String: Any]
            },
            "devices": try await schedule.devices(clinicId: clinicId).map {
                ["id": $0.id.lower, "name": $0.name, "modality": $0.modality.rawValue, "active": $0.active,
                 "version": $0.version] as [String: Any]
            },
            "practitioners": hours, "hasPractitioners": !practitioners.isEmpty,
            "absences": try await schedule.absences(clinicId: clinicId).map { ["name": $0.staffName, "from": $0.startsOn.description,
                                                                               "to": $0.endsOn.description, "reason": $0.reason ?? ""] },
            "closingDays": try await schedule.closingDays(clinicId: clinicId).map { ["day": $0.day.description, "reason": $0.reason ?? ""] },
        ]
        for (k, v) in ScheduleView.settingsDictionary(try await schedule.settings(clinicId: clinicId)) { data[k] = v }
        for (k, v) in ScheduleView.settingsSources() { data[k] = v }
        return services.views.render("schedule-admin", title: "Schedule resources", section: "schedule", data: data, context: context, status: status)
    }
}
