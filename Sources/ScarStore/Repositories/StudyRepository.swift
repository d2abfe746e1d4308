import Foundation
import ScarCore
import SQLKit

/// Split-face studies of one clinic. Allocation is computed at enrolment from the recorded
/// seed and the participant's number, inside the enrolment transaction: nobody sees a side
/// before the participant is enrolled, and an auditor can recompute every allocation.
public struct StudyRepository: Sendable {
    let db: ScarDatabase
    public init(_ db: ScarDatabase) { self.db = db }

    public struct Study: Sendable, Equatable {
        public var id: UUID
        public var design: StudyDesign
        public var seed: UInt64
        public var createdAt: Date
        public var enrolled: Int
    }

    public struct Participant: Sendable, Equatable {
        public var id: UUID
        public var patientId: UUID
        public var number: Int
        public var code: String
        public var armASide: FaceSide
        /// The id of the signed research consent the enrolment rested on.
        public var researchConsent: String
        public var enrolledAt: Date
        /// False once the patient has no valid (signed, not withdrawn) research consent.
        public var consentValid: Bool = true
    }

    static func json<T: Encodable>(_ v: T) throws -> String { String(decoding: try JSONEncoder().encode(v), as: UTF8.self) }

    public func create(_ design: StudyDesign, seed: UInt64, clinicId: UUID, by actor: AuditActor, now: Date = Date()) async throws -> UUID {
        let engine = db.engine
        let id = UUID()
        let points = try Self.json(design.timePoints), blocks = try Self.json(design.blockSizes)
        try await db.write { sql in
            try await sql.raw("""
                INSERT INTO studies (id, clinic_id, title, protocol, arm_a, arm_b, outcome_scale, time_points, target_enrolment, block_sizes,
                                     seed, created_by, created_at)
                VALUES (\(bind: id), \(bind: clinicId), \(bind: design.title), \(bind: design.protocolSummary), \(bind: design.armA),
                        \(bind: design.armB), \(bind: design.outcomeScale), \(bind: points), \(bind: design.targetEnrolment), \(bind: blocks),
                        \(bind: String(seed)), \(bind: actor.userId), \(bind: now))
                """).run()
            try await AuditTrail.append(AuditEvent(action: "study.create", recordType: "study", recordId: id.uuidString),
                                        by: actor, engine: engine, on: sql, now: now)
        }
        return id
    }

    static func decodeStudy(_ row: any SQLRow) throws -> Study {
        let design = StudyDesign(
            title: try row.decode(column: "title", as: String.self), protocolSummary: try row.decode(column: "protocol", as: String.self),
            armA: try row.decode(column: "arm_a", as: String.self), armB: try row.decode(column: "arm_b", as: String.self),
            outcomeScale: try row.decode(column: "outcome_scale", as: String.self),
            timePoints: try JSONDecoder().decode([String].self, from: Data(try row.decode(column: "time_points", as: String.self).utf8)),
            targetEnrolment: try row.decode(column: "target_enrolment", as: Int.self),
            blockSizes: try JSONDecoder().decode([Int].self, from: Data(try row.decode(column: "block_sizes", as: String.self).utf8)))
        return Study(id: try row.decode(column: "id", as: UUID.self), design: design,
                     seed: UInt64(try row.decode(column: "seed", as: String.self)) ?? 0,
                     createdAt: try row.decode(column: "created_at", as: Date.self), enrolled: try row.decode(column: "enrolled", as: Int.self))
    }

    static let studyColumns = """
        s.id, s.title, s.protocol, s.arm_a, s.arm_b, s.outcome_scale, s.time_points, s.target_enrolment, s.block_sizes, s.seed, s.created_at,
        (SELECT COUNT(*) FROM study_participants p WHERE p.study_id = s.id) AS enrolled
        """

    public func list(clinicId: UUID) async throws -> [Study] {
        try await db.read { sql in
            try await sql.raw("SELECT \(unsafeRaw: Self.studyColumns) FROM studies s WHERE s.clinic_id = \(bind: clinicId) ORDER BY s.created_at DESC")
                .all().map(Self.decodeStudy)
        }
    }

