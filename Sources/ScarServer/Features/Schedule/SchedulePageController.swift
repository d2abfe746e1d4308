import Foundation
import HTTPTypes
import Hummingbird
import ScarCore
import ScarStore

/// `/schedule` and `/schedule/week`: the day view (per practitioner or room) and the week calendar.
struct SchedulePageController {
    let schedule: ScheduleRepository
    let staff: StaffRepository
    let adverseEvents: AdverseEventRepository
    let views: Views

    init(_ services: AppServices) {
        schedule = services.schedule
        staff = services.staff
        adverseEvents = AdverseEventRepository(services.database)
        views = services.views
    }

    static func add(to routes: Routes, services: AppServices) {
        let c = Self(services)
        routes.page("/schedule", .clinicalStaff, "Day view of the schedule", c.day)
        routes.page("/schedule/week", .clinicalStaff, "Week calendar", c.week)
    }

    @Sendable func day(_ request: Request, _ context: AppContext) async throws -> Response {
        let zone = ScheduleView.zone(context)
        let q = request.uri.queryParameters
        let day = q.get("date").flatMap(CalendarDate.init) ?? context.today
        let byRoom = q.get("by") == "room"
        let a = Availability(timeZone: zone, weeklyHours: [:])
        let list = try await schedule.appointments(clinicId: context.signedInUser.clinicId, from: a.instant(day, minutes: 0),
                                                   to: a.instant(day.adding(days: 1), minutes: 0), by: context.auditActor)
        let columns = try await dayColumns(list, byRoom: byRoom, zone: zone, context: context)
        let page = ScheduleDayPage(day: day.description, dayLabel: ViewDates.format(a.instant(day, minutes: 720), zone, "EEEE d MMMM yyyy"),
                                   previous: day.adding(days: -1).description, next: day.adding(days: 1).description,
                                   byRoom: byRoom, columns: columns, weekURL: "/schedule/week?date=\(day)")
        return views.render(.scheduleDay, title: "Schedule \(day)", section: "schedule", page: page, context: context)
    }

    /// One column per room, or per practitioner (and anyone else with an appointment that day).
    func dayColumns(_ list: [Appointment], byRoom: Bool, zone: TimeZone, context: AppContext) async throws -> [ScheduleDayPage.Column] {
        let clinicId = context.signedInUser.clinicId
        // Serious adverse events are flagged where the day is planned (issue 5).
        let serious = try await adverseEvents.patientsWithSeriousEvents(among: list.map(\.patientId), clinicId: clinicId)
        func row(_ a: Appointment) -> AppointmentRow { AppointmentRow(a, zone: zone, serious: serious.contains(a.patientId)) }
        var columns: [ScheduleDayPage.Column] = []
        if byRoom {
            for room in try await schedule.rooms(clinicId: clinicId) {
                let items = list.filter { $0.roomId == room.id }
                columns.append(.init(name: room.name, items: items.map(row)))
            }
        } else {
            for user in try await staff.users(clinicId: clinicId) where user.role == .practitioner || list.contains(where: { $0.practitionerId == user.id }) {
                let items = list.filter { $0.practitionerId == user.id }
                columns.append(.init(name: user.displayName, items: items.map(row)))
            }
        }
        return columns
    }

    @Sendable func week(_ request: Request, _ context: AppContext) async throws -> Response {
        let zone = ScheduleView.zone(context)
        let q = request.uri.queryParameters
        let day = q.get("date").flatMap(CalendarDate.init) ?? context.today
        let monday = day.adding(days: 1 - Availability.isoWeekday(day))
        let a = Availability(timeZone: zone, weeklyHours: [:])
        let practitioner = q.get("practitioner").flatMap(UUID.init(uuidString:))
        let list = try await schedule.appointments(clinicId: context.signedInUser.clinicId, from: a.instant(monday, minutes: 0),
                                                   to: a.instant(monday.adding(days: 7), minutes: 0), practitionerId: practitioner,
                                                   by: context.auditActor)
        let days: [ScheduleWeekPage.Day] = (0..<7).map { offset in
            let d = monday.adding(days: offset)
            return .init(label: ViewDates.format(a.instant(d, minutes: 720), zone, "EEE d MMM"), date: d.description, dayURL: "/schedule?date=\(d)",
                         items: list.filter { a.day(of: $0.startsAt) == d }.map { AppointmentRow($0, zone: zone) }, isToday: d == context.today)
        }
        let practitioners = try await staff.users(clinicId: context.signedInUser.clinicId).filter { $0.role == .practitioner }
        let page = ScheduleWeekPage(days: days, weekLabel: "Week of \(ViewDates.format(a.instant(monday, minutes: 720), zone, "d MMMM yyyy"))",
                                    previous: monday.adding(days: -7).description, next: monday.adding(days: 7).description,
                                    practitioners: practitioners.map { .init(id: $0.id.lower, name: $0.displayName, selected: $0.id == practitioner) },
                                    practitionerParam: practitioner?.lower ?? "")
        return views.render(.scheduleWeek, title: "Week of \(monday)", section: "schedule", page: page, context: context)
    }
}
