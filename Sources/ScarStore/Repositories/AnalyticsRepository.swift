import Crypto
import Foundation
import ScarCore
import SQLKit

/// A clinic's analytics settings: the depth-band edges (a product choice the clinic may change)
/// and the version that guards edits.
public struct AnalyticsSettings: Sendable, Equatable {
    public var bands: DepthBands
    public var version: Int
}

/// Clinic analytics computed in the database (one aggregate statement per view; only grouped
/// rows come back), and the de-identified research export.
///
/// Definitions (shown on the dashboard and in docs/ARCHITECTURE.md):
/// - The cohort is every patient of the clinic with at least one **signed** session in the
///   filter (day range on `performed_on`, practitioner, protocol template of the session's plan).
/// - Baseline = the patient's first assessment; latest = the last one on or before the `to` day,
///   if later than the baseline. Responder per Decision 7 (≥ 1 G&B qualitative grade better).
/// - Depths (the depth band) come from each session's current chart: the chart as signed with
///   every amendment applied, as the course report and the API show it (`SessionRecord.currentChart`).
/// - Adverse events count when their onset falls in the day range, in every rate: AE rate per
///   session counts filtered signed sessions with at least one linked AE whose onset is in the range.
public struct AnalyticsRepository: Sendable {
    let db: ScarDatabase
    public init(_ db: ScarDatabase) { self.db = db }

    static let minDay = "0001-01-01", maxDay = "9999-12-31"

    // MARK: Settings

    /// The clinic's settings, created with the shipped defaults and a fresh research key on first use.
    public func settings(clinicId: UUID, now: Date = Date()) async throws -> AnalyticsSettings {
        try await db.write { sql in try await Self.ensureSettings(clinicId: clinicId, on: sql, now: now).settings }
    }

