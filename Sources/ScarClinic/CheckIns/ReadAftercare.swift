import Foundation
import ScarCore
import ScarStore

/// What the patient sees between visits, from their own records: the latest session with the
/// post-care sheet given and the day-by-day timeline, whether today's check-in is due or done,
/// and the next session whose questions are open. One read, one `aftercare.read` audit entry as
/// the patient.
public struct ReadAftercare: Sendable {
    public struct Aftercare: Sendable {
        public var session: CheckInRepository.SignedSession?
        public var sheet: PostCareTemplate?
        /// Days since the session (0 is its day), when there is one.
        public var day: Int?
        public var timeline: [AftercareTimeline.Day]
        public var checkInDays: CheckInDays
        public var checkedInDays: [Int]
        /// A check-in is asked today (a check-in day, not yet answered).
        public var checkInDue: Bool
        /// Today is still within the check-in period and today is not answered (any day may be sent).
        public var checkInOpen: Bool
        public var thresholds: SequelaThresholds
        /// The next booked session whose questions are open now, with the answers already given.
        public var questionsFor: Appointment?
        public var answered: Bool
    }

    let database: ScarDatabase
    public init(_ database: ScarDatabase) { self.database = database }

    public func callAsFunction(for patient: PortalPatient, actor: AuditActor, now: Date) async throws -> Aftercare {
        try await database.write(unitOfWork: { tx in
            let clinicId = patient.clinicId
            let settings = try await tx.chartingSettings(clinicId: clinicId)
            let session = try await tx.latestSignedSession(patientId: patient.patientId, clinicId: clinicId)
            var sheet: PostCareTemplate?, day: Int?, done: [Int] = [], timeline: [AftercareTimeline.Day] = []
            if let session {
                let s = try await tx.postCare(given: session, clinicId: clinicId)
                sheet = s
                day = patient.today.daysSinceEpoch - session.performedOn.daysSinceEpoch
                done = try await tx.checkInDays(sessionId: session.id)
                timeline = AftercareTimeline.days(sheet: s, thresholds: settings.thresholds, checkInDays: settings.checkInDays)
            }
            let open = day.map { (0...CheckInDays.lastDay).contains($0) && !done.contains($0) } ?? false
            let next = try await tx.appointments(patientId: patient.patientId, clinicId: clinicId).first {
                $0.kind == .session && ($0.status == .booked || $0.status == .checkedIn)
                    && PreSessionQuestionnaire.isOpen(sessionStartsAt: $0.startsAt, now: now)
            }
            var answered = false
            if let next { answered = try await tx.preSessionAnswers(appointmentIds: [next.id], clinicId: clinicId)[next.id] != nil }
            try await tx.audit(AuditEvent(action: "aftercare.read", recordType: "patient", recordId: patient.patientId.uuidString,
                                          patientId: patient.patientId), by: actor, now: now)
            return Aftercare(session: session, sheet: sheet, day: day, timeline: timeline, checkInDays: settings.checkInDays, checkedInDays: done,
                             checkInDue: open && settings.checkInDays.days.contains(day ?? -1), checkInOpen: open,
                             thresholds: settings.thresholds, questionsFor: next, answered: answered)
        })
    }
}
