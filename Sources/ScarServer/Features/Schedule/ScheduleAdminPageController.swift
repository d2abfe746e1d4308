import Foundation
import HTTPTypes
import Hummingbird
import ScarClinic
import ScarCore
import ScarStore

/// `/schedule/admin…` and `/schedule/outbox…`: rooms, devices, hours, absences, closing days and
/// settings (admins), and the patient message outbox.
struct ScheduleAdminPageController {
    let database: ScarDatabase
    let schedule: ScheduleRepository
    let staff: StaffRepository
    let outbox: OutboxRepository
    let dispatcher: OutboxDispatcher
    let senderName: String
    let views: Views

    init(_ services: AppServices) {
        database = services.database
        schedule = services.schedule
        staff = services.staff
        outbox = OutboxRepository(services.database)
        dispatcher = services.dispatcher
        senderName = services.configuration.messageSender == .log ? "log (recorded as sent)" : services.dispatcher.sender.name
        views = services.views
    }

    static func add(to routes: Routes, services: AppServices) {
        let c = Self(services)
        routes.page("/schedule/admin", .adminOnly, "Rooms, devices, hours, absences, closing days and settings", c.show)
        routes.form("/schedule/admin/rooms", .adminOnly, "Add a room", c.addRoom)
        routes.form("/schedule/admin/devices", .adminOnly, "Add a device", c.addDevice)
        routes.form("/schedule/admin/rooms/update", .adminOnly, "Rename a room, or take it out of use or back (version-checked)", c.updateRoom)
        routes.form("/schedule/admin/devices/update", .adminOnly, "Rename a device, or take it out of use or back (version-checked)", c.updateDevice)
        routes.form("/schedule/admin/hours", .adminOnly, "Set a practitioner's weekly hours", c.setHours)
        routes.form("/schedule/admin/absences", .adminOnly, "Record an absence", c.addAbsence)
        routes.form("/schedule/admin/closing-days", .adminOnly, "Record a closing day", c.addClosingDay)
        routes.form("/schedule/admin/settings", .adminOnly, "Save schedule settings", c.saveSettings)
        routes.page("/schedule/outbox", .adminOnly, "Patient message outbox", c.outboxPage)
        routes.form("/schedule/outbox/dispatch", .adminOnly, "Send the messages that are due now", c.dispatch)
    }

    static let weekdayNames = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

    @Sendable func show(_ request: Request, _ context: AppContext) async throws -> Response {
        try await page(context: context)
    }

