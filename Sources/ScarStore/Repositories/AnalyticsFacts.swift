import Foundation
import ScarCore
import SQLKit

/// The clinic analytics' facts (migration 0035), kept up to date by their writers in the same
/// transaction as the write that changes them, so the dashboard aggregates a few indexed tables
/// and never reads a chart's JSON:
/// - `analytics_session_facts`: one row per signed session (clinic, patient, day, practitioner,
///   protocol template of its plan, modality, sessions planned, deepest depth of the current
///   chart with every amendment applied, PRP). Written when a session is signed
///   (`SessionRepository.sign`, `SyntheticCourses`) and rewritten when it is amended.
/// - `analytics_assessment_facts`: one row per assessment with a Goodman & Baron qualitative
///   grade, numbered in the patient's order (`seq` 1 is the baseline), with the three totals.
/// - `analytics_patient_facts`: per patient the baseline (day, totals, dominant scar type), the
///   first day that met the responder rule, the latest assessment and the latest Fitzpatrick type.
///   Both rewritten for the patient when an assessment or an intake is recorded.
/// Adverse events are counted from `adverse_events` itself through its (clinic, onset) index.
/// Every fact is computed by the same SQL expressions the old chart-scanning query used, so the
/// figures are identical; the migration back-fills with the same statements.
public enum AnalyticsFacts {
    static func engine(of sql: any SQLDatabase) -> Engine { sql.dialect.name == "sqlite" ? .sqlite : .postgres }

    // MARK: Writers (inside the caller's transaction)

    /// Rewrites a session's facts: a signed session gets its row (with its current chart), a
    /// draft none.
    public static func sessionChanged(_ sessionId: UUID, on sql: any SQLDatabase) async throws {
        try await sql.raw("DELETE FROM analytics_session_facts WHERE session_id = \(bind: sessionId)").run()
        try await sql.raw(scoped(sessionFactsSQL(engine(of: sql), scope: "ts.id = {id}"), sessionId)).run()
    }

    /// Rewrites a patient's assessment and patient facts (after an assessment or intake is recorded).
    public static func patientChanged(_ patientId: UUID, on sql: any SQLDatabase) async throws {
        let engine = engine(of: sql)
        try await sql.raw("DELETE FROM analytics_assessment_facts WHERE patient_id = \(bind: patientId)").run()
        try await sql.raw(scoped(assessmentFactsSQL(scope: "a.patient_id = {id}"), patientId)).run()
        try await sql.raw("DELETE FROM analytics_patient_facts WHERE patient_id = \(bind: patientId)").run()
        try await sql.raw(scoped(patientFactsSQL(engine, scope: "p.id = {id}", zoneScope: "f0.patient_id = {id}"), patientId)).run()
    }

    /// Rebuilds every fact of one clinic (the bulk generator, after writing its rows directly).
    public static func rebuild(clinicId: UUID, on sql: any SQLDatabase) async throws {
        let engine = engine(of: sql)
        for table in ["analytics_session_facts", "analytics_patient_facts", "analytics_assessment_facts"] {
            try await sql.raw("DELETE FROM \(unsafeRaw: table) WHERE clinic_id = \(bind: clinicId)").run()
        }
        try await sql.raw(scoped(assessmentFactsSQL(scope: "a.clinic_id = {id}"), clinicId)).run()
        try await sql.raw(scoped(patientFactsSQL(engine, scope: "p.clinic_id = {id}", zoneScope: "f0.clinic_id = {id}"), clinicId)).run()
        try await sql.raw(scoped(sessionFactsSQL(engine, scope: "ts.clinic_id = {id}"), clinicId)).run()
    }

    /// Every statement that fills the (empty) facts tables from the stored records: the migration's back-fill.
    static func backfill(_ engine: Engine) -> [String] {
        [assessmentFactsSQL(scope: "1 = 1"), patientFactsSQL(engine, scope: "1 = 1", zoneScope: "1 = 1"), sessionFactsSQL(engine, scope: "1 = 1")]
    }

    /// The statement with each `{id}` bound to `id`.
    static func scoped(_ template: String, _ id: UUID) -> SQLQueryString {
        let parts = template.components(separatedBy: "{id}")
        var query: SQLQueryString = "\(unsafeRaw: parts[0])"
        for part in parts.dropFirst() {
            query += "\(bind: id)\(unsafeRaw: part)"
        }
        return query
    }

    // MARK: The facts' definitions

