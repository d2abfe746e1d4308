import Crypto
import Foundation
import ScarCore
import SQLKit

/// The de-identified research export: keyed pseudonyms, days from baseline, no free text.
extension AnalyticsRepository {
    /// The de-identified research CSV: one row per patient-assessment, a stable pseudonymous id
    /// (HMAC-SHA256 of the patient id under the clinic's secret key), days from the patient's
    /// baseline instead of dates, and no names, birth dates, record numbers, contacts or free text.
    /// Patients who withdrew research consent are left out. Read and audited (`research.export`) in one transaction.
    public func researchExport(clinicId: UUID, by actor: AuditActor, now: Date = Date()) async throws -> (csv: String, rows: Int) {
        let engine = db.engine
        return try await db.write { sql in
            let key = try await Self.ensureSettings(clinicId: clinicId, on: sql, now: now).key
            let rows = try await sql.raw(Self.exportSQL(clinicId: clinicId, engine: engine)).all()
            struct Row { var pseudonym: String; var patient: UUID; var day: CalendarDate; var fields: [String: String]; var grade: Int }
            var out: [Row] = []
            for r in rows {
                let patient = try r.decode(column: "patient_id", as: UUID.self)
                guard let day = CalendarDate(try r.decode(column: "assessed_on", as: String.self)) else { continue }
                func int(_ c: String) -> String {
                    let v: Int? = (try? r.decode(column: c, as: Int?.self)) ?? nil
                    return v.map { String($0) } ?? ""
                }
                var f: [String: String] = [:]
                for c in Self.intColumns { f[c] = int(c) }
                let modality: String? = try r.decode(column: "modality", as: String?.self)
                f["modality"] = modality ?? ""
                out.append(Row(pseudonym: Self.pseudonym(patient, key: key), patient: patient, day: day, fields: f,
                               grade: (try? r.decode(column: "gb_qualitative_grade", as: Int.self)) ?? 0))
            }
            // Group per patient (rows arrive ordered by patient, date, creation).
            var csv = CSV.row(Self.exportHeader)
            var byPatient: [UUID: [Row]] = [:]
            for row in out { byPatient[row.patient, default: []].append(row) }
            let patients = byPatient.values.sorted { $0[0].pseudonym < $1[0].pseudonym }
            for rows in patients {
                let baseline = rows[0]
                for (i, row) in rows.enumerated() {
                    let days = (CalendarDate(row.day.description)?.daysSinceEpoch ?? 0) - (CalendarDate(baseline.day.description)?.daysSinceEpoch ?? 0)
                    var cells = [row.pseudonym, String(i), String(days)]
                    cells += Self.intColumns.map { row.fields[$0] ?? "" }
                    cells += [row.fields["modality"] ?? "", i == 0 ? "" : (GoodmanBaronQualitative.isResponder(baselineGrade: baseline.grade, followUpGrade: row.grade) ? "1" : "0")]
                    csv += CSV.row(cells)
                }
            }
            try await AuditTrail.append(AuditEvent(action: "research.export", recordType: "research_export",
                                                   details: ["rows": String(out.count), "patients": String(patients.count)]),
                                        by: actor, engine: engine, on: sql, now: now)
            return (csv, out.count)
        }
    }

    static let intColumns = ["fitzpatrick", "gb_qualitative_grade", "gb_quantitative", "ecca", "ice_pick", "boxcar", "rolling", "hypertrophic",
                             "keloidal", "macular", "adjunct_prp", "adjunct_subcision", "adjunct_tca_cross", "adjunct_laser",
                             "sessions_signed_to_date", "sessions_signed_total", "adverse_events_to_date", "adverse_events_total"]
    public static let exportHeader = ["pseudonym", "assessment_number", "days_from_baseline"] + intColumns + ["modality", "responder_vs_baseline"]

    /// "R-" and the first 16 hex digits of HMAC-SHA256(clinic key, "scartrack-research-v1:" + patient id).
    public static func pseudonym(_ patientId: UUID, key hexKey: String) -> String {
        var bytes: [UInt8] = []
        var index = hexKey.startIndex
        while index < hexKey.endIndex, let next = hexKey.index(index, offsetBy: 2, limitedBy: hexKey.endIndex) {
            bytes.append(UInt8(hexKey[index..<next], radix: 16) ?? 0)
            index = next
        }
        let mac = HMAC<SHA256>.authenticationCode(for: Data("scartrack-research-v1:\(patientId.lower)".utf8),
                                                  using: SymmetricKey(data: bytes))
        return "R-" + mac.prefix(8).map { String(format: "%02x", $0) }.joined()
    }