    public func find(id: UUID, clinicId: UUID) async throws -> Study {
        try await db.read { sql in try await Self.load(id: id, clinicId: clinicId, on: sql) }
    }

    static func load(id: UUID, clinicId: UUID, on sql: any SQLDatabase) async throws -> Study {
        guard let row = try await sql.raw("SELECT \(unsafeRaw: Self.studyColumns) FROM studies s WHERE s.id = \(bind: id) AND s.clinic_id = \(bind: clinicId)").first()
        else { throw StoreError.notFound }
        return try Self.decodeStudy(row)
    }

    /// The study, held until the transaction ends on PostgreSQL so participant numbers are handed
    /// out in order (one enrolment at a time per study; SQLite serializes writes already).
    static func lock(studyId: UUID, clinicId: UUID, engine: Engine, on sql: any SQLDatabase) async throws -> Study {
        if engine == .postgres {
            try await sql.raw("SELECT id FROM studies WHERE id = \(bind: studyId) FOR UPDATE").run()
        }
        return try await load(id: studyId, clinicId: clinicId, on: sql)
    }

    /// The id of the patient's newest signed, unwithdrawn research consent, if any.
    static func researchConsent(patientId: UUID, clinicId: UUID, on sql: any SQLDatabase) async throws -> UUID? {
        try await sql.raw("""
            SELECT c.id FROM consents c WHERE c.clinic_id = \(bind: clinicId) AND c.patient_id = \(bind: patientId) AND c.kind = 'research'
            AND NOT EXISTS (SELECT 1 FROM consent_withdrawals w WHERE w.consent_id = c.id) ORDER BY c.signed_at DESC
            """).first()?.decode(column: "id", as: UUID.self)
    }

    /// Stores a participant; a second enrolment of the patient is `StoreError.duplicate`.
    static func insert(_ participant: Participant, studyId: UUID, enrolledBy: UUID?, on sql: any SQLDatabase) async throws {
        try await sql.raw("""
            INSERT INTO study_participants (id, study_id, patient_id, number, code, arm_a_side, research_consent, enrolled_at, enrolled_by)
            VALUES (\(bind: participant.id), \(bind: studyId), \(bind: participant.patientId), \(bind: participant.number),
                    \(bind: participant.code), \(bind: participant.armASide.rawValue), \(bind: participant.researchConsent),
                    \(bind: participant.enrolledAt), \(bind: enrolledBy))
            """).run()
    }

    public func participants(studyId: UUID, clinicId: UUID) async throws -> [Participant] {
        try await db.read { sql in try await Self.participants(studyId: studyId, clinicId: clinicId, on: sql) }
    }

    static func participants(studyId: UUID, clinicId: UUID, on sql: any SQLDatabase) async throws -> [Participant] {
        try await sql.raw("""
            SELECT p.id, p.patient_id, p.number, p.code, p.arm_a_side, p.research_consent, p.enrolled_at,
              \(unsafeRaw: Self.validConsents(.research)) AS valid_consents
            FROM study_participants p JOIN studies s ON s.id = p.study_id
            WHERE p.study_id = \(bind: studyId) AND s.clinic_id = \(bind: clinicId) ORDER BY p.number
            """).all().map(Self.participant)
    }

    /// A participant row (with `valid_consents`, see `validConsents`).
    static func participant(_ row: any SQLRow) throws -> Participant {
        Participant(id: try row.decode(column: "id", as: UUID.self), patientId: try row.decode(column: "patient_id", as: UUID.self),
                    number: try row.decode(column: "number", as: Int.self), code: try row.decode(column: "code", as: String.self),
                    armASide: FaceSide(rawValue: try row.decode(column: "arm_a_side", as: String.self)) ?? .left,
                    researchConsent: try row.decode(column: "research_consent", as: String.self),
                    enrolledAt: try row.decode(column: "enrolled_at", as: Date.self),
                    consentValid: try row.decode(column: "valid_consents", as: Int.self) > 0)
    }

    /// One cell of the rating grid (ScarCore's `SideRating`).
    public typealias Rating = SideRating

