import Crypto
import Foundation
import ScarCore
import SQLKit

/// Rooms, devices, working hours, absences, closing days, settings and appointments of one
/// clinic. Every query is scoped by clinic; reads and writes of appointments (patient data)
/// append their audit entry in the same transaction.
public struct ScheduleRepository: Sendable {
    let db: ScarDatabase
    public init(_ db: ScarDatabase) { self.db = db }

    // MARK: - Settings

    public func settings(clinicId: UUID) async throws -> ScheduleSettings {
        try await db.read { sql in try await Self.settings(clinicId: clinicId, on: sql) }
    }

    static func settings(clinicId: UUID, on sql: any SQLDatabase) async throws -> ScheduleSettings {
        guard let row = try await sql.raw("SELECT * FROM schedule_settings WHERE clinic_id = \(bind: clinicId)").first() else {
            return .defaults
        }
        return ScheduleSettings(
            microneedlingMinutes: try row.decode(column: "microneedling_minutes", as: Int.self),
            rfMicroneedlingMinutes: try row.decode(column: "rf_microneedling_minutes", as: Int.self),
            followUpMinutes: try row.decode(column: "follow_up_minutes", as: Int.self),
            minimumIntervalDays: try row.decode(column: "minimum_interval_days", as: Int.self),
            windowDays: try row.decode(column: "window_days", as: Int.self),
            followUpMonths: FollowUpRule.parse(try row.decode(column: "follow_up_months", as: String.self)) ?? [],
            reminders: ReminderSettings(retinoidPauseDays: try row.decode(column: "retinoid_pause_days", as: Int.self),
                                        antiviralLeadDays: try row.decode(column: "antiviral_lead_days", as: Int.self)),
            version: try row.decode(column: "version", as: Int.self))
    }
}
