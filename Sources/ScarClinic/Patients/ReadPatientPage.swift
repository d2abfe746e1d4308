import Foundation
import ScarCore
import ScarStore

/// What the patient page shows: every card's records, today's screening and the access log.
public struct PatientPageRead: Sendable {
    public var records: PatientPageRecords
    public var screening: CurrentScreening
    /// The newest entries about the patient, this view's own `patient.read` first.
    public var accessLog: [AuditEntry]

    public var patient: Patient { records.patient }
}

/// Reading the patient page (issue 16): one read transaction that reads every card's records
/// with one batched query per kind and the access log; then, in a write transaction shared with
/// other writers' commit, it screens every modality as of the clinic's today (ScarCore), stores
/// those results (once a day per rule-set version, as `ReadScreening` does) and appends **one**
/// `patient.read` entry naming what was shown, which the page's access log shows first. About 20
/// statements, whatever the patient's history.
public struct ReadPatientPage: Sendable {
    /// How many sessions the page lists; the rest are on the paged session list.
    public static let sessionsShown = 10
    /// How many appointments, photos and assessments a card lists; the rest are on their paged lists.
    public static let cardRows = 10
    /// How many access-log entries the page shows.
    public static let accessLogShown = 8

    let database: ScarDatabase
    public init(_ database: ScarDatabase) { self.database = database }

    /// A patient of another clinic is `StoreError.notFound`.
    public func callAsFunction(patientId: UUID, by clinician: Clinician, actor: AuditActor, now: Date) async throws -> PatientPageRead {
        let clinicId = clinician.clinicId
        // The records and the access log in one read transaction on a reader; the writer only
        // appends the view's entry (and stores today's screening the first time it is shown).
        return try await database.look({ tx in
            let records = try await tx.patientPageRecords(patientId: patientId, clinicId: clinicId, sessionLimit: Self.sessionsShown,
                                                          recordLimit: Self.cardRows, screeningDay: clinician.today)
            let log = try await tx.accessLog(patientId: patientId, limit: Self.accessLogShown - 1)
            return (records, log)
        }, record: { tx, seen in
            let (records, log) = seen
            let inputs = records.screening
            var results: [ScreeningResult] = []
            if let intake = inputs.intake {
                results = Modality.allCases.map {
                    Screening.evaluate(intake: intake.intake, modality: $0, asOf: clinician.today, ruleSet: inputs.ruleSet)
                }
                // Stored once a day per rule-set version (a second view racing this one stores nothing:
                // the insert skips results already there).
                if records.screenedOnTheDay < results.count {
                    try await tx.insert(screenings: results, intakeId: intake.id, patientId: patientId, clinicId: clinicId, now: now)
                }
            }
            let own = try await tx.audit(Self.event(records), by: actor, now: now)
            let screening = CurrentScreening(intake: inputs.intake, results: results,
                                             acknowledgements: inputs.intake == nil ? [] : inputs.acknowledgements, ruleSet: inputs.ruleSet)
            return PatientPageRead(records: records, screening: screening, accessLog: [own] + log)
        })
    }

    /// The one entry of a page view: the patient, and which records of each kind were shown.
    static func event(_ r: PatientPageRecords) -> AuditEvent {
        func ids(_ list: [UUID]) -> String { list.map(\.lower).joined(separator: ",") }
        var details: [String: String] = [
            "view": "patient-page",
            "assessments": ids(r.assessments.map(\.id)), "photos": ids(r.photos.map(\.id)),
            "sessions": ids(r.latestSessions.map(\.id)), "sessionCount": String(r.sessionCount),
            "plans": ids(r.plans.map(\.id)), "consents": ids(r.consents.map(\.id)), "adverseEvents": ids(r.adverseEvents.map(\.id)),
            "appointments": String(r.appointments.count), "checkIns": String(r.checkIns.count),
        ]
        if let intake = r.screening.intake { details["intake"] = intake.id.lower }
        return AuditEvent(action: "patient.read", recordType: "patient", recordId: r.patient.id.uuidString, patientId: r.patient.id,
                          details: details)
    }
}
