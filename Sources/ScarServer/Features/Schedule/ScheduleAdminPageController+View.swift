import Foundation
import HTTPTypes
import Hummingbird
import ScarCore
import ScarStore

/// The set-up page: rooms, devices, each practitioner's hours, absences, closing days and settings.
extension ScheduleAdminPageController {
    /// `settingsEntered`: the settings form as typed, re-shown with `settingsErrors` beside its fields.
    func page(context: AppContext, message: String? = nil, settingsEntered: [String: String]? = nil, settingsErrors: [FieldError] = [],
              status: HTTPResponse.Status = .ok) async throws -> Response {
        let clinicId = context.signedInUser.clinicId
        let practitioners = try await staff.users(clinicId: clinicId).filter { $0.role == .practitioner }
        let settings = try await schedule.settings(clinicId: clinicId)
        let page = ScheduleAdminPage(
            message: message,
            rooms: try await schedule.rooms(clinicId: clinicId).map { .init(id: $0.id.lower, name: $0.name, active: $0.active, version: $0.version) },
            devices: try await schedule.devices(clinicId: clinicId).map {
                .init(id: $0.id.lower, name: $0.name, modality: $0.modality.rawValue, active: $0.active, version: $0.version,
                      chartable: $0.deviceId != nil)
            },
            practitioners: try await hours(of: practitioners, clinicId: clinicId),
            absences: try await schedule.absences(clinicId: clinicId).map {
                .init(name: $0.staffName, from: $0.startsOn.description, to: $0.endsOn.description, reason: $0.reason ?? "")
            },
            closingDays: try await schedule.closingDays(clinicId: clinicId).map { .init(day: $0.day.description, reason: $0.reason ?? "") },
            settingsForm: ScheduleSettingsForm(values: settingsEntered ?? ScheduleSettingsForm.values(settings), version: settings.version,
                                               errors: settingsErrors))
        return views.render(.scheduleAdmin, title: "Schedule resources", section: "schedule", page: page, context: context, status: status)
    }

    /// Each practitioner's week, with the fingerprint the hours form sends back.
    func hours(of practitioners: [StaffUser], clinicId: UUID) async throws -> [ScheduleAdminPage.Practitioner] {
        var hours: [ScheduleAdminPage.Practitioner] = []
        for p in practitioners {
            let weekly = try await schedule.hours(staffId: p.id, clinicId: clinicId)
            hours.append(.init(
                id: p.id.lower, name: p.displayName, hoursVersion: ScheduleRepository.hoursFingerprint(weekly),
                days: (1...7).map { d in
                    let r = weekly[d]?.first
                    return .init(day: d, name: Self.weekdayNames[d - 1], start: r.map { MinuteRange.clock($0.start) } ?? "",
                                 end: r.map { MinuteRange.clock($0.end) } ?? "")
                },
                summary: (1...7).compactMap { d in weekly[d].map { "\(Self.weekdayNames[d - 1].prefix(3)) \($0.map(\.label).joined(separator: ", "))" } }
                    .joined(separator: " · ")))
        }
        return hours
    }
}
