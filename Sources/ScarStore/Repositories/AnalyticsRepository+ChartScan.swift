import Foundation
import ScarCore
import SQLKit

/// The analytics as they were computed before the facts tables (migration 0035): one statement
/// that reads every signed session's chart JSON (with its amendments) per request, 30 µs per
/// session. Kept only so the tests can prove the facts give identical figures; the dashboard,
/// the API and the CSV use `compute`.
extension AnalyticsRepository {
    func computeByScanningCharts(clinicId: UUID, filter: AnalyticsFilter, bands: DepthBands) async throws -> ClinicAnalytics {
        let engine = db.engine
        let rows = try await db.read { sql in
            try await sql.raw(Self.chartScanSQL(clinicId: clinicId, filter: filter, bands: bands, engine: engine)).all()
        }
        return try Self.summarize(rows, filter: filter, bands: bands)
    }

    static func chartScanSQL(clinicId: UUID, filter: AnalyticsFilter, bands: DepthBands, engine: Engine) -> SQLQueryString {
        let from = filter.from?.description ?? minDay, to = filter.to?.description ?? maxDay
        var sessionFilter: SQLQueryString = ""
        if let p = filter.practitionerId { sessionFilter += " AND ts.practitioner_id = \(bind: p)" }
        if let t = filter.protocolTemplateId { sessionFilter += " AND tv.template_id = \(bind: t)" }
        let g = Fragment.greatest(engine)
        return """
            WITH fs AS MATERIALIZED (
                SELECT ts.id, ts.patient_id, ts.modality, pv.sessions AS planned,
                       \(unsafeRaw: Fragment.maxDepth(SessionRepository.currentChartSQL(session: "ts"), engine)) AS max_depth,
                       CASE WHEN \(unsafeRaw: Fragment.planHas("pv.content", .prp, engine))
                              OR EXISTS (SELECT 1 FROM session_lots sl JOIN consumable_lots cl ON cl.id = sl.lot_id
                                         WHERE sl.session_id = ts.id AND cl.kind = 'prp-kit')
                            THEN 1 ELSE 0 END AS prp
                FROM treatment_sessions ts
                LEFT JOIN treatment_plan_versions pv ON pv.id = ts.plan_version_id
                LEFT JOIN protocol_template_versions tv ON tv.id = pv.template_version_id
                WHERE ts.clinic_id = \(bind: clinicId) AND ts.status = 'signed'
                  AND ts.performed_on >= \(bind: from) AND ts.performed_on <= \(bind: to)\(sessionFilter)
            ),
            pc AS MATERIALIZED (
                SELECT patient_id, COUNT(*) AS sessions, MAX(max_depth) AS max_depth, MAX(planned) AS planned, MAX(prp) AS prp,
                       CASE WHEN MIN(modality) = MAX(modality) THEN MIN(modality) ELSE 'mixed' END AS modality
                FROM fs GROUP BY patient_id
            ),
            ax AS MATERIALIZED (
                SELECT a.id, a.patient_id, a.assessed_on, g.total AS grade, q.total AS gbq, e.total AS ecca,
                       ROW_NUMBER() OVER (PARTITION BY a.patient_id ORDER BY a.assessed_on, a.created_at) AS rn,
                       ROW_NUMBER() OVER (PARTITION BY a.patient_id ORDER BY a.assessed_on DESC, a.created_at DESC) AS rd
                FROM scar_assessments a
                JOIN pc ON pc.patient_id = a.patient_id
                JOIN scar_assessment_scores g ON g.assessment_id = a.id AND g.scale_id = 'gb-qualitative'
                LEFT JOIN scar_assessment_scores q ON q.assessment_id = a.id AND q.scale_id = 'gb-quantitative'
                LEFT JOIN scar_assessment_scores e ON e.assessment_id = a.id AND e.scale_id = 'ecca'
                WHERE a.clinic_id = \(bind: clinicId) AND a.assessed_on <= \(bind: to)
            ),
            bz AS (
                SELECT z.assessment_id, SUM(z.ice_pick) AS ip, SUM(z.boxcar) AS bx, SUM(z.rolling) AS rl,
                       SUM(z.hypertrophic) AS hy, SUM(z.keloidal) AS kl, SUM(z.macular) AS mc
                FROM scar_assessment_zones z JOIN ax ON ax.id = z.assessment_id AND ax.rn = 1
                GROUP BY z.assessment_id
            ),
            bd AS (SELECT bz.*, \(unsafeRaw: g)(ip, bx, rl, hy, kl, mc) AS m FROM bz),
            fr AS (
                SELECT f.patient_id, MIN(f.assessed_on) AS first_on
                FROM ax f JOIN ax b ON b.patient_id = f.patient_id AND b.rn = 1
                WHERE f.rn > 1 AND f.grade <= b.grade - \(unsafeRaw: String(GoodmanBaronQualitative.responderGradeImprovement))
                GROUP BY f.patient_id
            ),
            fz AS (
                SELECT patient_id, fitzpatrick FROM (
                    SELECT i.patient_id, i.fitzpatrick, ROW_NUMBER() OVER (PARTITION BY i.patient_id ORDER BY i.recorded_at DESC) AS rn
                    FROM intakes i JOIN pc ON pc.patient_id = i.patient_id
                    WHERE i.clinic_id = \(bind: clinicId) AND i.fitzpatrick IS NOT NULL
                ) latest WHERE rn = 1
            ),
            ae AS (
                SELECT v.patient_id, COUNT(*) AS n FROM adverse_events v JOIN pc ON pc.patient_id = v.patient_id
                WHERE v.clinic_id = \(bind: clinicId) AND v.onset_on >= \(bind: from) AND v.onset_on <= \(bind: to)
                GROUP BY v.patient_id
            ),
            aes AS (
                SELECT COUNT(DISTINCT v.session_id) AS n FROM adverse_events v JOIN fs ON fs.id = v.session_id
                WHERE v.clinic_id = \(bind: clinicId) AND v.onset_on >= \(bind: from) AND v.onset_on <= \(bind: to)
            ),
            facts AS MATERIALIZED (
                SELECT \(courseColumns(bands, fitzpatrick: "fz.fitzpatrick")),
                       CASE WHEN b.id IS NULL THEN 'unassessed'
                            WHEN bd.m IS NULL OR bd.m = 0 THEN 'none'
                            \(unsafeRaw: Fragment.dominantType(of: "bd")) AS dominant,
                       CASE WHEN l.id IS NOT NULL THEN 1 ELSE 0 END AS evaluable,
                       CASE WHEN l.id IS NOT NULL AND l.grade <= b.grade - \(unsafeRaw: String(GoodmanBaronQualitative.responderGradeImprovement))
                            THEN 1 ELSE 0 END AS responder,
                       l.grade - b.grade AS d_grade, l.gbq - b.gbq AS d_gbq, l.ecca - b.ecca AS d_ecca,
                       \(unsafeRaw: Fragment.days("b.assessed_on", "fr.first_on", engine)) AS ttr,
                       COALESCE(ae.n, 0) AS ae_count
                FROM pc
                LEFT JOIN ax b ON b.patient_id = pc.patient_id AND b.rn = 1
                LEFT JOIN ax l ON l.patient_id = pc.patient_id AND l.rd = 1 AND l.rn > 1
                LEFT JOIN bd ON bd.assessment_id = b.id
                LEFT JOIN fz ON fz.patient_id = pc.patient_id
                LEFT JOIN fr ON fr.patient_id = pc.patient_id
                LEFT JOIN ae ON ae.patient_id = pc.patient_id
            ),
            aet AS (
                SELECT COALESCE(SUM(ae_count), 0) AS d, COALESCE(SUM(CASE WHEN ae_count > 0 THEN 1 ELSE 0 END), 0) AS e,
                       (SELECT n FROM aes) AS g
                FROM facts
            ),
            \(reportSQL())
            """
    }
}