    static func exportSQL(clinicId: UUID, engine: Engine) -> SQLQueryString {
        let adjuncts = [(Adjunct.prp, "adjunct_prp"), (.subcision, "adjunct_subcision"), (.tcaCross, "adjunct_tca_cross"), (.laser, "adjunct_laser")]
            .map { a, column in
                "CAST(COALESCE(MAX(CASE WHEN \(Fragment.planHas("pv.content", a, engine))\(a == .prp ? " OR EXISTS (SELECT 1 FROM session_lots sl JOIN consumable_lots cl ON cl.id = sl.lot_id WHERE sl.session_id = ts.id AND cl.kind = 'prp-kit')" : "") THEN 1 ELSE 0 END), 0) AS BIGINT) AS \(column)"
            }.joined(separator: ",\n")
        return """
            WITH sx AS (
                SELECT ts.patient_id, COUNT(*) AS sessions_signed_total,
                       CASE WHEN MIN(ts.modality) = MAX(ts.modality) THEN MIN(ts.modality) ELSE 'mixed' END AS modality,
                       \(unsafeRaw: adjuncts)
                FROM treatment_sessions ts LEFT JOIN treatment_plan_versions pv ON pv.id = ts.plan_version_id
                WHERE ts.clinic_id = \(bind: clinicId) AND ts.status = 'signed'
                GROUP BY ts.patient_id
            ),
            fz AS (
                SELECT patient_id, fitzpatrick FROM (
                    SELECT i.patient_id, i.fitzpatrick, ROW_NUMBER() OVER (PARTITION BY i.patient_id ORDER BY i.recorded_at DESC) AS rn
                    FROM intakes i WHERE i.clinic_id = \(bind: clinicId) AND i.fitzpatrick IS NOT NULL
                ) latest WHERE rn = 1
            ),
            zs AS (
                SELECT z.assessment_id, SUM(z.ice_pick) AS ice_pick, SUM(z.boxcar) AS boxcar, SUM(z.rolling) AS rolling,
                       SUM(z.hypertrophic) AS hypertrophic, SUM(z.keloidal) AS keloidal, SUM(z.macular) AS macular
                FROM scar_assessment_zones z JOIN scar_assessments a ON a.id = z.assessment_id
                WHERE a.clinic_id = \(bind: clinicId) GROUP BY z.assessment_id
            ),
            aet AS (SELECT patient_id, COUNT(*) AS n FROM adverse_events WHERE clinic_id = \(bind: clinicId) GROUP BY patient_id)
            SELECT a.patient_id, a.assessed_on, fz.fitzpatrick,
                   g.total AS gb_qualitative_grade, q.total AS gb_quantitative, e.total AS ecca,
                   CAST(zs.ice_pick AS BIGINT) AS ice_pick, CAST(zs.boxcar AS BIGINT) AS boxcar, CAST(zs.rolling AS BIGINT) AS rolling,
                   CAST(zs.hypertrophic AS BIGINT) AS hypertrophic, CAST(zs.keloidal AS BIGINT) AS keloidal, CAST(zs.macular AS BIGINT) AS macular,
                   COALESCE(sx.adjunct_prp, 0) AS adjunct_prp, COALESCE(sx.adjunct_subcision, 0) AS adjunct_subcision,
                   COALESCE(sx.adjunct_tca_cross, 0) AS adjunct_tca_cross, COALESCE(sx.adjunct_laser, 0) AS adjunct_laser,
                   (SELECT COUNT(*) FROM treatment_sessions s WHERE s.clinic_id = \(bind: clinicId) AND s.patient_id = a.patient_id
                       AND s.status = 'signed' AND s.performed_on <= a.assessed_on) AS sessions_signed_to_date,
                   COALESCE(sx.sessions_signed_total, 0) AS sessions_signed_total,
                   (SELECT COUNT(*) FROM adverse_events v WHERE v.clinic_id = \(bind: clinicId) AND v.patient_id = a.patient_id
                       AND v.onset_on <= a.assessed_on) AS adverse_events_to_date,
                   COALESCE(aet.n, 0) AS adverse_events_total,
                   COALESCE(sx.modality, 'none') AS modality
            FROM scar_assessments a
            JOIN scar_assessment_scores g ON g.assessment_id = a.id AND g.scale_id = 'gb-qualitative'
            LEFT JOIN scar_assessment_scores q ON q.assessment_id = a.id AND q.scale_id = 'gb-quantitative'
            LEFT JOIN scar_assessment_scores e ON e.assessment_id = a.id AND e.scale_id = 'ecca'
            LEFT JOIN zs ON zs.assessment_id = a.id
            LEFT JOIN fz ON fz.patient_id = a.patient_id
            LEFT JOIN sx ON sx.patient_id = a.patient_id
            LEFT JOIN aet ON aet.patient_id = a.patient_id
            WHERE a.clinic_id = \(bind: clinicId)
              -- A patient who withdrew research consent (and holds no valid one) is left out, de-identified or not.
              AND NOT (EXISTS (SELECT 1 FROM consents c JOIN consent_withdrawals w ON w.consent_id = c.id
                               WHERE c.clinic_id = a.clinic_id AND c.patient_id = a.patient_id AND c.kind = 'research')
                       AND NOT EXISTS (SELECT 1 FROM consents c WHERE c.clinic_id = a.clinic_id AND c.patient_id = a.patient_id
                               AND c.kind = 'research' AND NOT EXISTS (SELECT 1 FROM consent_withdrawals w WHERE w.consent_id = c.id)))
            ORDER BY a.patient_id, a.assessed_on, a.created_at
            """
    }
}