    @Sendable func addRoom(_ request: Request, _ context: AppContext, _ form: FormBody) async throws -> Response {
        let name = (form["name"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty, name.count <= 80 else {
            return try await page(context: context, message: "A room needs a name (at most 80 characters).", status: .unprocessableContent)
        }
        do { _ = try await schedule.addRoom(name: name, clinicId: context.signedInUser.clinicId, by: context.auditActor) } catch StoreError.duplicate {
            return try await page(context: context, message: "There is already a room called \(name).", status: .conflict)
        }
        return Response.redirect(to: "/schedule/admin#rooms", type: .normal)
    }

    @Sendable func addDevice(_ request: Request, _ context: AppContext, _ form: FormBody) async throws -> Response {
        let name = (form["name"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty, name.count <= 80, let modality = Modality(rawValue: form["modality"] ?? "") else {
            return try await page(context: context, message: "A device needs a name and a modality.", status: .unprocessableContent)
        }
        do { _ = try await schedule.addDevice(name: name, modality: modality, clinicId: context.signedInUser.clinicId, by: context.auditActor) } catch StoreError.duplicate {
            return try await page(context: context, message: "There is already a device called \(name).", status: .conflict)
        }
        return Response.redirect(to: "/schedule/admin#devices", type: .normal)
    }

    @Sendable func updateRoom(_ request: Request, _ context: AppContext, _ form: FormBody) async throws -> Response {
        try await update("room", form: form, context: context) { id, name, active, version in
            _ = try await schedule.updateRoom(id: id, name: name, active: active, expectedVersion: version, clinicId: context.signedInUser.clinicId,
                                              by: context.auditActor)
        }
    }

    @Sendable func updateDevice(_ request: Request, _ context: AppContext, _ form: FormBody) async throws -> Response {
        try await update("device", form: form, context: context) { id, name, active, version in
            _ = try await schedule.updateDevice(id: id, name: name, active: active, expectedVersion: version, clinicId: context.signedInUser.clinicId,
                                                by: context.auditActor)
        }
    }

    /// Renaming a room or device, or taking it out of use or back, version-checked.
    func update(_ kind: String, form: FormBody, context: AppContext,
                write: (_ id: UUID, _ name: String, _ active: Bool, _ version: Int) async throws -> Void) async throws -> Response {
        let name = (form["name"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard let id = form["id"].flatMap(UUID.init(uuidString:)), let version = form["version"].flatMap(Int.init) else {
            throw AppError.badRequest("The form has no record id or version; reload the page.", field: "version")
        }
        guard !name.isEmpty, name.count <= 80 else {
            return try await page(context: context, message: "A \(kind) needs a name (at most 80 characters).", status: .unprocessableContent)
        }
        do {
            try await write(id, name, form["active"] == "true", version)
        } catch StoreError.duplicate {
            return try await page(context: context, message: "There is already a \(kind) called \(name).", status: .conflict)
        } catch StoreError.versionConflict {
            return try await page(context: context, message: "This \(kind) was changed by someone else meanwhile; the page shows it as saved now. Try again.",
                                  status: .conflict)
        }
        return Response.redirect(to: "/schedule/admin#\(kind)s", type: .normal)
    }

    @Sendable func setHours(_ request: Request, _ context: AppContext, _ form: FormBody) async throws -> Response {
        guard let staffId = form["staffId"].flatMap(UUID.init(uuidString:)) else {
            return try await page(context: context, message: "Choose a practitioner.", status: .unprocessableContent)
        }
        let (weekly, problems) = Self.weeklyHours(form)
        if !problems.isEmpty {
            return try await page(context: context, message: problems.joined(separator: "; "), status: .unprocessableContent)
        }
        do {
            try await schedule.setHours(weekly, staffId: staffId, clinicId: context.signedInUser.clinicId, expected: form["hoursVersion"], by: context.auditActor)
        } catch StoreError.versionConflict {
            return try await page(context: context,
                                  message: "These working hours were changed by someone else meanwhile; the page shows them as saved now. Try again.",
                                  status: .conflict)
        }
        return Response.redirect(to: "/schedule/admin?staff=\(staffId.lower)#hours", type: .normal)
    }

    /// `start1`…`end7` (Monday first); a day left empty takes "every day" (`startAll`, `endAll`) when
    /// given, else has no hours.
    static func weeklyHours(_ form: FormBody) -> ([Int: [MinuteRange]], [String]) {
        var weekly: [Int: [MinuteRange]] = [:]
        var problems: [String] = []
        for day in 1...7 {
            var s = form["start\(day)"] ?? "", e = form["end\(day)"] ?? ""
            if s.isEmpty && e.isEmpty { (s, e) = (form["startAll"] ?? "", form["endAll"] ?? "") }
            if s.isEmpty && e.isEmpty { continue }
            guard let sm = MinuteRange.minutes(s), let em = MinuteRange.minutes(e), sm < em else {
                problems.append("\(weekdayNames[day - 1]): start and end must be HH:MM with start before end"); continue
            }
            weekly[day] = [MinuteRange(start: sm, end: em)]
        }
        return (weekly, problems)
    }

    @Sendable func addAbsence(_ request: Request, _ context: AppContext, _ form: FormBody) async throws -> Response {
        guard let staffId = form["staffId"].flatMap(UUID.init(uuidString:)), let from = CalendarDate(form["from"] ?? ""),
              let to = CalendarDate(form["to"] ?? ""), from <= to else {
            return try await page(context: context, message: "An absence needs a practitioner and a from/to date (from ≤ to).", status: .unprocessableContent)
        }
        let reason = (form["reason"] ?? "").trimmingCharacters(in: .whitespaces)
        try await schedule.addAbsence(staffId: staffId, from: from, to: to, reason: reason.isEmpty ? nil : reason, clinicId: context.signedInUser.clinicId,
                                      by: context.auditActor)
        return Response.redirect(to: "/schedule/admin#absences", type: .normal)
    }

    @Sendable func addClosingDay(_ request: Request, _ context: AppContext, _ form: FormBody) async throws -> Response {
        guard let day = CalendarDate(form["day"] ?? "") else {
            return try await page(context: context, message: "A closing day needs a date (YYYY-MM-DD).", status: .unprocessableContent)
        }
        let reason = (form["reason"] ?? "").trimmingCharacters(in: .whitespaces)
        try await schedule.addClosingDay(day, reason: reason.isEmpty ? nil : reason, clinicId: context.signedInUser.clinicId, by: context.auditActor)
        return Response.redirect(to: "/schedule/admin#closing-days", type: .normal)
    }

    @Sendable func saveSettings(_ request: Request, _ context: AppContext, _ form: FormBody) async throws -> Response {
        guard let version = form["version"].flatMap(Int.init) else { throw AppError.badRequest("The form has no version.", field: "version") }
        let entered = ScheduleSettingsForm.values(ScheduleSettings.defaults).keys.reduce(into: [String: String]()) { $0[$1] = form[$1] ?? "" }
        do {
            _ = try await ChangeScheduleSettings(database)(entered, expectedVersion: version, by: context.clinician, actor: context.auditActor, now: context.now)
        } catch let refusal as Refusal {
            return try await page(context: context, message: "Check the settings marked below.", settingsEntered: entered,
                                  settingsErrors: refusal.fields, status: .unprocessableContent)
        } catch StoreError.versionConflict {
            return try await page(context: context, message: "The settings were changed by someone else meanwhile; the form shows them now.", status: .conflict)
        }
        return Response.redirect(to: "/schedule/admin#settings", type: .normal)
    }

    @Sendable func outboxPage(_ request: Request, _ context: AppContext) async throws -> Response {
        let zone = ScheduleView.zone(context)
        let list = try await outbox.list(clinicId: context.signedInUser.clinicId, by: context.auditActor)
        let page = ScheduleOutboxPage(messages: list.map { .init($0, zone: zone) }, sender: senderName)
        return views.render(.scheduleOutbox, title: "Outbox", section: "schedule", page: page, context: context)
    }

    @Sendable func dispatch(_ request: Request, _ context: AppContext, _ form: FormBody) async throws -> Response {
        try await dispatcher.runOnce()
        return Response.redirect(to: "/schedule/outbox", type: .normal)
    }
}
