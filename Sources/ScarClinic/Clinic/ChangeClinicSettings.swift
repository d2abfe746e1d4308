import Foundation
import ScarCore
import ScarStore

/// An administrator changes the charting settings (clinic depth maximum, before-photos, the
/// sequela thresholds): checked in ScarCore, written if nobody saved them meanwhile
/// (`StoreError.versionConflict` otherwise), audited once (`charting-settings.update`).
public struct ChangeChartingSettings: Sendable {
    let database: ScarDatabase
    public init(_ database: ScarDatabase) { self.database = database }

    public func callAsFunction(_ input: ChartingSettings.Input, expectedVersion: Int, by clinician: Clinician, actor: AuditActor,
                               now: Date) async throws -> ChartingSettings {
        let checked: ChartingSettings
        switch ChartingSettings.validate(input) {
        case .success(let s): checked = s
        case .failure(let f): throw Refusal.invalid(f.errors)
        }
        let clinicId = clinician.clinicId
        return try await database.write(unitOfWork: { tx in
            var saved = checked
            saved.version = try await tx.write(chartingSettings: checked, clinicId: clinicId, expectedVersion: expectedVersion, now: now)
            try await tx.audit(AuditEvent(action: "charting-settings.update", recordType: "charting_settings", recordId: clinicId.lower,
                                          details: ["version": String(saved.version)]), by: actor, now: now)
            return saved
        })
    }
}

/// An administrator changes the schedule settings (durations, minimum interval, placement
/// window, follow-up months, reminder lead times): the form checked in ScarCore field by field,
/// written if nobody saved them meanwhile, audited once (`schedule.settings.update`).
public struct ChangeScheduleSettings: Sendable {
    let database: ScarDatabase
    public init(_ database: ScarDatabase) { self.database = database }

    public func callAsFunction(_ form: [String: String], expectedVersion: Int, by clinician: Clinician, actor: AuditActor,
                               now: Date) async throws -> ScheduleSettings {
        let checked: ScheduleSettings
        switch ScheduleSettings.validate(form, version: expectedVersion) {
        case .success(let s): checked = s
        case .failure(let f): throw Refusal.invalid(f.errors)
        }
        let clinicId = clinician.clinicId
        return try await database.write(unitOfWork: { tx in
            var saved = checked
            saved.version = try await tx.write(scheduleSettings: checked, clinicId: clinicId, now: now)
            try await tx.audit(AuditEvent(action: "schedule.settings.update", recordType: "schedule_settings", recordId: clinicId.lower,
                                          details: ["version": String(saved.version)]), by: actor, now: now)
            return saved
        })
    }
}
