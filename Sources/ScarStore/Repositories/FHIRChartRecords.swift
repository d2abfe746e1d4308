import Foundation
import ScarCore
import SQLKit

/// An assessment as FHIR shows it: its three scale scores (an Observation each) and the zones
/// that had scars (the Condition's body sites). Only what the mapping uses is read: the stored
/// inputs and results (JSON) stay in the database, since an export reads every assessment of
/// the clinic and decoding them was a fifth of its time (issue 15).
public struct FHIRAssessment: Sendable, Equatable {
    /// One stored scale score: the scale, the version it was computed with, its total.
    public struct Score: Sendable, Equatable {
        public var scaleId: String
        public var version: String
        public var total: Int
    }

    public var id: UUID
    public var patientId: UUID
    public var raterId: UUID
    public var assessedOn: CalendarDate
    public var createdAt: Date
    /// The zones with at least one scar, in the order stored (the mapping orders them).
    public var scarredZones: [FacialZone]
    /// Goodman–Baron qualitative, Goodman–Baron quantitative, ECCA: the Observations' order.
    public var scores: [Score]
}

/// A session as FHIR shows it (its Procedure and Provenances): the chart as first charted and
/// the chart now in force (the last amendment's, else the same), each read only for the fields
/// the mapping uses; warnings, checklist and the rest of the stored charts are not decoded.
public struct FHIRSession: Sendable, Equatable {
    /// What the Procedure and Provenances show of a stored chart (`SessionChart`'s own keys;
    /// the other keys of the stored JSON are skipped).
    public struct Chart: Sendable, Equatable, Decodable {
        public struct Zone: Sendable, Equatable, Decodable {
            public var zone: FacialZone
            public var depthMm: Double
            public var passes: Int
            public var endpoint: Endpoint
        }

        public var performedOn: CalendarDate
        public var modality: Modality
        public var deviceId: UUID
        public var cartridgeLotId: UUID?
        public var zones: [Zone]
    }

    /// An amendment's Provenance: who, when, why, and the day its chart says it was performed.
    public struct Amendment: Sendable, Equatable {
        public var id: UUID
        public var authorId: UUID
        public var authorName: String
        public var at: Date
        public var reason: String
        public var performedOn: CalendarDate
    }

    public var id: UUID
    public var patientId: UUID
    public var status: SessionRecord.Status
    public var planVersionId: UUID?
    public var practitionerId: UUID
    public var practitionerName: String
    public var createdAt: Date
    public var updatedAt: Date
    public var signedAt: Date?
    public var signedByName: String?
    public var signedById: UUID?
    public var version: Int
    /// The chart as charted (and signed).
    public var chart: Chart
    /// `SessionRecord.currentChart`: the last amendment's chart, else `chart`.
    public var currentChart: Chart
    /// Oldest first.
    public var amendments: [Amendment]
}

extension FHIRReadRepository {
    /// The assessments of a page of patients in one statement (the three stored scores joined by
    /// scale) and their scarred zones in another; no stored JSON is read.
    static func assessments(patientIds: [UUID], clinicId: UUID, on sql: any SQLDatabase) async throws -> [UUID: [FHIRAssessment]] {
        let scales = [GoodmanBaronQualitative.id, GoodmanBaronQuantitative.id, ECCA.id]
        let rows = try await sql.raw("""
            SELECT a.id, a.patient_id, a.rater_id, a.assessed_on, a.created_at,
                   l.scale_version AS l_version, l.total AS l_total, q.scale_version AS q_version, q.total AS q_total,
                   e.scale_version AS e_version, e.total AS e_total
            FROM scar_assessments a
            LEFT JOIN scar_assessment_scores l ON l.assessment_id = a.id AND l.scale_id = \(bind: scales[0])
            LEFT JOIN scar_assessment_scores q ON q.assessment_id = a.id AND q.scale_id = \(bind: scales[1])
            LEFT JOIN scar_assessment_scores e ON e.assessment_id = a.id AND e.scale_id = \(bind: scales[2])
            WHERE a.clinic_id = \(bind: clinicId) AND \(among("a.patient_id", patientIds)) ORDER BY a.assessed_on, a.created_at, a.id
            """).all()
        // The same sum as `ZoneFinding.total`, over the six scar types' columns.
        let total = ScarType.allCases.map { "z." + $0.rawValue.replacingOccurrences(of: "-", with: "_") }.joined(separator: " + ")
        var zonesById: [UUID: [FacialZone]] = [:]
        for row in try await sql.raw("""
            SELECT z.assessment_id, z.zone FROM scar_assessment_zones z JOIN scar_assessments a ON a.id = z.assessment_id
            WHERE a.clinic_id = \(bind: clinicId) AND \(among("a.patient_id", patientIds)) AND \(unsafeRaw: total) > 0
            """).all() {
            let name = try row.decode(column: "zone", as: String.self)
            guard let zone = FacialZone(rawValue: name) else { throw StoreError.configuration("Unknown zone \(name) in storage") }
            zonesById[try row.decode(column: "assessment_id", as: UUID.self), default: []].append(zone)
        }
        return try byPatient(rows) { row in
            let id = try row.decode(column: "id", as: UUID.self)
            let dateText = try row.decode(column: "assessed_on", as: String.self)
            guard let assessedOn = CalendarDate(dateText) else { throw StoreError.configuration("Bad stored date \(dateText)") }
            let scores = try zip(scales, ["l", "q", "e"]).map { scale, alias in
                guard let version = try row.decode(column: alias + "_version", as: String?.self),
                      let total = try row.decode(column: alias + "_total", as: Int?.self) else {
                    throw StoreError.configuration("Assessment \(id) has no stored \(scale) score")
                }
                return FHIRAssessment.Score(scaleId: scale, version: version, total: total)
            }
            return FHIRAssessment(id: id, patientId: try row.decode(column: "patient_id", as: UUID.self),
                                  raterId: try row.decode(column: "rater_id", as: UUID.self), assessedOn: assessedOn,
                                  createdAt: try row.decode(column: "created_at", as: Date.self),
                                  scarredZones: zonesById[id] ?? [], scores: scores)
        }
    }

