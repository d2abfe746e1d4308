import Foundation
import ScarCore
import ScarStore

/// A daily check-in after a session, from the patient: the answers are checked and evaluated
/// against the clinic's rules (`CheckInEvaluation`, the clinic's sequela thresholds); an answer
/// beyond what is expected opens a *suspected* adverse event for a clinician to confirm or
/// dismiss. One transaction, one `check-in.create` audit entry as the patient.
public struct RecordCheckIn: Sendable {
    public struct Recorded: Sendable, Equatable {
        public var checkInId: UUID
        public var day: Int
        public var evaluation: CheckInEvaluation.Result
        /// Set when the check-in went beyond what is expected.
        public var suspectedId: UUID?
        public var photoIds: [UUID]
    }

    let database: ScarDatabase
    let photos: ReportedPhotoIntake
    public init(_ database: ScarDatabase, photos: ReportedPhotoIntake) {
        self.database = database
        self.photos = photos
    }

    public func callAsFunction(_ input: CheckInAnswers.Input, photos raw: [[UInt8]] = [], for patient: PortalPatient, actor: AuditActor,
                               now: Date) async throws -> Recorded {
        let answers: CheckInAnswers
        switch CheckInAnswers.validate(input) {
        case .success(let a): answers = a
        case .failure(let f): throw Refusal.invalid(f.errors)
        }
        let files = try await photos.accept(raw)
        return try await database.write(unitOfWork: { tx in
            guard let session = try await tx.latestSignedSession(patientId: patient.patientId, clinicId: patient.clinicId) else {
                throw Refusal(.conflict, "No session to check in about", detail: "Check-ins start after a session has been given.")
            }
            let day = patient.today.daysSinceEpoch - session.performedOn.daysSinceEpoch
            guard (0...CheckInDays.lastDay).contains(day) else {
                throw Refusal(.conflict, "No check-in due",
                              detail: "Check-ins are for the \(CheckInDays.lastDay) days after a session; please call the clinic or report a problem.")
            }
            guard !(try await tx.checkInExists(sessionId: session.id, day: day)) else {
                throw Refusal(.conflict, "Already checked in today", detail: "Today's check-in is already with the clinic; report a problem if something changed.")
            }
            let settings = try await tx.chartingSettings(clinicId: patient.clinicId)
            let evaluation = CheckInEvaluation.evaluate(answers, day: day, thresholds: settings.thresholds)
            let id = UUID()
            try await tx.insert(checkIn: answers, evaluation: evaluation, id: id, sessionId: session.id, day: day, patientId: patient.patientId,
                                clinicId: patient.clinicId, now: now)
            let photoIds = try await tx.insert(reportedPhotos: files, checkInId: id, problemReportId: nil, patientId: patient.patientId,
                                               clinicId: patient.clinicId, now: now)
            var suspectedId: UUID?
            if evaluation.beyondExpected {
                suspectedId = UUID()
                try await tx.insert(suspectedAdverseEvent: suspectedId!, reasons: evaluation.reasons, sessionId: session.id, checkInId: id,
                                    problemReportId: nil, patientId: patient.patientId, clinicId: patient.clinicId, now: now)
            }
            try await tx.audit(AuditEvent(action: "check-in.create", recordType: "check_in", recordId: id.uuidString, patientId: patient.patientId,
                                          details: ["day": String(day), "session": session.id.lower, "photos": String(photoIds.count),
                                                    "outcome": evaluation.beyondExpected ? "beyond-expected" : "as-expected",
                                                    "reasons": evaluation.reasons.map(\.code).joined(separator: ",")]),
                               by: actor, now: now)
            return Recorded(checkInId: id, day: day, evaluation: evaluation, suspectedId: suspectedId, photoIds: photoIds)
        })
    }
}

/// A problem the patient reports at any time, with photos: always a suspected adverse event on
/// the clinic's day home, linked to the patient's latest signed session if there is one. One
/// transaction, one `problem-report.create` audit entry as the patient.
public struct ReportProblem: Sendable {
    public struct Reported: Sendable, Equatable {
        public var reportId: UUID
        public var suspectedId: UUID
        public var photoIds: [UUID]
    }

    let database: ScarDatabase
    let photos: ReportedPhotoIntake
    public init(_ database: ScarDatabase, photos: ReportedPhotoIntake) {
        self.database = database
        self.photos = photos
    }

    public func callAsFunction(_ input: ProblemReport.Input, photos raw: [[UInt8]] = [], for patient: PortalPatient, actor: AuditActor,
                               now: Date) async throws -> Reported {
        let report: ProblemReport
        switch ProblemReport.validate(input) {
        case .success(let r): report = r
        case .failure(let f): throw Refusal.invalid(f.errors)
        }
        let files = try await photos.accept(raw)
        return try await database.write(unitOfWork: { tx in
            try await tx.requirePatient(patient.patientId, clinicId: patient.clinicId)
            let session = try await tx.latestSignedSession(patientId: patient.patientId, clinicId: patient.clinicId)
            let id = UUID(), suspectedId = UUID()
            try await tx.insert(problemReport: report, id: id, sessionId: session?.id, patientId: patient.patientId, clinicId: patient.clinicId,
                                now: now)
            let photoIds = try await tx.insert(reportedPhotos: files, checkInId: nil, problemReportId: id, patientId: patient.patientId,
                                               clinicId: patient.clinicId, now: now)
            try await tx.insert(suspectedAdverseEvent: suspectedId, reasons: report.reasons, sessionId: session?.id, checkInId: nil,
                                problemReportId: id, patientId: patient.patientId, clinicId: patient.clinicId, now: now)
            try await tx.audit(AuditEvent(action: "problem-report.create", recordType: "problem_report", recordId: id.uuidString,
                                          patientId: patient.patientId,
                                          details: ["photos": String(photoIds.count), "signs": report.signs.map(\.rawValue).joined(separator: ",")]),
                               by: actor, now: now)
            return Reported(reportId: id, suspectedId: suspectedId, photoIds: photoIds)
        })
    }
}
