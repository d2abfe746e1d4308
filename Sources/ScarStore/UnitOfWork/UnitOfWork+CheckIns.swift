import Foundation
import ScarCore

/// What the patient's reports between visits read and write inside their one transaction. Not
/// audited here: each use case audits its intent once (`pre-session.answer`, `check-in.create`,
/// `problem-report.create`, `suspected-adverse-event.confirm`, `suspected-adverse-event.dismiss`).
extension UnitOfWork {
    public func latestSignedSession(patientId: UUID, clinicId: UUID) async throws -> CheckInRepository.SignedSession? {
        try await CheckInRepository.latestSignedSession(patientId: patientId, clinicId: clinicId, on: sql)
    }

    public func insert(preSessionAnswers answers: [String: TriStateAnswer], outcome: PreSessionOutcome, id: UUID, appointmentId: UUID,
                       patientId: UUID, clinicId: UUID, now: Date) async throws {
        try await CheckInRepository.insertAnswers(id: id, appointmentId: appointmentId, patientId: patientId, clinicId: clinicId,
                                                  answers: answers, outcome: outcome, now: now, on: sql)
    }

    /// The latest pre-session answers of each appointment that has any.
    public func preSessionAnswers(appointmentIds: [UUID], clinicId: UUID) async throws -> [UUID: CheckInRepository.PreSessionAnswers] {
        try await CheckInRepository.answers(appointmentIds: appointmentIds, clinicId: clinicId, on: sql)
    }

    public func checkInExists(sessionId: UUID, day: Int) async throws -> Bool {
        try await CheckInRepository.checkInExists(sessionId: sessionId, day: day, on: sql)
    }

    public func insert(checkIn answers: CheckInAnswers, evaluation: CheckInEvaluation.Result, id: UUID, sessionId: UUID, day: Int,
                       patientId: UUID, clinicId: UUID, now: Date) async throws {
        try await CheckInRepository.insertCheckIn(id: id, sessionId: sessionId, day: day, answers: answers, evaluation: evaluation,
                                                  patientId: patientId, clinicId: clinicId, now: now, on: sql)
    }

    public func insert(problemReport report: ProblemReport, id: UUID, sessionId: UUID?, patientId: UUID, clinicId: UUID, now: Date) async throws {
        try await CheckInRepository.insertReport(id: id, report: report, sessionId: sessionId, patientId: patientId, clinicId: clinicId,
                                                 now: now, on: sql)
    }

    /// One row per photo, attached to a check-in or to a problem report.
    public func insert(reportedPhotos files: [CheckInRepository.PhotoFile], checkInId: UUID?, problemReportId: UUID?, patientId: UUID,
                       clinicId: UUID, now: Date) async throws -> [UUID] {
        var ids: [UUID] = []
        for file in files {
            let id = UUID()
            try await CheckInRepository.insertPhoto(file, id: id, checkInId: checkInId, problemReportId: problemReportId, patientId: patientId,
                                                    clinicId: clinicId, now: now, on: sql)
            ids.append(id)
        }
        return ids
    }

    public func insert(suspectedAdverseEvent id: UUID, reasons: [CheckInEvaluation.Reason], sessionId: UUID?, checkInId: UUID?,
                       problemReportId: UUID?, patientId: UUID, clinicId: UUID, now: Date) async throws {
        try await CheckInRepository.insertSuspected(id: id, patientId: patientId, clinicId: clinicId, sessionId: sessionId, checkInId: checkInId,
                                                    problemReportId: problemReportId, reasons: reasons, now: now, on: sql)
    }

    public func openSuspectedAdverseEvents(clinicId: UUID, limit: Int = 50) async throws -> [CheckInRepository.Suspected] {
        try await CheckInRepository.openSuspected(clinicId: clinicId, limit: limit, on: sql)
    }

    public func suspectedAdverseEvent(id: UUID, clinicId: UUID) async throws -> CheckInRepository.Suspected {
        try await CheckInRepository.suspected(id: id, clinicId: clinicId, on: sql)
    }

    /// Closes an open suspicion; false when it had been decided already.
    public func decide(suspected id: UUID, clinicId: UUID, state: CheckInRepository.SuspicionState, adverseEventId: UUID?, dismissReason: String?,
                       by userId: UUID, now: Date) async throws -> Bool {
        try await CheckInRepository.decide(suspectedId: id, clinicId: clinicId, state: state, adverseEventId: adverseEventId,
                                           dismissReason: dismissReason, by: userId, now: now, on: sql)
    }

    public func checkIns(patientId: UUID, clinicId: UUID) async throws -> [CheckInRepository.CheckIn] {
        try await CheckInRepository.checkIns(patientId: patientId, clinicId: clinicId, on: sql)
    }

    public func reportedPhoto(id: UUID, clinicId: UUID) async throws -> (patientId: UUID, file: CheckInRepository.PhotoFile) {
        try await CheckInRepository.photo(id: id, clinicId: clinicId, on: sql)
    }

    /// The post-care sheet a session recorded, or the modality's current one when it recorded none.
    public func postCare(given session: CheckInRepository.SignedSession, clinicId: UUID) async throws -> PostCareTemplate {
        if let id = session.postCareVersion, let t = try await PostCareRepository.find(versionId: id, clinicId: clinicId, on: sql) { return t }
        return try await PostCareRepository.current(for: session.modality, clinicId: clinicId, on: sql)
    }

    /// The patient's appointments, in time order.
    public func appointments(patientId: UUID, clinicId: UUID) async throws -> [Appointment] {
        try await ScheduleRepository.patientRows(patientId: patientId, clinicId: clinicId, on: sql)
    }

    /// The days of the session that have a check-in.
    public func checkInDays(sessionId: UUID) async throws -> [Int] {
        try await CheckInRepository.days(sessionId: sessionId, on: sql)
    }
}