    static func ensureSettings(clinicId: UUID, on sql: any SQLDatabase, now: Date) async throws -> (settings: AnalyticsSettings, key: String) {
        if let row = try await sql.raw("""
            SELECT depth_band_edges, research_key, version FROM analytics_settings WHERE clinic_id = \(bind: clinicId)
            """).first() {
            let bands = (try? DepthBands.parse(row.decode(column: "depth_band_edges", as: String.self)).get()) ?? .productDefault
            return (AnalyticsSettings(bands: bands, version: try row.decode(column: "version", as: Int.self)),
                    try row.decode(column: "research_key", as: String.self))
        }
        var generator = SystemRandomNumberGenerator()
        let key = (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
        try await sql.raw("""
            INSERT INTO analytics_settings (clinic_id, depth_band_edges, research_key, created_at, updated_at, version)
            VALUES (\(bind: clinicId), \(bind: DepthBands.productDefault.text), \(bind: key), \(bind: now), \(bind: now), 1)
            """).run()
        return (AnalyticsSettings(bands: .productDefault, version: 1), key)
    }

    /// Saves new depth-band edges if the settings are still at `expectedVersion`; audited.
    public func saveBands(_ bands: DepthBands, clinicId: UUID, expectedVersion: Int, by actor: AuditActor, now: Date = Date()) async throws
        -> AnalyticsSettings {
        let engine = db.engine
        return try await db.write { sql in
            let current = try await Self.ensureSettings(clinicId: clinicId, on: sql, now: now).settings
            guard current.version == expectedVersion else { throw StoreError.versionConflict(current: current.version) }
            try await sql.raw("""
                UPDATE analytics_settings SET depth_band_edges = \(bind: bands.text), updated_at = \(bind: now), version = version + 1
                WHERE clinic_id = \(bind: clinicId) AND version = \(bind: expectedVersion)
                """).run()
            try await AuditTrail.append(AuditEvent(action: "analytics.settings", recordType: "analytics_settings", recordId: clinicId.uuidString,
                                                   details: ["depthBandEdges": bands.text]),
                                        by: actor, engine: engine, on: sql, now: now)
            return AnalyticsSettings(bands: bands, version: expectedVersion + 1)
        }
    }

    /// The clinic's protocol templates (current name) for the filter form.
    public func protocolTemplates(clinicId: UUID) async throws -> [(id: UUID, name: String)] {
        try await db.read { sql in
            try await sql.raw("""
                SELECT t.id, v.name FROM protocol_templates t
                JOIN protocol_template_versions v ON v.template_id = t.id AND v.version = t.current_version
                WHERE t.clinic_id = \(bind: clinicId) ORDER BY v.name
                """).all().map { (try $0.decode(column: "id", as: UUID.self), try $0.decode(column: "name", as: String.self)) }
        }
    }

    // MARK: Aggregates

    /// The dashboard's numbers for one filter. The view is audited first (its own transaction),
    /// so nothing is ever shown without its audit entry; the aggregate then runs as a read, so a
    /// long aggregate never holds the write lock.
    public func analytics(clinicId: UUID, filter: AnalyticsFilter, action: String = "analytics.view", by actor: AuditActor,
                          now: Date = Date()) async throws -> ClinicAnalytics {
        let engine = db.engine
        let settings = try await db.write { sql in
            let s = try await Self.ensureSettings(clinicId: clinicId, on: sql, now: now).settings
            try await AuditTrail.append(AuditEvent(action: action, recordType: "analytics", details: Self.auditDetails(filter)),
                                        by: actor, engine: engine, on: sql, now: now)
            return s
        }
        return try await compute(clinicId: clinicId, filter: filter, bands: settings.bands)
    }

    static func auditDetails(_ filter: AnalyticsFilter) -> [String: String] {
        Dictionary(filter.queryItems, uniquingKeysWith: { a, _ in a })
    }

    /// The aggregate itself (no audit): one statement, grouped rows only.
    public func compute(clinicId: UUID, filter: AnalyticsFilter, bands: DepthBands) async throws -> ClinicAnalytics {
        let engine = db.engine
        let rows = try await db.read { sql in
            try await sql.raw(Self.aggregateSQL(clinicId: clinicId, filter: filter, bands: bands, engine: engine)).all()
        }
        var totals = (patients: 0, sessions: 0, completed: 0)
        var ae = (events: 0, patients: 0, sessions: 0)
        var groups: [ResponderGroup] = []
        var changes: [String: (Int, Double)] = [:]
        var histogram: [(days: Int, patients: Int)] = []
        for row in rows {
            let dim = try row.decode(column: "dim", as: String.self)
            let grp = try row.decode(column: "grp", as: String.self)
            let a = try row.decode(column: "a", as: Int?.self) ?? 0
            let b = try row.decode(column: "b", as: Int?.self) ?? 0
            let c = try row.decode(column: "c", as: Int?.self) ?? 0
            let x: Double = (try? row.decode(column: "x", as: Double?.self)) ?? Double((try? row.decode(column: "x", as: Int?.self)) ?? 0)
            switch dim {
            case "totals":
                totals = (a, b, c)
                ae = (try row.decode(column: "d", as: Int?.self) ?? 0, try row.decode(column: "e", as: Int?.self) ?? 0,
                      try row.decode(column: "g", as: Int?.self) ?? 0)
            case "change": changes[grp] = (a, x)
            case "ttr": if let d = Int(grp) { histogram.append((d, a)) }
            default:
                guard let dimension = AnalyticsDimension(rawValue: dim) else { continue }
                groups.append(ResponderGroup(dimension: dimension, key: grp, label: ResponderGroup.label(dimension: dimension, key: grp, bands: bands),
                                             patients: a, evaluable: b, responders: c))
            }
        }
        groups.sort { l, r in
            let li = AnalyticsDimension.allCases.firstIndex(of: l.dimension)!, ri = AnalyticsDimension.allCases.firstIndex(of: r.dimension)!
            if li != ri { return li < ri }
            return Self.order(l, bands: bands) < Self.order(r, bands: bands)
        }
        let scales: [(String, String)] = [(GoodmanBaronQualitative.id, "Goodman & Baron qualitative grade"),
                                          (GoodmanBaronQuantitative.id, "Goodman & Baron quantitative"), (ECCA.id, "ECCA")]
        return ClinicAnalytics(
            filter: filter, bands: bands, patientsTreated: totals.patients, sessionsSigned: totals.sessions, completedCourses: totals.completed,
            groups: groups,
            scaleChanges: scales.map { id, label in ScaleChangeSummary(scale: id, label: label, patients: changes[id]?.0 ?? 0, sum: changes[id]?.1 ?? 0) },
            timeToResponse: TimeToResponse(histogram: histogram),
            adverseEvents: AdverseEventRates(events: ae.events, patients: totals.patients, patientsWithEvent: ae.patients,
                                             sessions: totals.sessions, sessionsWithEvent: ae.sessions))
    }

    /// A stable order within a dimension: numbers numerically, bands in order, types in `ScarType` order.
    static func order(_ g: ResponderGroup, bands: DepthBands) -> String {
        switch g.dimension {
        case .sessions: return String(format: "%06d", Int(g.key) ?? 0)
        case .depthBand: return g.key == "none" ? "zz" : g.key
        case .dominantType:
            if let t = ScarType(rawValue: g.key) { return "0\(ScarType.allCases.firstIndex(of: t)!)" }
            return ["mixed": "1", "none": "2", "unassessed": "3"][g.key] ?? "4" + g.key
        case .fitzpatrickGroup, .fitzpatrickType: return g.key == "unknown" ? "zz" : g.key
        default: return g.key
        }
    }

    /// SQL fragments that differ between the engines.
    enum Fragment {
        static func greatest(_ engine: Engine) -> String { engine == .sqlite ? "MAX" : "GREATEST" }

        /// Whole days from `a` to `b` (two `YYYY-MM-DD` texts).
        static func days(_ a: String, _ b: String, _ engine: Engine) -> String {
            engine == .sqlite ? "CAST(julianday(\(b)) - julianday(\(a)) AS INTEGER)" : "(CAST(\(b) AS DATE) - CAST(\(a) AS DATE))"
        }

        /// The deepest zone setting in a session's chart JSON (`zones[].depthMm`).
        static func maxDepth(_ chart: String, _ engine: Engine) -> String {
            engine == .sqlite
                ? "(SELECT MAX(CAST(json_extract(z.value, '$.depthMm') AS REAL)) FROM json_each(\(chart), '$.zones') z)"
                : "(SELECT MAX(CAST(z ->> 'depthMm' AS DOUBLE PRECISION)) FROM jsonb_array_elements(CAST(\(chart) AS JSONB) -> 'zones') z)"
        }

        /// True when a plan version's content lists the adjunct.
        static func planHas(_ content: String, _ adjunct: Adjunct, _ engine: Engine) -> String {
            engine == .sqlite
                ? "EXISTS (SELECT 1 FROM json_each(\(content), '$.adjuncts') j WHERE j.value = '\(adjunct.rawValue)')"
                : "COALESCE(((CAST(\(content) AS JSONB) -> 'adjuncts') @> CAST('[\"\(adjunct.rawValue)\"]' AS JSONB)), FALSE)"
        }
    }

    static func aggregateSQL(clinicId: UUID, filter: AnalyticsFilter, bands: DepthBands, engine: Engine) -> SQLQueryString {
        let from = filter.from?.description ?? minDay, to = filter.to?.description ?? maxDay
        var sessionFilter: SQLQueryString = ""
        if let p = filter.practitionerId { sessionFilter += " AND ts.practitioner_id = \(bind: p)" }
        if let t = filter.protocolTemplateId { sessionFilter += " AND tv.template_id = \(bind: t)" }
        var depthCase: SQLQueryString = "CASE WHEN pc.max_depth IS NULL THEN 'none'"
        for (i, edge) in bands.edges.enumerated() {
            depthCase += " WHEN ROUND(pc.max_depth * 100) <= \(literal: edge.hundredths) THEN 'b\(unsafeRaw: String(i))'"
        }
        depthCase += " ELSE 'b\(unsafeRaw: String(bands.edges.count))' END"
        let g = Fragment.greatest(engine)
        let types = ["ip": "ice-pick", "bx": "boxcar", "rl": "rolling", "hy": "hypertrophic", "kl": "keloidal", "mc": "macular"]
        let order = ["ip", "bx", "rl", "hy", "kl", "mc"]
        let tieCount = order.map { "(CASE WHEN bd.\($0) = bd.m THEN 1 ELSE 0 END)" }.joined(separator: " + ")
        let dominantWhen = order.dropLast().map { "WHEN bd.\($0) = bd.m THEN '\(types[$0]!)'" }.joined(separator: " ")
        // The group key of each dimension, unpivoted against a small list of dimensions so the
        // facts are read by one GROUP BY (few compound branches keep SQLite's nesting shallow).
        let keyCase = """
            CASE d.dim WHEN 'overall' THEN 'all' WHEN 'dominantType' THEN f.dominant WHEN 'fitzpatrickGroup' THEN f.fitz_group
                 WHEN 'fitzpatrickType' THEN f.fitz_type WHEN 'modality' THEN f.modality WHEN 'prp' THEN CAST(f.prp AS TEXT)
                 WHEN 'sessions' THEN CAST(f.sessions AS TEXT) ELSE f.depth_band END
            """
        let dims = AnalyticsDimension.allCases.map { "SELECT '\($0.rawValue)' AS dim" }.joined(separator: " UNION ALL ")
        let scales = [GoodmanBaronQualitative.id, GoodmanBaronQuantitative.id, ECCA.id].map { "SELECT '\($0)' AS scale" }.joined(separator: " UNION ALL ")
        let changeCase = """
            CASE s.scale WHEN '\(GoodmanBaronQualitative.id)' THEN f.d_grade WHEN '\(GoodmanBaronQuantitative.id)' THEN f.d_gbq ELSE f.d_ecca END
            """
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
                SELECT pc.patient_id, pc.sessions, pc.modality, pc.prp,
                       CASE WHEN pc.planned IS NOT NULL AND pc.sessions >= pc.planned THEN 1 ELSE 0 END AS completed,
                       \(depthCase) AS depth_band,
                       CASE WHEN fz.fitzpatrick IS NULL THEN 'unknown' WHEN fz.fitzpatrick <= 3 THEN 'I-III' ELSE 'IV-VI' END AS fitz_group,
                       COALESCE(CAST(fz.fitzpatrick AS TEXT), 'unknown') AS fitz_type,
                       CASE WHEN b.id IS NULL THEN 'unassessed'
                            WHEN bd.m IS NULL OR bd.m = 0 THEN 'none'
                            WHEN \(unsafeRaw: tieCount) > 1 THEN 'mixed'
                            \(unsafeRaw: dominantWhen) ELSE 'macular' END AS dominant,
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
            )
            SELECT CAST(d.dim AS TEXT) AS dim, CAST(\(unsafeRaw: keyCase) AS TEXT) AS grp, CAST(COUNT(*) AS BIGINT) AS a,
                   CAST(COALESCE(SUM(f.evaluable), 0) AS BIGINT) AS b, CAST(COALESCE(SUM(f.responder), 0) AS BIGINT) AS c,
                   CAST(0 AS BIGINT) AS d, CAST(0 AS BIGINT) AS e, CAST(0 AS BIGINT) AS g, CAST(0 AS DOUBLE PRECISION) AS x
            FROM facts f CROSS JOIN (\(unsafeRaw: dims)) d
            GROUP BY d.dim, \(unsafeRaw: keyCase)
            UNION ALL SELECT 'totals', 'all', COUNT(*), CAST(COALESCE(SUM(sessions), 0) AS BIGINT), CAST(COALESCE(SUM(completed), 0) AS BIGINT),
                   CAST(COALESCE(SUM(ae_count), 0) AS BIGINT), CAST(COALESCE(SUM(CASE WHEN ae_count > 0 THEN 1 ELSE 0 END), 0) AS BIGINT),
                   CAST((SELECT n FROM aes) AS BIGINT), CAST(0 AS DOUBLE PRECISION) FROM facts
            UNION ALL SELECT 'change', s.scale, COUNT(\(unsafeRaw: changeCase)), CAST(0 AS BIGINT), CAST(0 AS BIGINT), CAST(0 AS BIGINT),
                   CAST(0 AS BIGINT), CAST(0 AS BIGINT), CAST(COALESCE(SUM(\(unsafeRaw: changeCase)), 0) AS DOUBLE PRECISION)
            FROM facts f CROSS JOIN (\(unsafeRaw: scales)) s GROUP BY s.scale
            UNION ALL SELECT 'ttr', CAST(ttr AS TEXT), COUNT(*), CAST(0 AS BIGINT), CAST(0 AS BIGINT), CAST(0 AS BIGINT), CAST(0 AS BIGINT),
                   CAST(0 AS BIGINT), CAST(0 AS DOUBLE PRECISION) FROM facts WHERE ttr IS NOT NULL GROUP BY ttr
            """
    }
}
