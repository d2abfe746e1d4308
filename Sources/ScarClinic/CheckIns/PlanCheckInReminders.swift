import Foundation
import ScarCore
import ScarStore

/// Plans today's check-in reminders for every clinic (run by the outbox's periodic worker before it
/// sends): each portal patient whose latest session was signed N days ago, N one of the clinic's
/// check-in days, who has not checked in today, gets one message through the outbox. The outbox
/// key (patient, session, day) makes it one message however often this runs. One transaction,
/// one `check-in-reminder.plan` audit entry per clinic that had reminders.
public struct PlanCheckInReminders: Sendable {
    let database: ScarDatabase
    public init(_ database: ScarDatabase) { self.database = database }

    /// The number of reminders planned (already planned ones count again; the outbox keeps one).
    @discardableResult
    public func callAsFunction(portalURL: String?, now: Date) async throws -> Int {
        try await database.write(unitOfWork: { tx in
            let since = CalendarDate.utc(now).adding(days: -(CheckInDays.lastDay + 1))
            var planned: [UUID: Int] = [:]
            for c in try await tx.checkInReminderCandidates(since: since) {
                let today = CalendarDate(clinicDayOf: now, in: c.timeZone)
                guard let day = CheckInReminders.due(performedOn: c.performedOn, today: today, days: c.checkInDays, checkedIn: c.checkedIn)
                else { continue }
                let message = CheckInReminders.message(day: day, clinicName: c.clinicName, clinicPhone: c.clinicPhone,
                                                       portalURL: portalURL.map { $0 + "/portal/after-your-session" })
                try await tx.enqueuePatientMessage(clinicId: c.clinicId, patientId: c.patientId, kind: "check-in-reminder", recipient: c.email,
                                                   subject: message.subject, body: message.body,
                                                   idempotencyKey: CheckInReminders.key(patientId: c.patientId, sessionId: c.sessionId, day: day),
                                                   now: now)
                planned[c.clinicId, default: 0] += 1
            }
            for (clinicId, count) in planned {
                try await tx.audit(AuditEvent(action: "check-in-reminder.plan", recordType: "clinic", recordId: clinicId.lower,
                                              details: ["reminders": String(count)]),
                                   by: AuditActor(clinicId: clinicId, userId: nil, label: "system", clientAddress: "local"), now: now)
            }
            return planned.values.reduce(0, +)
        })
    }
}
