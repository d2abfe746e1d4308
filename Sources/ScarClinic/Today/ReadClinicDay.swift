import Foundation
import ScarCore
import ScarStore

/// The clinic's day at a glance, for the home page after sign-in: today's visits with whether
/// each treatment is ready to start, follow-ups overdue, adverse events still open, charts left
/// unsigned, messages that failed, and courses approved but not booked. One read of the clinic's
/// records, audited once (`clinic-day.read`) because it shows patient names.
public struct ReadClinicDay: Sendable {
    public struct Visit: Sendable {
        public var appointment: Appointment
        /// Treatment visits only; follow-ups have no pre-session checklist.
        public var readiness: VisitReadiness.Result?
        /// The chart started for this visit, if any.
        public var chartId: UUID?
        /// The patient's answers to the questions before this session, if given.
        public var preSession: CheckInRepository.PreSessionAnswers? = nil
    }

    public struct Day: Sendable {
        public var date: CalendarDate
        public var visits: [Visit]
        /// Booked for tomorrow, so the desk can confirm them (a reminder may have failed).
        public var tomorrow: [Appointment]
        public var overdueFollowUps: [Appointment]
        public var openAdverseEvents: [AdverseEventRepository.Record]
        /// What patients reported (check-ins beyond what is expected, problem reports) for a
        /// clinician to confirm or dismiss, oldest first.
        public var suspectedAdverseEvents: [CheckInRepository.Suspected]
        /// Patients' requests to change or cancel an appointment, for front desk, oldest first.
        public var changeRequests: [ChangeRequest] = []
        public var unsignedCharts: [UnitOfWork.DraftChart]
        public var failedMessages: [OutboxMessage]
        public var seriesToBook: [UnitOfWork.SeriesToBook]
    }

    let database: ScarDatabase
    public init(_ database: ScarDatabase) { self.database = database }

    /// `timeZone` is the clinic's: "today" and "tomorrow" are the clinic's days.
    public func callAsFunction(by clinician: Clinician, timeZone: TimeZone, actor: AuditActor, now: Date) async throws -> Day {
        let clinicId = clinician.clinicId, today = clinician.today
        let days = Availability(timeZone: timeZone, weeklyHours: [:])
        let start = days.instant(today, minutes: 0), tomorrow = days.instant(today.adding(days: 1), minutes: 0)
        let dayAfter = days.instant(today.adding(days: 2), minutes: 0)
        return try await database.write(unitOfWork: { tx in
            let appointments = try await tx.appointments(clinicId: clinicId, startingFrom: start, before: tomorrow)
            let answers = try await tx.preSessionAnswers(appointmentIds: appointments.map(\.id), clinicId: clinicId)
            let records = try await tx.dayReadinessRecords(appointments: appointments, clinicId: clinicId, day: today)
            var visits: [Visit] = []
            for appointment in appointments {
                visits.append(try await Self.visit(appointment, today: today, preSession: answers[appointment.id], records: records, in: tx))
            }
            var day = Day(date: today, visits: visits,
                          tomorrow: try await tx.appointments(clinicId: clinicId, startingFrom: tomorrow, before: dayAfter)
                              .filter { $0.status == .booked },
                          overdueFollowUps: try await tx.overdueFollowUps(clinicId: clinicId, before: start),
                          openAdverseEvents: try await tx.openAdverseEvents(clinicId: clinicId),
                          suspectedAdverseEvents: try await tx.openSuspectedAdverseEvents(clinicId: clinicId),
                          unsignedCharts: try await tx.unsignedCharts(clinicId: clinicId),
                          failedMessages: try await tx.failedMessages(clinicId: clinicId),
                          seriesToBook: try await tx.seriesToBook(clinicId: clinicId))
            day.changeRequests = try await tx.openChangeRequests(clinicId: clinicId)
            try await tx.audit(AuditEvent(action: "clinic-day.read", recordType: "clinic", recordId: clinicId.lower,
                                          details: ["date": today.description, "visits": String(visits.count)]), by: actor, now: now)
            return day
        })
    }

    /// A treatment visit's readiness, from the same records the checklist reads at signing (read
    /// for the whole day at once); only the plan link is read per visit.
    static func visit(_ appointment: Appointment, today: CalendarDate, preSession: CheckInRepository.PreSessionAnswers?,
                      records: DayReadinessRecords, in tx: UnitOfWork) async throws -> Visit {
        let chart = records.charts[appointment.id]
        guard appointment.kind == .session, appointment.status != .cancelled, appointment.status != .noShow else {
            return Visit(appointment: appointment, readiness: nil, chartId: chart?.id, preSession: preSession)
        }
        let clinicId = appointment.clinicId, patientId = appointment.patientId, modality = appointment.modality
        guard let inputs = records.screening[patientId] else { throw StoreError.notFound }
        let consent = records.consents[patientId]?.first { $0.kind == ConsentKind(modality) && $0.isValid }
        // The plan is chosen exactly as signing will choose it.
        let (link, approved) = try await tx.planLink(patientId: patientId, clinicId: clinicId, planVersionId: appointment.planVersionId,
                                                     appointmentId: appointment.id)
        let plan = SessionPlanChoice.choose(link: link, modality: modality, approved: approved)
        let signed = chart?.signed == true || appointment.status == .completed
        let readiness = VisitReadiness.evaluate(.init(
            modality: modality, asOf: today, intake: inputs.intake?.intake, ruleSet: inputs.ruleSet,
            acknowledgements: inputs.acknowledgements, consentValid: consent != nil, photosToday: records.photoViews[patientId] ?? [],
            photoRequirement: records.settings.beforePhotos, planApproved: plan.version != nil ? true : (appointment.planId == nil ? nil : false),
            chart: signed ? .signed : (chart == nil ? .none : .draft), preSession: preSession?.result))
        return Visit(appointment: appointment, readiness: readiness, chartId: chart?.id, preSession: preSession)
    }
}
