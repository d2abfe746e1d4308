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
        var data: [String: Any] = [
            "message": message ?? "", "hasMessage": message != nil,
            "rooms": try await schedule.rooms(clinicId: clinicId).map {
                ["id": $0.id.lower, "name": $0.name, "active": $0.active, "version": $0.version] as [String: Any]
            },
            "devices": try await schedule.devices(clinicId: clinicId).map {
                ["id": $0.id.lower, "name": $0.name, "modality": $0.modality.rawValue, "active": $0.active,
                 "version": $0.version] as [String: Any]
            },
            "practitioners": try await hours(of: practitioners, clinicId: clinicId), "hasPractitioners": !practitioners.isEmpty,
            "absences": try await schedule.absences(clinicId: clinicId).map { ["name": $0.staffName, "from": $0.startsOn.description,
                                                                               "to": $0.endsOn.description, "reason": $0.reason ?? ""] },
            "closingDays": try await schedule.closingDays(clinicId: clinicId).map { ["day": $0.day.description, "reason": $0.reason ?? ""] },
        ]
        let settings = try await schedule.settings(clinicId: clinicId)
        data["settingsForm"] = ScheduleSettingsForm(values: settingsEntered ?? ScheduleSettingsForm.values(settings), version: settings.version,
                                                    errors: settingsErrors)
        return views.render("schedule-admin", title: "Schedule resources", section: "schedule", data: data, context: context, status: status)
    }

    /// Each practitioner's week, with the fingerprint the hours form sends back.
    func hours(of practitioners: [StaffUser], clinicId: UUID) async throws -> [[String: Any]] {
        var hours: [[String: Any]] = []
        for p in practitioners {
            let weekly = try await schedule.hours(staffId: p.id, clinicId: clinicId)
            hours.append([
                "id": p.id.lower, "name": p.displayName, "hoursVersion": ScheduleRepository.hoursFingerprint(weekly),
                "days": (1...7).map { d in
                    let r = weekly[d]?.first
                    return ["day": d, "name": Self.weekdayNames[d - 1], "start": r.map { MinuteRange.clock($0.start) } ?? "",
                            "end": r.map { MinuteRange.clock($0.end) } ?? ""] as [String: Any]
                },
                "summary": (1...7).compactMap { d in weekly[d].map { "\(Self.weekdayNames[d - 1].prefix(3)) \($0.map(\.label).joined(separator: ", "))" } }
                    .joined(separator: " · "),
            ])
        }
        return hours
    }
}
