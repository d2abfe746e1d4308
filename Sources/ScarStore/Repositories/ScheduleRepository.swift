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

    /// Saves the settings if the stored version is still `settings.version` (0: never saved).
    public func saveSettings(_ s: ScheduleSettings, clinicId: UUID, by actor: AuditActor, now: Date = Date()) async throws -> ScheduleSettings {
        let engine = db.engine
        return try await db.write { sql in
            let current = try await Self.settings(clinicId: clinicId, on: sql)
            guard current.version == s.version else { throw StoreError.versionConflict(current: current.version) }
            let months = s.followUpMonths.map(String.init).joined(separator: ",")
            if current.version == 0 {
                try await sql.raw("""
                    INSERT INTO schedule_settings (clinic_id, microneedling_minutes, rf_microneedling_minutes, follow_up_minutes,
                        minimum_interval_days, window_days, follow_up_months, retinoid_pause_days, antiviral_lead_days, updated_at, version)
                    VALUES (\(bind: clinicId), \(bind: s.microneedlingMinutes), \(bind: s.rfMicroneedlingMinutes), \(bind: s.followUpMinutes),
                        \(bind: s.minimumIntervalDays), \(bind: s.windowDays), \(bind: months), \(bind: s.reminders.retinoidPauseDays),
                        \(bind: s.reminders.antiviralLeadDays), \(bind: now), 1)
                    """).run()
            } else {
                let updated = try await sql.raw("""
                    UPDATE schedule_settings SET microneedling_minutes = \(bind: s.microneedlingMinutes),
                        rf_microneedling_minutes = \(bind: s.rfMicroneedlingMinutes), follow_up_minutes = \(bind: s.followUpMinutes),
                        minimum_interval_days = \(bind: s.minimumIntervalDays), window_days = \(bind: s.windowDays),
                        follow_up_months = \(bind: months), retinoid_pause_days = \(bind: s.reminders.retinoidPauseDays),
                        antiviral_lead_days = \(bind: s.reminders.antiviralLeadDays), updated_at = \(bind: now), version = version + 1
                    WHERE clinic_id = \(bind: clinicId) AND version = \(bind: s.version) RETURNING version
                    """).first()
                guard updated != nil else { throw StoreError.versionConflict(current: current.version) }
            }
            try await AuditTrail.append(AuditEvent(action: "schedule.settings.update", recordType: "schedule_settings",
                                                   recordId: clinicId.uuidString), by: actor, engine: engine, on: sql, now: now)
            var saved = s
            saved.version = current.version + 1
            return saved
        }
    }
}
