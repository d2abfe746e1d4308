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

    /// Enrolment and rating refusals that rest on the participant's research consent.
    public enum ConsentRefusal: Error, Sendable, Equatable {
        /// The patient has no signed, unwithdrawn research consent.
        case noResearchConsent
        /// The participant withdrew research consent: no new data is collected.
        case withdrawn(code: String)
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
        try await db.read { sql in
            guard let row = try await sql.raw("SELECT \(unsafeRaw: Self.studyColumns) FROM studies s WHERE s.id = \(bind: id) AND s.clinic_id = \(bind: clinicId)").first()
            else { throw StoreError.notFound }
            return try Self.decodeStudy(row)
        }
    }

    /// Enrols a patient of the same clinic; refuses a second enrolment and enrolment past the target.
    /// Enrolment rests on the patient's signed research consent, looked up in the same transaction.
    public func enrol(studyId: UUID, patientId: UUID, clinicId: UUID, by actor: AuditActor,
                      now: Date = Date()) async throws -> Participant {
        let engine = db.engine
        return try await db.write { sql in
            if engine == .postgres {
                // Numbers are handed out in order: one enrolment at a time per study.
                try await sql.raw("SELECT id FROM studies WHERE id = \(bind: studyId) FOR UPDATE").run()
            }
            guard let row = try await sql.raw("SELECT \(unsafeRaw: Self.studyColumns) FROM studies s WHERE s.id = \(bind: studyId) AND s.clinic_id = \(bind: clinicId)").first()
            else { throw StoreError.notFound }
            let study = try Self.decodeStudy(row)
            try await PatientScope.require(patientId, clinicId: clinicId, on: sql)
            guard let consentRow = try await sql.raw("""
                SELECT c.id FROM consents c WHERE c.clinic_id = \(bind: clinicId) AND c.patient_id = \(bind: patientId) AND c.kind = 'research'
                AND NOT EXISTS (SELECT 1 FROM consent_withdrawals w WHERE w.consent_id = c.id) ORDER BY c.signed_at DESC
                """).first() else { throw ConsentRefusal.noResearchConsent }
            let researchConsent = try consentRow.decode(column: "id", as: UUID.self).lower
            guard study.enrolled < study.design.targetEnrolment else { throw StoreError.duplicate(field: "targetEnrolment") }
            let number = study.enrolled + 1
            let side = SplitFaceRandomization.armASide(seed: study.seed, participant: number, blockSizes: study.design.blockSizes)
            let participant = Participant(id: UUID(), patientId: patientId, number: number, code: String(format: "P-%03d", number),
                                          armASide: side, researchConsent: researchConsent, enrolledAt: now)
            try await sql.raw("""
                INSERT INTO study_participants (id, study_id, patient_id, number, code, arm_a_side, research_consent, enrolled_at, enrolled_by)
                VALUES (\(bind: participant.id), \(bind: studyId), \(bind: patientId), \(bind: number), \(bind: participant.code),
                        \(bind: side.rawValue), \(bind: researchConsent), \(bind: now), \(bind: actor.userId))
                """).run()
            try await AuditTrail.append(AuditEvent(action: "study.enrol", recordType: "study", recordId: studyId.uuidString, patientId: patientId,
                                                   details: ["participant": participant.code, "researchConsent": researchConsent]), by: actor, engine: engine, on: sql, now: now)
            return participant
        }
    }

    public func participants(studyId: UUID, clinicId: UUID) async throws -> [Participant] {
        try await db.read { sql in
            try await sql.raw("""
                SELECT p.id, p.patient_id, p.number, p.code, p.arm_a_side, p.research_consent, p.enrolled_at,
                  \(unsafeRaw: Self.validConsents(.research)) AS valid_consents
                FROM study_participants p JOIN studies s ON s.id = p.study_id
                WHERE p.study_id = \(bind: studyId) AND s.clinic_id = \(bind: clinicId) ORDER BY p.number
                """).all().map { row in
                Participant(id: try row.decode(column: "id", as: UUID.self), patientId: try row.decode(column: "patient_id", as: UUID.self),
                            number: try row.decode(column: "number", as: Int.self), code: try row.decode(column: "code", as: String.self),
                            armASide: FaceSide(rawValue: try row.decode(column: "arm_a_side", as: String.self)) ?? .left,
                            researchConsent: try row.decode(column: "research_consent", as: String.self),
                            enrolledAt: try row.decode(column: "enrolled_at", as: Date.self),
                            consentValid: try row.decode(column: "valid_consents", as: Int.self) > 0)
            }
        }
    }

    /// One cell of the rating grid: a participant's side at a time point, and the value given.
    public struct Rating: Sendable, Equatable {
        public var participantCode: String
        public var timePoint: String
        public var side: FaceSide
        public var value: Double
        public init(participantCode: String, timePoint: String, side: FaceSide, value: Double) {
            (self.participantCode, self.timePoint, self.side, self.value) = (participantCode, timePoint, side, value)
        }
    }

    /// A submission refused because some of its cells already hold a rating (ratings are never
    /// overwritten). Nothing of the submission was saved.
    public struct AlreadyRated: Error, Sendable, Equatable {
        public var cells: [Rating]
    }

    /// Records (or replaces nothing: one rating per participant, time point and side) a rating.
    public func rate(studyId: UUID, participantCode: String, timePoint: String, side: FaceSide, value: Double, clinicId: UUID,
                     by actor: AuditActor, now: Date = Date()) async throws {
        try await rate(studyId: studyId, ratings: [Rating(participantCode: participantCode, timePoint: timePoint, side: side, value: value)],
                       clinicId: clinicId, by: actor, now: now)
    }

    /// Records a whole submission in one transaction: every cell is saved, or none is. Refuses
    /// with `AlreadyRated` naming every cell that already has a rating, `ConsentRefusal.withdrawn`
    /// for a participant who withdrew research consent, `StoreError.notFound` for an unknown
    /// participant, and (a rating saved concurrently between check and insert) `StoreError.duplicate`.
    public func rate(studyId: UUID, ratings: [Rating], clinicId: UUID, by actor: AuditActor, now: Date = Date()) async throws {
        guard !ratings.isEmpty else { return }
        let engine = db.engine
        try await db.write { sql in
            var participants: [String: (id: UUID, patientId: UUID)] = [:]
            for code in Set(ratings.map(\.participantCode)).sorted() {
                guard let row = try await sql.raw("""
                    SELECT p.id, p.patient_id,
                      \(unsafeRaw: Self.validConsents(.research)) AS valid_consents
                    FROM study_participants p JOIN studies s ON s.id = p.study_id
                    WHERE p.study_id = \(bind: studyId) AND s.clinic_id = \(bind: clinicId) AND p.code = \(bind: code)
                    """).first() else { throw StoreError.notFound }
                // Withdrawal of research consent stops further data collection; what was rated stays.
                guard try row.decode(column: "valid_consents", as: Int.self) > 0 else { throw ConsentRefusal.withdrawn(code: code) }
                participants[code] = (try row.decode(column: "id", as: UUID.self), try row.decode(column: "patient_id", as: UUID.self))
            }
            // Every cell is checked before any is written, so a refusal names all conflicts and saves nothing.
            let ids = SQLList(participants.values.map { SQLBind($0.id) })
            let taken = Set(try await sql.raw("""
                SELECT p.code, m.time_point, m.side FROM study_measurements m JOIN study_participants p ON p.id = m.participant_id
                WHERE m.study_id = \(bind: studyId) AND m.participant_id IN (\(ids))
                """).all().map { row in
                "\(try row.decode(column: "code", as: String.self))|\(try row.decode(column: "time_point", as: String.self))|\(try row.decode(column: "side", as: String.self))"
            })
            let conflicts = ratings.filter { taken.contains("\($0.participantCode)|\($0.timePoint)|\($0.side.rawValue)") }
            if !conflicts.isEmpty { throw AlreadyRated(cells: conflicts) }
            for r in ratings {
                let participant = participants[r.participantCode]!
                try await sql.raw("""
                    INSERT INTO study_measurements (id, study_id, participant_id, time_point, side, value, rater_id, rated_at)
                    VALUES (\(bind: UUID()), \(bind: studyId), \(bind: participant.id), \(bind: r.timePoint), \(bind: r.side.rawValue), \(bind: r.value),
                            \(bind: actor.userId), \(bind: now))
                    """).run()
                try await AuditTrail.append(AuditEvent(action: "study.rate", recordType: "study", recordId: studyId.uuidString,
                                                       patientId: participant.patientId,
                                                       details: ["participant": r.participantCode, "timePoint": r.timePoint, "side": r.side.rawValue]),
                                            by: actor, engine: engine, on: sql, now: now)
            }
        }
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
            let enrolled = CalendarDate(ISODate.utc(try row.decode(column: "enrolled_at", as: Date.self)).description) ?? captured
            photos.append(RatingPhoto(id: id, participantCode: code, view: view, daysFromEnrolment: captured.daysSinceEpoch - enrolled.daysSinceEpoch,
                                      sha256: try row.decode(column: "sha256", as: String.self),
                                      mediaType: try row.decode(column: "media_type", as: String.self),
                                      patientId: try row.decode(column: "patient_id", as: UUID.self)))
        }
        return (photos, withheld)
    }
}
