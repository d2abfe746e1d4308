import Foundation
import ScarCore
import SQLKit

/// What the FHIR read API shows of one clinic that is not patient data: the clinic, its staff,
/// rooms, devices and cartridge lots. Read without an audit entry, like the REST lists of them.
public struct FHIRClinicDirectory: Sendable {
    public var clinic: Clinic
    public var staff: [StaffUser]
    public var rooms: [Room]
    public var devices: [Device]
    /// Cartridge lots only: they are the `Device` a procedure used; other lots are not served yet.
    public var cartridgeLots: [Lot]
    /// When the clinic, each member of staff and each room was added (they keep no update time).
    public var created: [UUID: Date]
    /// The ACNE-Q items the clinic typed from its licensed copy (portal settings); none: nothing configured.
    public var outcomeSetup = FollowUpQuestions.Setup(version: "", items: [])
    /// Each instrument and version the clinic has recorded answers for: the Questionnaires they answer.
    public var outcomeForms: [FHIRReportedOutcomeForm] = []
    /// The clinic's split-face studies (ResearchStudy).
    public var studies: [StudyRepository.Study] = []
}

/// One intake as FHIR shows it: the Fitzpatrick type recorded on a day.
public struct FHIRIntake: Sendable, Equatable {
    public var id: UUID
    public var recordedOn: String
    public var recordedAt: Date
    public var recordedBy: UUID?
    public var fitzpatrick: Int?
    /// The whole intake as recorded (its QuestionnaireResponse); nil when it no longer decodes.
    public var answers: Intake? = nil
    /// `clinic` (staff typed it) or `portal` (the patient filled it in).
    public var enteredVia = "clinic"
}

/// Everything the FHIR read API shows of one patient, read in one transaction so a resource
/// and the ones it references agree.
public struct FHIRPatientChart: Sendable {
    public var patient: Patient
    public var assessments: [FHIRAssessment]
    public var intakes: [FHIRIntake]
    /// Signed sessions and drafts still being charted.
    public var sessions: [FHIRSession]
    public var consents: [ConsentRepository.SignedConsent]
    public var adverseEvents: [FHIRAdverseEventRow]
    public var appointments: [Appointment]
    public var plans: [TreatmentPlan]
    /// Patient-reported outcomes (their QuestionnaireResponses).
    public var reportedOutcomes: [FHIRReportedOutcome] = []
    /// Clinical photos (their Media; the bytes are a Binary read on its own).
    public var photos: [Photo] = []
    /// The patient's study enrolments (ResearchSubject).
    public var studyParticipations: [FHIRStudyParticipation] = []
}

/// An adverse event with who reported it and when it last changed.
public struct FHIRAdverseEventRow: Sendable {
    public var record: AdverseEventRepository.Record
    public var reportedById: UUID
    public var updatedAt: Date
}

/// Which patient-owned table a FHIR id points into.
public enum FHIRRecordKind: String, Sendable, CaseIterable {
    case assessment, intake, session, consent, adverseEvent, appointment, plan
    /// A QuestionnaireResponse: an intake's id or a patient-reported outcome's id.
    case questionnaireResponse
    /// A clinical photo (its Media).
    case photo
    /// A study enrolment (its ResearchSubject).
    case researchSubject
    /// A Provenance: a session's id (its charting and signing) or one of its amendments' ids.
    case provenance

    var table: String {
        switch self {
        case .provenance:
            """
            (SELECT id, clinic_id, patient_id FROM treatment_sessions
             UNION ALL SELECT a.id, a.clinic_id, t.patient_id FROM session_amendments a JOIN treatment_sessions t ON t.id = a.session_id) AS provenance
            """
        case .questionnaireResponse:
            "(SELECT id, clinic_id, patient_id FROM intakes UNION ALL SELECT id, clinic_id, patient_id FROM patient_reported_outcomes) AS responses"
        case .photo: "photos"
        case .researchSubject: "(SELECT p.id, s.clinic_id, p.patient_id FROM study_participants p JOIN studies s ON s.id = p.study_id) AS subjects"
        case .assessment: "scar_assessments"
        case .intake: "intakes"
        case .session: "treatment_sessions"
        case .consent: "consents"
        case .adverseEvent: "adverse_events"
        case .appointment: "appointments"
        case .plan: "treatment_plans"
        }
    }
}

/// The patient search of the FHIR API (`GET /fhir/Patient`): each filter optional.
public struct FHIRPatientFilter: Sendable, Equatable {
    public enum Comparison: String, Sendable { case eq = "=", lt = "<", le = "<=", gt = ">", ge = ">=" }
    /// Lower-cased; matches the start of the given or the family name.
    public var name: String?
    public var identifier: String?
    public var birthDate: (Comparison, String)?
    /// `_lastUpdated`: each a bound on `updated_at` (all must hold).
    public var lastUpdated: [(Comparison, Date)] = []