    static func sessionFactsSQL(_ engine: Engine, scope: String) -> String {
        typealias F = AnalyticsRepository.Fragment
        return """
            INSERT INTO analytics_session_facts (session_id, clinic_id, patient_id, performed_on, practitioner_id, template_id, modality,
                                                 planned, max_depth, prp)
            SELECT ts.id, ts.clinic_id, ts.patient_id, ts.performed_on, ts.practitioner_id, tv.template_id, ts.modality, pv.sessions,
                   \(F.maxDepth(SessionRepository.currentChartSQL(session: "ts"), engine)),
                   CASE WHEN \(F.planHas("pv.content", .prp, engine))
                          OR EXISTS (SELECT 1 FROM session_lots sl JOIN consumable_lots cl ON cl.id = sl.lot_id
                                     WHERE sl.session_id = ts.id AND cl.kind = 'prp-kit')
                        THEN 1 ELSE 0 END
            FROM treatment_sessions ts
            LEFT JOIN treatment_plan_versions pv ON pv.id = ts.plan_version_id
            LEFT JOIN protocol_template_versions tv ON tv.id = pv.template_version_id
            WHERE ts.status = 'signed' AND \(scope)
            """
    }

    /// Only assessments with a qualitative grade count (the responder rule needs it); ordered by
    /// day, then by when they were recorded.
    static func assessmentFactsSQL(scope: String) -> String {
        """
        INSERT INTO analytics_assessment_facts (patient_id, seq, clinic_id, assessment_id, assessed_on, grade, gbq, ecca)
        SELECT a.patient_id, ROW_NUMBER() OVER (PARTITION BY a.patient_id ORDER BY a.assessed_on, a.created_at, a.id),
               a.clinic_id, a.id, a.assessed_on, g.total, q.total, e.total
        FROM scar_assessments a
        JOIN scar_assessment_scores g ON g.assessment_id = a.id AND g.scale_id = 'gb-qualitative'
        LEFT JOIN scar_assessment_scores q ON q.assessment_id = a.id AND q.scale_id = 'gb-quantitative'
        LEFT JOIN scar_assessment_scores e ON e.assessment_id = a.id AND e.scale_id = 'ecca'
        WHERE \(scope)
        """
    }

    /// Reads `analytics_assessment_facts`, so it runs after them. `dominant` is the baseline's
    /// dominant scar type (null without a baseline); `first_response_on` the first later day at
    /// least one qualitative grade better than baseline.
    static func patientFactsSQL(_ engine: Engine, scope: String, zoneScope: String) -> String {
        let better = String(GoodmanBaronQualitative.responderGradeImprovement)
        return """
            INSERT INTO analytics_patient_facts (patient_id, clinic_id, fitzpatrick, baseline_on, b_grade, b_gbq, b_ecca, dominant,
                                                 first_response_on, latest_seq, latest_on, l_grade, l_gbq, l_ecca)
            SELECT p.id, p.clinic_id,
                   (SELECT i.fitzpatrick FROM intakes i WHERE i.patient_id = p.id AND i.clinic_id = p.clinic_id AND i.fitzpatrick IS NOT NULL
                    ORDER BY i.recorded_at DESC LIMIT 1),
                   b.assessed_on, b.grade, b.gbq, b.ecca,
                   CASE WHEN b.assessment_id IS NULL THEN NULL
                        WHEN bd.m IS NULL OR bd.m = 0 THEN 'none'
                        \(AnalyticsRepository.Fragment.dominantType(of: "bd")),
                   (SELECT MIN(f.assessed_on) FROM analytics_assessment_facts f
                    WHERE f.patient_id = p.id AND f.seq > 1 AND f.grade <= b.grade - \(better)),
                   l.seq, l.assessed_on, l.grade, l.gbq, l.ecca
            FROM patients p
            LEFT JOIN analytics_assessment_facts b ON b.patient_id = p.id AND b.seq = 1
            LEFT JOIN analytics_assessment_facts l ON l.patient_id = p.id
                 AND l.seq = (SELECT MAX(x.seq) FROM analytics_assessment_facts x WHERE x.patient_id = p.id)
            LEFT JOIN (
                SELECT z.assessment_id, SUM(z.ice_pick) AS ip, SUM(z.boxcar) AS bx, SUM(z.rolling) AS rl, SUM(z.hypertrophic) AS hy,
                       SUM(z.keloidal) AS kl, SUM(z.macular) AS mc,
                       \(AnalyticsRepository.Fragment.greatest(engine))(SUM(z.ice_pick), SUM(z.boxcar), SUM(z.rolling), SUM(z.hypertrophic),
                                SUM(z.keloidal), SUM(z.macular)) AS m
                FROM scar_assessment_zones z JOIN analytics_assessment_facts f0 ON f0.assessment_id = z.assessment_id AND f0.seq = 1
                WHERE \(zoneScope)
                GROUP BY z.assessment_id
            ) bd ON bd.assessment_id = b.assessment_id
            WHERE \(scope)
            """
    }
}