    /// A participant as a rating needs them: row id, patient and whether research consent still holds.
    public struct RatedParticipant: Sendable {
        public var id: UUID
        public var patientId: UUID
        public var consentValid: Bool
    }

    /// The participants with these codes, by code; an unknown code is `StoreError.notFound`.
    static func ratedParticipants(studyId: UUID, codes: Set<String>, clinicId: UUID, on sql: any SQLDatabase) async throws
        -> [String: RatedParticipant] {
        var participants: [String: RatedParticipant] = [:]
        for code in codes.sorted() {
            guard let row = try await sql.raw("""
                SELECT p.id, p.patient_id,
                  \(unsafeRaw: Self.validConsents(.research)) AS valid_consents
                FROM study_participants p JOIN studies s ON s.id = p.study_id
                WHERE p.study_id = \(bind: studyId) AND s.clinic_id = \(bind: clinicId) AND p.code = \(bind: code)
                """).first() else { throw StoreError.notFound }
            participants[code] = RatedParticipant(id: try row.decode(column: "id", as: UUID.self),
                                                  patientId: try row.decode(column: "patient_id", as: UUID.self),
                                                  consentValid: try row.decode(column: "valid_consents", as: Int.self) > 0)
        }
        return participants
    }

    /// The cells (`SideRating.cell`) of these participants that already hold a rating.
    static func ratedCells(studyId: UUID, participantIds: [UUID], on sql: any SQLDatabase) async throws -> Set<String> {
        guard !participantIds.isEmpty else { return [] }
        let ids = SQLList(participantIds.map { SQLBind($0) })
        return Set(try await sql.raw("""
            SELECT p.code, m.time_point, m.side FROM study_measurements m JOIN study_participants p ON p.id = m.participant_id
            WHERE m.study_id = \(bind: studyId) AND m.participant_id IN (\(ids))
            """).all().map { row in
            "\(try row.decode(column: "code", as: String.self))|\(try row.decode(column: "time_point", as: String.self))|\(try row.decode(column: "side", as: String.self))"
        })
    }

    /// Stores one rating; a cell rated concurrently is `StoreError.duplicate`.
    static func insert(_ r: SideRating, studyId: UUID, participantId: UUID, raterId: UUID?, now: Date, on sql: any SQLDatabase) async throws {
        try await sql.raw("""
            INSERT INTO study_measurements (id, study_id, participant_id, time_point, side, value, rater_id, rated_at)
            VALUES (\(bind: UUID()), \(bind: studyId), \(bind: participantId), \(bind: r.timePoint), \(bind: r.side.rawValue), \(bind: r.value),
                    \(bind: raterId), \(bind: now))
            """).run()
    }

    public func measurements(studyId: UUID, clinicId: UUID) async throws -> [SideMeasurement] {
        try await db.read { sql in
            try await sql.raw("""
                SELECT p.number, m.time_point, m.side, m.value FROM study_measurements m
                JOIN study_participants p ON p.id = m.participant_id JOIN studies s ON s.id = m.study_id
                WHERE m.study_id = \(bind: studyId) AND s.clinic_id = \(bind: clinicId)
                """).all().compactMap { row in
                guard let side = FaceSide(rawValue: try row.decode(column: "side", as: String.self)) else { return nil }
                return SideMeasurement(participant: try row.decode(column: "number", as: Int.self),
                                       timePoint: try row.decode(column: "time_point", as: String.self), side: side,
                                       value: try row.decode(column: "value", as: Double.self))
            }
        }
    }

    // MARK: Photos for blinded grading

    /// A photo a rater may grade: identified by participant code and view only, dated in days
    /// from enrolment (no calendar date, no name).
    public struct RatingPhoto: Sendable, Equatable {
        public var id: UUID
        public var participantCode: String
        public var view: PhotoView
        public var daysFromEnrolment: Int
        public var sha256: String
        public var mediaType: String
        /// For the audit entry only; never handed to the rater.
        var patientId: UUID
    }

