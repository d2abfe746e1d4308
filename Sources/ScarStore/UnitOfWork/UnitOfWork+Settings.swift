import Foundation
import ScarCore
import SQLKit

/// The clinic's charting and schedule settings: the one writer of each table. Both are written
/// only if nobody saved them meanwhile (the version the form was read at).
extension UnitOfWork {
    /// Writes the charting settings read at `expectedVersion` (1: the shipped defaults, never
    /// stored); returns the new version.
    public func write(chartingSettings s: ChartingSettings, clinicId: UUID, expectedVersion: Int, now: Date) async throws -> Int {
        let current = try await chartingSettings(clinicId: clinicId)
        guard current.version == expectedVersion else { throw StoreError.versionConflict(current: current.version) }
        let views = s.beforePhotos.views.map(\.rawValue).joined(separator: ",")
        if try await sql.raw("SELECT 1 AS x FROM charting_settings WHERE clinic_id = \(bind: clinicId)").first() == nil {
            try await sql.raw("""
                INSERT INTO charting_settings (clinic_id, max_depth_mm, before_photo_count, before_photo_views, erythema_hours, edema_hours, check_in_days,
                                               updated_at, version)
                VALUES (\(bind: clinicId), \(bind: s.maxDepthMm), \(bind: s.beforePhotos.count), \(bind: views), \(bind: s.thresholds.erythemaHours),
                        \(bind: s.thresholds.edemaHours), \(bind: s.checkInDays.text), \(bind: now), \(bind: expectedVersion + 1))
                """).run()
        } else {
            try await sql.raw("""
                UPDATE charting_settings SET max_depth_mm = \(bind: s.maxDepthMm), before_photo_count = \(bind: s.beforePhotos.count),
                    before_photo_views = \(bind: views), erythema_hours = \(bind: s.thresholds.erythemaHours), edema_hours = \(bind: s.thresholds.edemaHours),
                    check_in_days = \(bind: s.checkInDays.text), updated_at = \(bind: now), version = \(bind: expectedVersion + 1)
                WHERE clinic_id = \(bind: clinicId) AND version = \(bind: expectedVersion)
                """).run()
        }
        return expectedVersion + 1
    }

    /// Writes the schedule settings read at `s.version` (0: never saved); returns the new version.
    public func write(scheduleSettings s: ScheduleSettings, clinicId: UUID, now: Date) async throws -> Int {
        let current = try await scheduleSettings(clinicId: clinicId)
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
        return current.version + 1
    }
}
