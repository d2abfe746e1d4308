import Foundation
import ScarCore
import SQLKit

/// Patient-reported outcomes written by `RecordReportedOutcome` (staff at the clinic, or the
/// patient in the portal at a follow-up) and the clinic's portal questionnaire.
extension UnitOfWork {
    /// `enteredVia` is `clinic` (staff typed it) or `portal` (the patient answered); `appointmentId`
    /// the follow-up visit the answers belong to, when there is one.
    public func insert(reportedOutcome pro: PatientReportedOutcome, id: UUID, patientId: UUID, clinicId: UUID, appointmentId: UUID?,
                       enteredVia: String, recordedBy: UUID?, now: Date) async throws -> OutcomeRepository.Recorded {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let responses = String(decoding: try encoder.encode(pro.responses), as: UTF8.self)
        try await sql.raw("""
            INSERT INTO patient_reported_outcomes (id, clinic_id, patient_id, instrument, instrument_version, responses,
                                                   satisfaction, recorded_on, recorded_at, recorded_by, entered_via, appointment_id)
            VALUES (\(bind: id), \(bind: clinicId), \(bind: patientId), \(bind: pro.instrument), \(bind: pro.instrumentVersion),
                    \(bind: responses), \(bind: pro.satisfaction), \(bind: pro.recordedOn.description), \(bind: now), \(bind: recordedBy),
                    \(bind: enteredVia), \(bind: appointmentId))
            """).run()
        try await noteForm(of: pro, clinicId: clinicId, now: now)
        return OutcomeRepository.Recorded(id: id, outcome: pro, recordedAt: now, enteredVia: enteredVia, appointmentId: appointmentId)
    }

    /// Keeps the clinic's form of this instrument and version (`outcome_forms`) up to date: new item
    /// ids are appended in sorted order after those already known, as the answers arrive.
    func noteForm(of pro: PatientReportedOutcome, clinicId: UUID, now: Date) async throws {
        try await sql.raw("""
            INSERT INTO outcome_forms (clinic_id, instrument, instrument_version, item_ids, has_satisfaction, last_recorded_at)
            VALUES (\(bind: clinicId), \(bind: pro.instrument), \(bind: pro.instrumentVersion), '[]', \(bind: false), \(bind: now))
            ON CONFLICT (clinic_id, instrument, instrument_version) DO NOTHING
            """).run()
        // PostgreSQL: concurrent answers to one form wait here; SQLite's writers are serialized already.
        let row = try await sql.raw("""
            SELECT item_ids, has_satisfaction, last_recorded_at FROM outcome_forms
            WHERE clinic_id = \(bind: clinicId) AND instrument = \(bind: pro.instrument) AND instrument_version = \(bind: pro.instrumentVersion)
            \(unsafeRaw: engine == .postgres ? "FOR UPDATE" : "")
            """).first()
        var ids = try JSONDecoder().decode([String].self, from: Data((try row?.decode(column: "item_ids", as: String.self) ?? "[]").utf8))
        ids += pro.responses.keys.sorted().filter { !ids.contains($0) }
        let rated = try (row?.decode(column: "has_satisfaction", as: Bool.self) ?? false) || pro.satisfaction != nil
        let last = max(try row?.decode(column: "last_recorded_at", as: Date.self) ?? now, now)
        try await sql.raw("""
            UPDATE outcome_forms SET item_ids = \(bind: String(decoding: try JSONEncoder().encode(ids), as: UTF8.self)),
                has_satisfaction = \(bind: rated), last_recorded_at = \(bind: last)
            WHERE clinic_id = \(bind: clinicId) AND instrument = \(bind: pro.instrument) AND instrument_version = \(bind: pro.instrumentVersion)
            """).run()
    }

    /// The follow-up visits of this patient the patient has already answered outcome questions for.
    public func answeredFollowUps(patientId: UUID, clinicId: UUID) async throws -> Set<UUID> {
        let rows = try await sql.raw("""
            SELECT appointment_id FROM patient_reported_outcomes
            WHERE clinic_id = \(bind: clinicId) AND patient_id = \(bind: patientId) AND appointment_id IS NOT NULL
            """).all()
        return Set(try rows.map { try $0.decode(column: "appointment_id", as: UUID.self) })
    }

    /// The ACNE-Q items the clinic entered from its licensed copy (none: the portal asks nothing).
    public func portalOutcomeSetup(clinicId: UUID) async throws -> FollowUpQuestions.Setup {
        try await Self.portalOutcomeSetup(clinicId: clinicId, on: sql)
    }

    static func portalOutcomeSetup(clinicId: UUID, on sql: any SQLDatabase) async throws -> FollowUpQuestions.Setup {
        guard let row = try await sql.raw("SELECT outcome_version, outcome_items FROM portal_settings WHERE clinic_id = \(bind: clinicId)").first()
        else { return FollowUpQuestions.Setup(version: "", items: []) }
        let lines = try row.decode(column: "outcome_items", as: String.self)
        let version = try row.decode(column: "outcome_version", as: String.self)
        return (try? FollowUpQuestions.Setup.parse(version: version, lines: lines).get()) ?? FollowUpQuestions.Setup(version: "", items: [])
    }
}

/// The patient's own photos for the portal (shown only when the clinic allows it).
extension UnitOfWork {
    public func photos(patientId: UUID, clinicId: UUID) async throws -> [Photo] {
        try await sql.raw("""
            SELECT \(unsafeRaw: PhotoRepository.columns) FROM photos WHERE clinic_id = \(bind: clinicId) AND patient_id = \(bind: patientId)
            ORDER BY captured_on, uploaded_at, id
            """).all().map(PhotoRepository.decode)
    }
}

/// The clinic's portal settings (one row per clinic; none means the defaults).
extension UnitOfWork {
    public struct PortalSettings: Sendable, Equatable {
        public var showPhotos: Bool
        public var changeNoticeHours: Int
        public var outcomes: FollowUpQuestions.Setup
        public init(showPhotos: Bool, changeNoticeHours: Int, outcomes: FollowUpQuestions.Setup) {
            self.showPhotos = showPhotos
            self.changeNoticeHours = changeNoticeHours
            self.outcomes = outcomes
        }
        public static let defaults = PortalSettings(showPhotos: false, changeNoticeHours: 48, outcomes: FollowUpQuestions.Setup(version: "", items: []))
    }

    public func portalSettings(clinicId: UUID) async throws -> PortalSettings {
        guard let row = try await sql.raw("SELECT show_photos, change_notice_hours FROM portal_settings WHERE clinic_id = \(bind: clinicId)").first()
        else { return .defaults }
        return PortalSettings(showPhotos: try row.decode(column: "show_photos", as: Int.self) == 1,
                              changeNoticeHours: try row.decode(column: "change_notice_hours", as: Int.self),
                              outcomes: try await portalOutcomeSetup(clinicId: clinicId))
    }

    public func write(portalSettings s: PortalSettings, clinicId: UUID) async throws {
        let photos = s.showPhotos ? 1 : 0
        try await sql.raw("""
            INSERT INTO portal_settings (clinic_id, show_photos, change_notice_hours, outcome_version, outcome_items)
            VALUES (\(bind: clinicId), \(bind: photos), \(bind: s.changeNoticeHours), \(bind: s.outcomes.version), \(bind: s.outcomes.lines))
            ON CONFLICT (clinic_id) DO UPDATE SET show_photos = \(bind: photos), change_notice_hours = \(bind: s.changeNoticeHours),
                outcome_version = \(bind: s.outcomes.version), outcome_items = \(bind: s.outcomes.lines)
            """).run()
    }
}