    /// Every participant's photos that may be used for research now, and for the others the
    /// reason theirs are withheld (photo-use and research consent, `PhotoUsePolicy`).
    public func ratingPhotos(studyId: UUID, clinicId: UUID) async throws -> (photos: [RatingPhoto], withheld: [String: String]) {
        try await db.read { sql in try await Self.ratingPhotos(studyId: studyId, clinicId: clinicId, photoId: nil, on: sql) }
    }

    /// One rating photo, if its participant's consents allow research use; audited as a
    /// photo view for research.
    public func ratingPhoto(studyId: UUID, photoId: UUID, clinicId: UUID, by actor: AuditActor) async throws -> RatingPhoto {
        let engine = db.engine
        return try await db.write { sql in
            guard let photo = try await Self.ratingPhotos(studyId: studyId, clinicId: clinicId, photoId: photoId, on: sql).photos.first
            else { throw StoreError.notFound }
            try await AuditTrail.append(AuditEvent(action: "photo.view", recordType: "photo", recordId: photoId.uuidString,
                                                   patientId: photo.patientId,
                                                   details: ["purpose": PhotoUse.research.rawValue, "study": studyId.lower,
                                                             "participant": photo.participantCode]),
                                        by: actor, engine: engine, on: sql)
            return photo
        }
    }

    /// How many signed, unwithdrawn consents of `kind` the participant `p` of study `s` holds.
    static func validConsents(_ kind: ConsentKind) -> String {
        """
        (SELECT COUNT(*) FROM consents c WHERE c.clinic_id = s.clinic_id AND c.patient_id = p.patient_id AND c.kind = '\(kind.rawValue)'
         AND NOT EXISTS (SELECT 1 FROM consent_withdrawals w WHERE w.consent_id = c.id))
        """
    }

    static func ratingPhotos(studyId: UUID, clinicId: UUID, photoId: UUID?, on sql: any SQLDatabase) async throws
        -> (photos: [RatingPhoto], withheld: [String: String]) {
        let onlyOne: SQLQueryString = photoId.map { "AND ph.id = \(bind: $0)" } ?? ""
        let rows = try await sql.raw("""
            SELECT p.code, p.patient_id, p.enrolled_at, \(unsafeRaw: validConsents(.photoUse)) AS photo_consents,
                   \(unsafeRaw: validConsents(.research)) AS research_consents,
                   ph.id AS photo_id, ph.view, ph.captured_on, ph.sha256, ph.media_type
            FROM study_participants p JOIN studies s ON s.id = p.study_id
            LEFT JOIN photos ph ON ph.patient_id = p.patient_id AND ph.clinic_id = s.clinic_id \(onlyOne)
            WHERE p.study_id = \(bind: studyId) AND s.clinic_id = \(bind: clinicId)
            ORDER BY p.number, ph.captured_on, ph.view
            """).all()
        var photos: [RatingPhoto] = []
        var withheld: [String: String] = [:]
        for row in rows {
            let code = try row.decode(column: "code", as: String.self)
            let consents = PhotoUsePolicy.Consents(photoUse: try row.decode(column: "photo_consents", as: Int.self) > 0,
                                                   research: try row.decode(column: "research_consents", as: Int.self) > 0)
            if let reason = PhotoUsePolicy.refusal(for: .research, consents: consents) {
                withheld[code] = reason
                continue
            }
            guard let id = try row.decode(column: "photo_id", as: UUID?.self),
                  let view = PhotoView(rawValue: try row.decode(column: "view", as: String.self)),
                  let captured = CalendarDate(try row.decode(column: "captured_on", as: String.self)) else { continue }
            let enrolled = CalendarDate(CalendarDate.utc(try row.decode(column: "enrolled_at", as: Date.self)).description) ?? captured
            photos.append(RatingPhoto(id: id, participantCode: code, view: view, daysFromEnrolment: captured.daysSinceEpoch - enrolled.daysSinceEpoch,
                                      sha256: try row.decode(column: "sha256", as: String.self),
                                      mediaType: try row.decode(column: "media_type", as: String.self),
                                      patientId: try row.decode(column: "patient_id", as: UUID.self)))
        }
        return (photos, withheld)
    }
}
