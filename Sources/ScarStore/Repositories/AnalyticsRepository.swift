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

/// Clinic analytics computed in the database (one aggregate statement per view over the
/// analytics facts that `AnalyticsFacts` keeps; only grouped rows come back), and the
/// de-identified research export.
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
        let rows = try await db.readTransaction { sql in
            if engine == .postgres {
                // Measured at 1M signed sessions (PERFORMANCE.md): the per-patient aggregate is a
                // hash aggregate (faster than a sort by patient) only with more than the default 4 MB.
                try await sql.raw("SET LOCAL work_mem = '64MB'").run()
            }
            return try await sql.raw(Self.aggregateSQL(clinicId: clinicId, filter: filter, bands: bands, engine: engine)).all()
        }
        return try Self.summarize(rows, filter: filter, bands: bands)
    }

    /// The dashboard's value from the aggregate's grouped rows (dimension, group, counts).
    static func summarize(_ rows: [any SQLRow], filter: AnalyticsFilter, bands: DepthBands) throws -> ClinicAnalytics {
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

        /// The dominant scar type from a baseline's summed zone counts (`ip` … `mc` and their
        /// maximum `m` in the row `alias`): ties are `mixed`; ends the CASE.
        static func dominantType(of alias: String) -> String {
            let order = ["ip", "bx", "rl", "hy", "kl", "mc"]
            let types = ["ip": "ice-pick", "bx": "boxcar", "rl": "rolling", "hy": "hypertrophic", "kl": "keloidal", "mc": "macular"]
            let ties = order.map { "(CASE WHEN \(alias).\($0) = \(alias).m THEN 1 ELSE 0 END)" }.joined(separator: " + ")
            let whens = order.dropLast().map { "WHEN \(alias).\($0) = \(alias).m THEN '\(types[$0]!)'" }.joined(separator: " ")
            return "WHEN \(ties) > 1 THEN 'mixed' \(whens) ELSE 'macular' END"
        }

        /// True when a plan version's content lists the adjunct.
        static func planHas(_ content: String, _ adjunct: Adjunct, _ engine: Engine) -> String {
            engine == .sqlite
                ? "EXISTS (SELECT 1 FROM json_each(\(content), '$.adjuncts') j WHERE j.value = '\(adjunct.rawValue)')"
                : "COALESCE(((CAST(\(content) AS JSONB) -> 'adjuncts') @> CAST('[\"\(adjunct.rawValue)\"]' AS JSONB)), FALSE)"
        }
    }

    /// The depth band of `max_depth` (in the row aliased `pc`) for the clinic's edges.
    static func depthCase(_ bands: DepthBands) -> SQLQueryString {
        var depthCase: SQLQueryString = "CASE WHEN pc.max_depth IS NULL THEN 'none'"
        for (i, edge) in bands.edges.enumerated() {
            depthCase += " WHEN ROUND(pc.max_depth * 100) <= \(literal: edge.hundredths) THEN 'b\(unsafeRaw: String(i))'"
        }
        depthCase += " ELSE 'b\(unsafeRaw: String(bands.edges.count))' END"
        return depthCase
    }

    /// A patient's course columns of the `facts` CTE, from the row aliased `pc` (sessions in the
    /// filter, planned, deepest depth, modality, PRP) and the patient's Fitzpatrick type.
    static func courseColumns(_ bands: DepthBands, fitzpatrick f: String) -> SQLQueryString {
        """
        pc.patient_id, pc.sessions, pc.modality, pc.prp,
        CASE WHEN pc.planned IS NOT NULL AND pc.sessions >= pc.planned THEN 1 ELSE 0 END AS completed, \(depthCase(bands)) AS depth_band,
        CASE WHEN \(unsafeRaw: f) IS NULL THEN 'unknown' WHEN \(unsafeRaw: f) <= 3 THEN 'I-III' ELSE 'IV-VI' END AS fitz_group,
        COALESCE(CAST(\(unsafeRaw: f) AS TEXT), 'unknown') AS fitz_type
        """
    }

    /// The aggregate over the facts (`AnalyticsFacts`): the filtered session facts grouped by
    /// patient in one pass, joined to the patient facts; the latest assessment on or before `to`
    /// is looked up only for patients assessed after `to`.
    static func aggregateSQL(clinicId: UUID, filter: AnalyticsFilter, bands: DepthBands, engine: Engine) -> SQLQueryString {
        let from = filter.from?.description ?? minDay, to = filter.to?.description ?? maxDay
        func sessions(_ alias: String) -> SQLQueryString {
            var q: SQLQueryString = """
                \(unsafeRaw: alias).clinic_id = \(bind: clinicId) AND \(unsafeRaw: alias).performed_on >= \(bind: from) \
                AND \(unsafeRaw: alias).performed_on <= \(bind: to)
                """
            if let p = filter.practitionerId { q += " AND \(unsafeRaw: alias).practitioner_id = \(bind: p)" }
            if let t = filter.protocolTemplateId { q += " AND \(unsafeRaw: alias).template_id = \(bind: t)" }
            return q
        }
        let latest = [("lg", "grade", "l_grade"), ("lq", "gbq", "l_gbq"), ("le", "ecca", "l_ecca")].map { name, column, stored in
            """
            CASE WHEN x.lseq IS NULL OR x.lseq < 2 THEN NULL WHEN x.lseq = x.latest_seq THEN x.\(stored)
                 ELSE (SELECT y.\(column) FROM analytics_assessment_facts y WHERE y.patient_id = x.patient_id AND y.seq = x.lseq) END AS \(name)
            """
        }.joined(separator: ",\n")
        let better = String(GoodmanBaronQualitative.responderGradeImprovement)
        return """
            WITH pc AS MATERIALIZED (
                SELECT sf.patient_id, COUNT(*) AS sessions, MAX(sf.max_depth) AS max_depth, MAX(sf.planned) AS planned, MAX(sf.prp) AS prp,
                       CASE WHEN MIN(sf.modality) = MAX(sf.modality) THEN MIN(sf.modality) ELSE 'mixed' END AS modality
                FROM analytics_session_facts sf WHERE \(sessions("sf")) GROUP BY sf.patient_id
            ),
            lx AS (
                SELECT pc.*, pf.fitzpatrick, pf.baseline_on, pf.b_grade, pf.b_gbq, pf.b_ecca, pf.dominant, pf.first_response_on,
                       pf.latest_seq, pf.l_grade, pf.l_gbq, pf.l_ecca,
                       CASE WHEN pf.baseline_on IS NULL OR pf.baseline_on > \(bind: to) THEN NULL
                            WHEN pf.latest_on <= \(bind: to) THEN pf.latest_seq
                            ELSE (SELECT MAX(y.seq) FROM analytics_assessment_facts y WHERE y.patient_id = pc.patient_id AND y.assessed_on <= \(bind: to))
                       END AS lseq
                FROM pc LEFT JOIN analytics_patient_facts pf ON pf.patient_id = pc.patient_id
            ),
            lv AS (SELECT x.*, \(unsafeRaw: latest) FROM lx x),
            facts AS MATERIALIZED (
                SELECT \(courseColumns(bands, fitzpatrick: "pc.fitzpatrick")),
                       CASE WHEN pc.baseline_on IS NULL OR pc.baseline_on > \(bind: to) THEN 'unassessed' ELSE pc.dominant END AS dominant,
                       CASE WHEN pc.lg IS NOT NULL THEN 1 ELSE 0 END AS evaluable,
                       CASE WHEN pc.lg IS NOT NULL AND pc.lg <= pc.b_grade - \(unsafeRaw: better) THEN 1 ELSE 0 END AS responder,
                       pc.lg - pc.b_grade AS d_grade, pc.lq - pc.b_gbq AS d_gbq, pc.le - pc.b_ecca AS d_ecca,
                       CASE WHEN pc.first_response_on <= \(bind: to)
                            THEN \(unsafeRaw: Fragment.days("pc.baseline_on", "pc.first_response_on", engine)) END AS ttr
                FROM lv pc
            ),
            av AS MATERIALIZED (
                SELECT v.patient_id, v.session_id FROM adverse_events v
                WHERE v.clinic_id = \(bind: clinicId) AND v.onset_on >= \(bind: from) AND v.onset_on <= \(bind: to)
                  AND EXISTS (SELECT 1 FROM analytics_session_facts s2 WHERE s2.patient_id = v.patient_id AND \(sessions("s2")))
            ),
            aet AS (
                SELECT COUNT(*) AS d, COUNT(DISTINCT patient_id) AS e,
                       (SELECT COUNT(DISTINCT v.session_id) FROM adverse_events v
                        WHERE v.clinic_id = \(bind: clinicId) AND v.onset_on >= \(bind: from) AND v.onset_on <= \(bind: to)
                          -- one key lookup per event (as a join, PostgreSQL scanned every session fact)
                          AND (SELECT 1 FROM analytics_session_facts s3 WHERE s3.session_id = v.session_id AND \(sessions("s3")) LIMIT 1) IS NOT NULL) AS g
                FROM av
            ),
            \(reportSQL())
            """
    }

    /// The rows `summarize` reads, from a `facts` CTE (one row per patient) and an `aet` CTE (the
    /// adverse-event totals `d`, `e`, `g`): patients are first grouped by every dimension's key
    /// together, so the unpivot reads a few rows per combination instead of one per patient.
    static func reportSQL() -> SQLQueryString {
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
        let keys = "dominant, fitz_group, fitz_type, modality, prp, sessions, depth_band"
        return """
            combo AS (
                SELECT \(unsafeRaw: keys), COUNT(*) AS n, SUM(evaluable) AS ev, SUM(responder) AS rs FROM facts GROUP BY \(unsafeRaw: keys)
            )
            SELECT CAST(d.dim AS TEXT) AS dim, CAST(\(unsafeRaw: keyCase) AS TEXT) AS grp, CAST(SUM(f.n) AS BIGINT) AS a,
                   CAST(COALESCE(SUM(f.ev), 0) AS BIGINT) AS b, CAST(COALESCE(SUM(f.rs), 0) AS BIGINT) AS c,
                   CAST(0 AS BIGINT) AS d, CAST(0 AS BIGINT) AS e, CAST(0 AS BIGINT) AS g, CAST(0 AS DOUBLE PRECISION) AS x
            FROM combo f CROSS JOIN (\(unsafeRaw: dims)) d
            GROUP BY d.dim, \(unsafeRaw: keyCase)
            UNION ALL SELECT 'totals', 'all', COUNT(*), CAST(COALESCE(SUM(sessions), 0) AS BIGINT), CAST(COALESCE(SUM(completed), 0) AS BIGINT),
                   CAST((SELECT d FROM aet) AS BIGINT), CAST((SELECT e FROM aet) AS BIGINT),
                   CAST((SELECT g FROM aet) AS BIGINT), CAST(0 AS DOUBLE PRECISION) FROM facts
            UNION ALL SELECT 'change', s.scale, COUNT(\(unsafeRaw: changeCase)), CAST(0 AS BIGINT), CAST(0 AS BIGINT), CAST(0 AS BIGINT),
                   CAST(0 AS BIGINT), CAST(0 AS BIGINT), CAST(COALESCE(SUM(\(unsafeRaw: changeCase)), 0) AS DOUBLE PRECISION)
            FROM facts f CROSS JOIN (\(unsafeRaw: scales)) s GROUP BY s.scale
            UNION ALL SELECT 'ttr', CAST(ttr AS TEXT), COUNT(*), CAST(0 AS BIGINT), CAST(0 AS BIGINT), CAST(0 AS BIGINT), CAST(0 AS BIGINT),
                   CAST(0 AS BIGINT), CAST(0 AS DOUBLE PRECISION) FROM facts WHERE ttr IS NOT NULL GROUP BY ttr
            """
    }
}
