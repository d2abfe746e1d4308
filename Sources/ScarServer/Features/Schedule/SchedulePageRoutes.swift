import Foundation
import HTTPTypes
import Hummingbird
import ScarCore
import ScarStore

/// Schedule pages: day view (per practitioner or room), week calendar, booking a series with
/// a preview, one appointment (move, cancel, no-show, check in), resources admin and outbox.
enum SchedulePageRoutes {
    static func add(to routes: Routes, services: AppServices) {
        let schedule = services.schedule
        let views = services.views

        routes.page("/schedule", .clinicalStaff, "Day view of the schedule") { request, context in
            let zone = ScheduleView.zone(context)
            let q = request.uri.queryParameters
            let day = q.get("date").flatMap(CalendarDate.init) ?? context.today
            let byRoom = q.get("by") == "room"
            let a = Availability(timeZone: zone, weeklyHours: [:])
            let clinicId = context.user!.clinicId
            let list = try await schedule.appointments(clinicId: clinicId, from: a.instant(day, minutes: 0),
                                                       to: a.instant(day.adding(days: 1), minutes: 0), by: context.auditActor)
            // Serious adverse events are flagged where the day is planned (issue 5).
            let serious = try await AdverseEventRepository(services.database).patientsWithSeriousEvents(among: list.map(\.patientId), clinicId: clinicId)
            func row(_ a: Appointment) -> [String: Any] {
                var r = ScheduleView.row(a, zone: zone)
                r["serious"] = serious.contains(a.patientId)
                return r
            }
            var columns: [[String: Any]] = []
            if byRoom {
                for room in try await schedule.rooms(clinicId: clinicId) {
                    let items = list.filter { $0.roomId == room.id }
                    columns.append(["name": room.name, "items": items.map(row), "empty": items.isEmpty])
                }
            } else {
                for user in try await services.staff.users(clinicId: clinicId) where user.role == .practitioner || list.contains(where: { $0.practitionerId == user.id }) {
                    let items = list.filter { $0.practitionerId == user.id }
                    columns.append(["name": user.displayName, "items": items.map(row), "empty": items.isEmpty])
                }
            }
            return views.render("schedule-day", title: "Schedule \(day)", section: "schedule", data: [
                "day": day.description, "dayLabel": ScheduleView.format(a.instant(day, minutes: 720), zone, "EEEE d MMMM yyyy"),
                "previous": day.adding(days: -1).description, "next": day.adding(days: 1).description,
                "byRoom": byRoom, "columns": columns, "hasColumns": !columns.isEmpty,
                "weekURL": "/schedule/week?date=\(day)",
            ], context: context)
        }

        routes.page("/schedule/week", .clinicalStaff, "Week calendar") { request, context in
            let zone = ScheduleView.zone(context)
            let q = request.uri.queryParameters
            let day = q.get("date").flatMap(CalendarDate.init) ?? context.today
            let monday = day.adding(days: 1 - Availability.isoWeekday(day))
            let a = Availability(timeZone: zone, weeklyHours: [:])
            let practitioner = q.get("practitioner").flatMap(UUID.init(uuidString:))
            let list = try await schedule.appointments(clinicId: context.user!.clinicId, from: a.instant(monday, minutes: 0),
                                                       to: a.instant(monday.adding(days: 7), minutes: 0), practitionerId: practitioner,
                                                       by: context.auditActor)
            let days: [[String: Any]] = (0..<7).map { offset in
                let d = monday.adding(days: offset)
                let items = list.filter { a.day(of: $0.startsAt) == d }
                return ["label": ScheduleView.format(a.instant(d, minutes: 720), zone, "EEE d MMM"), "date": d.description,
                        "dayURL": "/schedule?date=\(d)", "items": items.map { ScheduleView.row($0, zone: zone) }, "empty": items.isEmpty,
                        "isToday": d == context.today]
            }
            let practitioners = try await services.staff.users(clinicId: context.user!.clinicId).filter { $0.role == .practitioner }
            return views.render("schedule-week", title: "Week of \(monday)", section: "schedule", data: [
                "days": days, "weekLabel": "Week of \(ScheduleView.format(a.instant(monday, minutes: 720), zone, "d MMMM yyyy"))",
                "previous": monday.adding(days: -7).description, "next": monday.adding(days: 7).description,
                "practitioners": practitioners.map { ["id": $0.id.lower, "name": $0.displayName, "selected": $0.id == practitioner] },
                "practitionerParam": practitioner?.lower ?? "",
            ], context: context)
        }

        routes.page("/patients/:id/book", .clinicalStaff, "Book-a-series form (?plan= books an approved plan's series)") { request, context in
            let id = try PathParameters.pageUUID(context)
            var values = FormBody()
            if let plan = request.uri.queryParameters.get("plan"), UUID(uuidString: plan) != nil { values = FormBody(values: ["planId": [plan]]) }
            return try await bookPage(id, values: values, errors: [], proposal: nil, context: context, services: services)
        }

        routes.form("/patients/:id/book/preview", .clinicalStaff, "Propose the dates of a series") { _, context, form in
            let id = try PathParameters.pageUUID(context)
            let clinicId = context.user!.clinicId
            let settings = try await schedule.settings(clinicId: clinicId)
            switch SeriesInput.parse({ form[$0] }, settings: settings, timeZone: ScheduleView.zone(context)) {
            case .failure(let failure):
                return try await bookPage(id, values: form, errors: failure.errors, proposal: nil, context: context, services: services, status: .unprocessableContent)
            case .success(var input):
                let planErrors = try await SeriesBooker.applyPlan(&input, patientId: id, clinicId: clinicId, services: services, actor: context.auditActor)
                let deviceErrors = planErrors.isEmpty ? try await SeriesBooker.checkDevice(input, clinicId: clinicId, schedule: schedule) : planErrors
                if !deviceErrors.isEmpty {
                    return try await bookPage(id, values: form, errors: deviceErrors, proposal: nil, context: context, services: services,
                                              status: .unprocessableContent)
                }
                let outcome = try await SeriesBooker.propose(input, clinicId: clinicId, settings: settings, schedule: schedule)
                return try await bookPage(id, values: form, errors: [], proposal: outcome, context: context, services: services)
            }
        }

        routes.form("/patients/:id/book", .clinicalStaff, "Book the proposed series") { _, context, form in
            let id = try PathParameters.pageUUID(context)
            let clinicId = context.user!.clinicId
            let settings = try await schedule.settings(clinicId: clinicId)
            let zone = ScheduleView.zone(context)
            guard case .success(var input) = SeriesInput.parse({ form[$0] }, settings: settings, timeZone: zone) else {
                throw AppError.badRequest("The booking form is incomplete; start again.")
            }
            let planErrors = try await SeriesBooker.applyPlan(&input, patientId: id, clinicId: clinicId, services: services, actor: context.auditActor)
            if !planErrors.isEmpty {
                return try await bookPage(id, values: form, errors: planErrors, proposal: nil, context: context, services: services,
                                          status: .unprocessableContent)
            }
            // Book exactly the dates the user confirmed (sent back as hidden fields).
            let a = Availability(timeZone: zone, weeklyHours: [:])
            var items: [ProposedAppointment] = []
            for raw in form.values["item"] ?? [] {
                let p = raw.split(separator: "|").map(String.init)
                guard p.count == 4, let kind = ProposedAppointment.Kind(rawValue: p[0]), let number = Int(p[1]),
                      let s = Double(p[2]), let e = Double(p[3]) else { throw AppError.badRequest("The proposal is not readable; start again.") }
                let start = Date(timeIntervalSince1970: s)
                items.append(ProposedAppointment(kind: kind, number: number, start: start, end: Date(timeIntervalSince1970: e),
                                                 targetDay: a.day(of: start), shiftDays: 0))
            }
            do {
                _ = try await schedule.bookSeries(SeriesBooker.booking(input, patientId: id, items: items), clinicId: clinicId, by: context.auditActor)
                return Response.redirect(to: PatientLinks.url(id) + "#course", type: .normal)
            } catch {
                guard let e = SeriesBooker.appError(error) else { throw error }
                return try await bookPage(id, values: form, errors: e.fields, proposal: nil, context: context, services: services,
                                          status: .conflict, banner: "Nothing was booked. \(e.detail ?? "")")
            }
        }

        routes.page("/appointments/:id", .clinicalStaff, "One appointment") { _, context in
            try await appointmentPage(try PathParameters.pageUUID(context), context: context, services: services)
        }

        routes.form("/appointments/:id/reschedule", .clinicalStaff, "Move an appointment") { _, context, form in
            let id = try PathParameters.pageUUID(context)
            guard let version = form["version"].flatMap(Int.init) else { throw AppError.badRequest("The form has no record version; reload the page.", field: "version") }
            let zone = ScheduleView.zone(context)
            guard let day = CalendarDate(form["date"] ?? ""), let minutes = MinuteRange.minutes(form["time"] ?? "") else {
                return try await appointmentPage(id, context: context, services: services, message: "Enter a date (YYYY-MM-DD) and a time (HH:MM).",
                                                 status: .unprocessableContent)
            }
            let start = Availability(timeZone: zone, weeklyHours: [:]).instant(day, minutes: minutes)
            do {
                _ = try await schedule.reschedule(id: id, clinicId: context.user!.clinicId, to: start, expectedVersion: version, by: context.auditActor)
                return Response.redirect(to: "/appointments/\(id.lower)", type: .normal)
            } catch StoreError.versionConflict {
                return try await appointmentPage(id, context: context, services: services,
                                                 message: "This appointment was changed by someone else meanwhile. The page shows it as saved now; try again.",
                                                 status: .conflict)
            } catch {
                guard let e = SeriesBooker.appError(error) else { throw error }
                return try await appointmentPage(id, context: context, services: services, message: e.detail ?? e.title, status: .conflict)
            }
        }

        routes.form("/appointments/:id/status", .clinicalStaff, "Cancel, mark no-show or check in") { _, context, form in
            let id = try PathParameters.pageUUID(context)
            guard let version = form["version"].flatMap(Int.init) else { throw AppError.badRequest("The form has no record version; reload the page.", field: "version") }
            let status: AppointmentStatus
            switch form["action"] {
            case "cancel": status = .cancelled
            case "no-show": status = .noShow
            case "check-in": status = .checkedIn
            default: throw AppError.badRequest("Unknown action.", field: "action")
            }
            do {
                _ = try await ScheduleAPIRoutes.changeStatus(id: id, to: status, expectedVersion: version, context: context, services: services)
                return Response.redirect(to: "/appointments/\(id.lower)", type: .normal)
            } catch StoreError.versionConflict {
                return try await appointmentPage(id, context: context, services: services,
                                                 message: "This appointment was changed by someone else meanwhile. Check it and try again.", status: .conflict)
            } catch let e as AppError where e.status == .conflict {
                return try await appointmentPage(id, context: context, services: services, message: e.detail ?? e.title, status: .conflict)
            }
        }

        routes.form("/patients/:id/calendar-link", .clinicalStaff, "Create a calendar link for the patient") { request, context, _ in
            let id = try PathParameters.pageUUID(context)
            let token = try await schedule.createFeedToken(patientId: id, clinicId: context.user!.clinicId, by: context.auditActor)
            let host = request.head.authority ?? "localhost"
            return views.render("calendar-link", title: "Calendar link", section: "patients", data: [
                "path": "/ical/patient/\(token).ics", "url": "http://\(host)/ical/patient/\(token).ics", "patientURL": PatientLinks.url(id),
            ], context: context)
        }

        routes.form("/patients/:id/calendar-link/revoke", .clinicalStaff, "Revoke the patient's calendar links") { _, context, _ in
            let id = try PathParameters.pageUUID(context)
            _ = try await schedule.revokeFeedTokens(patientId: id, clinicId: context.user!.clinicId, by: context.auditActor)
            return Response.redirect(to: PatientLinks.url(id) + "#course", type: .normal)
        }

        routes.page("/schedule/admin", .adminOnly, "Rooms, devices, hours, absences, closing days and settings") { _, context in
            try await adminPage(context: context, services: services)
        }

        routes.form("/schedule/admin/rooms", .adminOnly, "Add a room") { _, context, form in
            let name = (form["name"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            guard !name.isEmpty, name.count <= 80 else {
                return try await adminPage(context: context, services: services, message: "A room needs a name (at most 80 characters).", status: .unprocessableContent)
            }
            do { _ = try await schedule.addRoom(name: name, clinicId: context.user!.clinicId, by: context.auditActor) } catch StoreError.duplicate {
                return try await adminPage(context: context, services: services, message: "There is already a room called \(name).", status: .conflict)
            }
            return Response.redirect(to: "/schedule/admin#rooms", type: .normal)
        }

        routes.form("/schedule/admin/devices", .adminOnly, "Add a device") { _, context, form in
            let name = (form["name"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            guard !name.isEmpty, name.count <= 80, let modality = Modality(rawValue: form["modality"] ?? "") else {
                return try await adminPage(context: context, services: services, message: "A device needs a name and a modality.", status: .unprocessableContent)
            }
            do { _ = try await schedule.addDevice(name: name, modality: modality, clinicId: context.user!.clinicId, by: context.auditActor) } catch StoreError.duplicate {
                return try await adminPage(context: context, services: services, message: "There is already a device called \(name).", status: .conflict)
            }
            return Response.redirect(to: "/schedule/admin#devices", type: .normal)
        }

        for (kind, path) in [("room", "/schedule/admin/rooms/update"), ("device", "/schedule/admin/devices/update")] {
            routes.form(path, .adminOnly, "Rename a \(kind), or take it out of use or back (version-checked)") { _, context, form in
                let name = (form["name"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
                guard let id = form["id"].flatMap(UUID.init(uuidString:)), let version = form["version"].flatMap(Int.init) else {
                    throw AppError.badRequest("The form has no record id or version; reload the page.", field: "version")
                }
                guard !name.isEmpty, name.count <= 80 else {
                    return try await adminPage(context: context, services: services, message: "A \(kind) needs a name (at most 80 characters).",
                                               status: .unprocessableContent)
                }
                let active = form["active"] == "true"
                do {
                    if kind == "room" {
                        _ = try await schedule.updateRoom(id: id, name: name, active: active, expectedVersion: version, clinicId: context.user!.clinicId,
                                                          by: context.auditActor)
                    } else {
                        _ = try await schedule.updateDevice(id: id, name: name, active: active, expectedVersion: version, clinicId: context.user!.clinicId,
                                                            by: context.auditActor)
                    }
                } catch StoreError.duplicate {
                    return try await adminPage(context: context, services: services, message: "There is already a \(kind) called \(name).", status: .conflict)
                } catch StoreError.versionConflict {
                    return try await adminPage(context: context, services: services,
                                               message: "This \(kind) was changed by someone else meanwhile; the page shows it as saved now. Try again.",
                                               status: .conflict)
                }
                return Response.redirect(to: "/schedule/admin#\(kind)s", type: .normal)
            }
        }

        routes.form("/schedule/admin/hours", .adminOnly, "Set a practitioner's weekly hours") { _, context, form in
            guard let staffId = form["staffId"].flatMap(UUID.init(uuidString:)) else {
                return try await adminPage(context: context, services: services, message: "Choose a practitioner.", status: .unprocessableContent)
            }
            var weekly: [Int: [MinuteRange]] = [:]
            var problems: [String] = []
            for day in 1...7 {
                let s = form["start\(day)"] ?? "", e = form["end\(day)"] ?? ""
                if s.isEmpty && e.isEmpty { continue }
                guard let sm = MinuteRange.minutes(s), let em = MinuteRange.minutes(e), sm < em else {
                    problems.append("\(weekdayNames[day - 1]): start and end must be HH:MM with start before end"); continue
                }
                weekly[day] = [MinuteRange(start: sm, end: em)]
            }
            if !problems.isEmpty {
                return try await adminPage(context: context, services: services, message: problems.joined(separator: "; "), status: .unprocessableContent)
            }
            do {
                try await schedule.setHours(weekly, staffId: staffId, clinicId: context.user!.clinicId, expected: form["hoursVersion"],
                                            by: context.auditActor)
            } catch StoreError.versionConflict {
                return try await adminPage(context: context, services: services,
                                           message: "These working hours were changed by someone else meanwhile; the page shows them as saved now. Try again.",
                                           status: .conflict)
            }
            return Response.redirect(to: "/schedule/admin?staff=\(staffId.lower)#hours", type: .normal)
        }

        routes.form("/schedule/admin/absences", .adminOnly, "Record an absence") { _, context, form in
            guard let staffId = form["staffId"].flatMap(UUID.init(uuidString:)), let from = CalendarDate(form["from"] ?? ""),
                  let to = CalendarDate(form["to"] ?? ""), from <= to else {
                return try await adminPage(context: context, services: services, message: "An absence needs a practitioner and a from/to date (from ≤ to).",
                                           status: .unprocessableContent)
            }
            let reason = (form["reason"] ?? "").trimmingCharacters(in: .whitespaces)
            try await schedule.addAbsence(staffId: staffId, from: from, to: to, reason: reason.isEmpty ? nil : reason, clinicId: context.user!.clinicId,
                                          by: context.auditActor)
            return Response.redirect(to: "/schedule/admin#absences", type: .normal)
        }

        routes.form("/schedule/admin/closing-days", .adminOnly, "Record a closing day") { _, context, form in
            guard let day = CalendarDate(form["day"] ?? "") else {
                return try await adminPage(context: context, services: services, message: "A closing day needs a date (YYYY-MM-DD).", status: .unprocessableContent)
            }
            let reason = (form["reason"] ?? "").trimmingCharacters(in: .whitespaces)
            try await schedule.addClosingDay(day, reason: reason.isEmpty ? nil : reason, clinicId: context.user!.clinicId, by: context.auditActor)
            return Response.redirect(to: "/schedule/admin#closing-days", type: .normal)
        }

        routes.form("/schedule/admin/settings", .adminOnly, "Save schedule settings") { _, context, form in
            func int(_ k: String, _ r: ClosedRange<Int>) -> Int? { form[k].flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }.flatMap { r.contains($0) ? $0 : nil } }
            guard let version = form["version"].flatMap(Int.init), let mn = int("microneedlingMinutes", 5...480), let rf = int("rfMicroneedlingMinutes", 5...480),
                  let fu = int("followUpMinutes", 5...480), let minI = int("minimumIntervalDays", 1...365), let w = int("windowDays", 0...60),
                  let ret = int("retinoidPauseDays", 0...90), let av = int("antiviralLeadDays", 0...90),
                  let months = FollowUpRule.parse(form["followUpMonths"] ?? "") else {
                return try await adminPage(context: context, services: services,
                                           message: "Check the settings: durations 5–480 min, minimum interval 1–365 days, window 0–60 days, "
                                               + "lead times 0–90 days, follow-ups a list of months 1–60.", status: .unprocessableContent)
            }
            let s = ScheduleSettings(microneedlingMinutes: mn, rfMicroneedlingMinutes: rf, followUpMinutes: fu, minimumIntervalDays: minI, windowDays: w,
                                     followUpMonths: months, reminders: ReminderSettings(retinoidPauseDays: ret, antiviralLeadDays: av), version: version)
            do { _ = try await schedule.saveSettings(s, clinicId: context.user!.clinicId, by: context.auditActor) } catch StoreError.versionConflict {
                return try await adminPage(context: context, services: services, message: "The settings were changed by someone else meanwhile; the form shows them now.",
                                           status: .conflict)
            }
            return Response.redirect(to: "/schedule/admin#settings", type: .normal)
        }

        routes.page("/schedule/outbox", .adminOnly, "Patient message outbox") { _, context in
            let zone = ScheduleView.zone(context)
            let list = try await OutboxRepository(services.database).list(clinicId: context.user!.clinicId, by: context.auditActor)
            return views.render("schedule-outbox", title: "Outbox", section: "schedule", data: [
                "messages": list.map { m in
                    ["kind": MessageKind(rawValue: m.kind)?.label ?? m.kind, "recipient": m.recipient, "subject": m.subject, "body": m.body,
                     "source": m.source ?? "", "hasSource": m.source != nil, "due": ScheduleView.format(m.dueAt, zone, "yyyy-MM-dd HH:mm"),
                     "status": m.status, "attempts": m.attempts, "key": m.idempotencyKey, "error": m.lastError ?? "", "hasError": m.lastError != nil,
                     "sentAt": m.sentAt.map { ScheduleView.format($0, zone, "yyyy-MM-dd HH:mm") } ?? "", "hasSentAt": m.sentAt != nil] as [String: Any]
                },
                "hasMessages": !list.isEmpty, "sender": services.configuration.messageSender == .log ? "log (recorded as sent)" : services.dispatcher.sender.name,
            ], context: context)
        }

        routes.form("/schedule/outbox/dispatch", .adminOnly, "Send the messages that are due now") { _, _, _ in
            try await services.dispatcher.runOnce()
            return Response.redirect(to: "/schedule/outbox", type: .normal)
        }
    }

    static let weekdayNames = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
}