    public init(name: String? = nil, identifier: String? = nil, birthDate: (Comparison, String)? = nil) {
        self.name = name
        self.identifier = identifier
        self.birthDate = birthDate
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.name == b.name && a.identifier == b.identifier && a.birthDate?.0 == b.birthDate?.0 && a.birthDate?.1 == b.birthDate?.1
            && a.lastUpdated.map { "\($0.0.rawValue)\($0.1.timeIntervalSince1970)" } == b.lastUpdated.map { "\($0.0.rawValue)\($0.1.timeIntervalSince1970)" }
    }
}

/// The order of a patient search (`_sort`): a column, then the id; pages continue after a patient
/// (keyset on the column and the id, never an offset).
public struct FHIRPatientOrder: Sendable, Equatable {
    public enum Column: String, Sendable { case id, updatedAt = "updated_at", birthDate = "date_of_birth" }
    public var column: Column
    public var descending: Bool
    public init(_ column: Column = .id, descending: Bool = false) {
        self.column = column
        self.descending = descending
    }

    func sql(after: UUID?) -> (page: SQLQueryString, order: SQLQueryString) {
        let (op, dir) = descending ? ("<", "DESC") : (">", "ASC")
        let order: SQLQueryString = column == .id ? "ORDER BY id \(unsafeRaw: dir)" : "ORDER BY \(unsafeRaw: column.rawValue) \(unsafeRaw: dir), id \(unsafeRaw: dir)"
        guard let after else { return ("", order) }
        if column == .id { return ("AND id \(unsafeRaw: op) \(bind: after)", order) }
        // After the patient the last page ended with, by its value now (exact, whatever the column's precision).
        let c = column.rawValue
        return ("""
            AND (\(unsafeRaw: c) \(unsafeRaw: op) (SELECT \(unsafeRaw: c) FROM patients WHERE id = \(bind: after))
                 OR (\(unsafeRaw: c) = (SELECT \(unsafeRaw: c) FROM patients WHERE id = \(bind: after)) AND id \(unsafeRaw: op) \(bind: after)))
            """, order)
    }
}

/// The reads behind `/fhir`. Patient data is read inside a write transaction that appends its
/// audit entry, exactly as the REST reads do; another clinic's ids are simply not found.
public struct FHIRReadRepository: Sendable {
    let db: ScarDatabase
    public init(_ db: ScarDatabase) { self.db = db }

    public func directory(clinicId: UUID) async throws -> FHIRClinicDirectory {
        try await db.read { sql in try await Self.directory(clinicId: clinicId, on: sql) }
    }

    static func directory(clinicId: UUID, on sql: any SQLDatabase) async throws -> FHIRClinicDirectory {
        guard let clinic = try await sql.raw("SELECT id, name, time_zone, created_at FROM clinics WHERE id = \(bind: clinicId)").first() else {
            throw StoreError.notFound
        }
        let staff = try await sql.raw("""
            SELECT \(unsafeRaw: StaffRepository.userColumns) FROM staff_users WHERE clinic_id = \(bind: clinicId) ORDER BY id
            """).all().map { try $0.decode(model: StaffRepository.UserRow.self, keyDecodingStrategy: .convertFromSnakeCase).user }
        var created: [UUID: Date] = [try clinic.decode(column: "id", as: UUID.self): try clinic.decode(column: "created_at", as: Date.self)]
        for row in try await sql.raw("SELECT id, created_at FROM staff_users WHERE clinic_id = \(bind: clinicId)").all()
            + (try await sql.raw("SELECT id, created_at FROM rooms WHERE clinic_id = \(bind: clinicId)").all()) {
            created[try row.decode(column: "id", as: UUID.self)] = try row.decode(column: "created_at", as: Date.self)
        }
        let rooms = try await sql.raw("SELECT id, name, active, version FROM rooms WHERE clinic_id = \(bind: clinicId) ORDER BY id").all().map {
            Room(id: try $0.decode(column: "id", as: UUID.self), name: try $0.decode(column: "name", as: String.self),
                 active: try $0.decode(column: "active", as: Bool.self), version: try $0.decode(column: "version", as: Int.self))
        }
        let devices = try await sql.raw("SELECT \(unsafeRaw: DeviceLotRepository.deviceColumns) FROM devices WHERE clinic_id = \(bind: clinicId) ORDER BY id")
            .all().map(DeviceLotRepository.device)
        let lots = try await sql.raw("""
            SELECT \(unsafeRaw: DeviceLotRepository.lotColumns) FROM consumable_lots WHERE clinic_id = \(bind: clinicId) AND kind = 'cartridge' ORDER BY id
            """).all().map(DeviceLotRepository.lot)
        return FHIRClinicDirectory(
            clinic: Clinic(id: try clinic.decode(column: "id", as: UUID.self), name: try clinic.decode(column: "name", as: String.self),
                           timeZone: try clinic.decode(column: "time_zone", as: String.self)),
            staff: staff.compactMap { $0 }, rooms: rooms, devices: devices, cartridgeLots: lots, created: created,
            outcomeSetup: try await outcomeSetup(clinicId: clinicId, on: sql), outcomeForms: try await outcomeForms(clinicId: clinicId, on: sql),
            studies: try await studies(clinicId: clinicId, on: sql))
    }