    /// The sessions of a page of patients and, in a second statement, their amendments: the
    /// columns the Procedure and Provenances show, and from each stored chart only `FHIRSession.Chart`.
    static func sessions(patientIds: [UUID], clinicId: UUID, on sql: any SQLDatabase) async throws -> [UUID: [FHIRSession]] {
        let decoder = JSONDecoder()
        func chart(_ row: any SQLRow, _ column: String) throws -> FHIRSession.Chart {
            try decoder.decode(FHIRSession.Chart.self, from: Data(try row.decode(column: column, as: String.self).utf8))
        }
        let rows = try await sql.raw("""
            SELECT t.id, t.patient_id, t.status, t.chart, t.plan_version_id, t.practitioner_id, p.display_name AS practitioner_name,
                   t.created_at, t.updated_at, t.signed_at, s.display_name AS signer_name, t.signed_by, t.version
            FROM treatment_sessions t JOIN staff_users p ON p.id = t.practitioner_id
            LEFT JOIN staff_users s ON s.id = t.signed_by
            WHERE t.clinic_id = \(bind: clinicId) AND \(among("t.patient_id", patientIds)) ORDER BY t.id
            """).all()
        // Oldest first per session, as `SessionRepository.amendments` reads them; the last one's chart is the current one.
        var amendments: [UUID: [(FHIRSession.Amendment, FHIRSession.Chart)]] = [:]
        if !rows.isEmpty {
            for row in try await sql.raw("""
                SELECT a.id, a.session_id, a.author_id, s.display_name AS author_name, a.at, a.reason, a.after_json
                FROM session_amendments a JOIN staff_users s ON s.id = a.author_id
                JOIN treatment_sessions t ON t.id = a.session_id
                WHERE t.clinic_id = \(bind: clinicId) AND \(among("t.patient_id", patientIds)) ORDER BY a.at, a.id
                """).all() {
                let after = try chart(row, "after_json")
                amendments[try row.decode(column: "session_id", as: UUID.self), default: []].append((FHIRSession.Amendment(
                    id: try row.decode(column: "id", as: UUID.self), authorId: try row.decode(column: "author_id", as: UUID.self),
                    authorName: try row.decode(column: "author_name", as: String.self), at: try row.decode(column: "at", as: Date.self),
                    reason: try row.decode(column: "reason", as: String.self), performedOn: after.performedOn), after))
            }
        }
        return try byPatient(rows) { row in
            let id = try row.decode(column: "id", as: UUID.self)
            let charted = try chart(row, "chart")
            let amended = amendments[id] ?? []
            return FHIRSession(
                id: id, patientId: try row.decode(column: "patient_id", as: UUID.self),
                status: SessionRecord.Status(rawValue: try row.decode(column: "status", as: String.self)) ?? .draft,
                planVersionId: try row.decode(column: "plan_version_id", as: UUID?.self),
                practitionerId: try row.decode(column: "practitioner_id", as: UUID.self),
                practitionerName: try row.decode(column: "practitioner_name", as: String.self),
                createdAt: try row.decode(column: "created_at", as: Date.self), updatedAt: try row.decode(column: "updated_at", as: Date.self),
                signedAt: try row.decode(column: "signed_at", as: Date?.self), signedByName: try row.decode(column: "signer_name", as: String?.self),
                signedById: try row.decode(column: "signed_by", as: UUID?.self), version: try row.decode(column: "version", as: Int.self),
                chart: charted, currentChart: amended.last?.1 ?? charted, amendments: amended.map { $0.0 })
        }
    }
}