    /// The patient a record of this clinic belongs to; nil when there is no such record here.
    public func owner(of kind: FHIRRecordKind, id: UUID, clinicId: UUID) async throws -> UUID? {
        try await db.read { sql in
            try await sql.raw("""
                SELECT patient_id FROM \(unsafeRaw: kind.table) WHERE id = \(bind: id) AND clinic_id = \(bind: clinicId)
                """).first()?.decode(column: "patient_id", as: UUID.self)
        }
    }

    /// Everything of one patient, with one audit entry (`action`, e.g. `fhir.read`) naming what was asked for.
    public func chart(patientId: UUID, clinicId: UUID, by actor: AuditActor, action: String, details: [String: String]) async throws -> FHIRPatientChart {
        let engine = db.engine
        return try await db.write { sql in
            let chart = try await Self.chart(patientId: patientId, clinicId: clinicId, on: sql)
            try await AuditTrail.append(AuditEvent(action: action, recordType: "patient", recordId: patientId.uuidString, patientId: patientId,
                                                   details: details),
                                        by: actor, engine: engine, on: sql)
            return chart
        }
    }

    /// One page of the clinic's patients after `after` (a cursor in `order`, never an offset), with
    /// the total that match, and with `charts` the charts of the first `limit - 1` (the page shown;
    /// for `_revinclude`). Audited as one search listing the ids shown.
    public func searchPatients(_ filter: FHIRPatientFilter, clinicId: UUID, after: UUID?, limit: Int, order: FHIRPatientOrder = .init(),
                               charts: Bool = false,
                               by actor: AuditActor) async throws -> (patients: [Patient], total: Int, charts: [FHIRPatientChart]) {
        let engine = db.engine
        return try await db.write { sql in
            var conditions: [SQLQueryString] = ["clinic_id = \(bind: clinicId)"]
            if let name = filter.name {
                let escaped = Self.likeEscaped(name)
                conditions.append("(search_name LIKE \(bind: escaped + "%") ESCAPE '\\' OR search_name LIKE \(bind: "% " + escaped + "%") ESCAPE '\\')")
            }
            if let identifier = filter.identifier { conditions.append("mrn = \(bind: identifier)") }
            if let birth = filter.birthDate { conditions.append("date_of_birth \(unsafeRaw: birth.0.rawValue) \(bind: birth.1)") }
            for bound in filter.lastUpdated { conditions.append("updated_at \(unsafeRaw: bound.0.rawValue) \(bind: bound.1)") }
            let matching = conditions.joined(separator: " AND ")
            let total = try await sql.raw("SELECT COUNT(*) AS n FROM patients WHERE \(matching)").first()!.decode(column: "n", as: Int.self)
            let (page, ordering) = order.sql(after: after)
            let patients = try await sql.raw("""
                SELECT \(unsafeRaw: PatientRepository.columns) FROM patients WHERE \(matching) \(page) \(ordering) LIMIT \(bind: limit)
                """).all().map(PatientRepository.decode)
            let shown = Array(patients.prefix(max(limit - 1, 1)))
            let shownCharts = charts && !shown.isEmpty ? try await Self.charts(patients: shown, clinicId: clinicId, on: sql) : []
            try await AuditTrail.append(AuditEvent(action: "fhir.search", recordType: "patient",
                                                   details: ["results": String(patients.count), "total": String(total),
                                                             "shown": patients.map { $0.id.lower }.joined(separator: ",")]),
                                        by: actor, engine: engine, on: sql)
            return (patients, total, shownCharts)
        }
    }

    /// Everything of one patient of this clinic, without an audit entry: the caller audits.
    static func chart(patientId: UUID, clinicId: UUID, on sql: any SQLDatabase) async throws -> FHIRPatientChart {
        guard let row = try await sql.raw("""
            SELECT \(unsafeRaw: PatientRepository.columns) FROM patients WHERE id = \(bind: patientId) AND clinic_id = \(bind: clinicId)
            """).first() else { throw StoreError.notFound }
        return try await chart(patient: try PatientRepository.decode(row), on: sql)
    }

    /// Everything of one patient (already read), without an audit entry: the caller audits.
    static func chart(patient: Patient, on sql: any SQLDatabase) async throws -> FHIRPatientChart {
        try await charts(patients: [patient], clinicId: patient.clinicId, on: sql)[0]
    }

    static func likeEscaped(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
    }
}
