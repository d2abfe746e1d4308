import Foundation
import ScarClinic
import ScarCore
import ScarServer
import ScarStore

/// A demo clinic that shows a working day: patients booked today and tomorrow in the states a
/// real day has (arrived, waiting, missing a consent, deferred by screening), with an adverse
/// event still open. Everything is written through the same use cases the pages and the API
/// call, so the demo passes the same checks as real data.
extension DemoClinic {
    struct DayPatient {
        var given: String
        var family: String
        var time: (day: Int, hour: Int)
        var consent = true
        var checkIn = false
        /// Told the desk after the plan was approved: the day's screening stops the visit.
        var laterIntake: Intake?
        var adverseEvent = false
    }

    static let dayPatients: [DayPatient] = [
        DayPatient(given: "Ada", family: "Dayexample", time: (0, 9), checkIn: true),
        DayPatient(given: "Bram", family: "Dayexample", time: (0, 10)),
        DayPatient(given: "Cleo", family: "Dayexample", time: (0, 11), consent: false),
        DayPatient(given: "Dev", family: "Dayexample", time: (0, 14), laterIntake: Intake(fitzpatrick: .iii, fitzpatrickMethod: .clinicianAssessed,
                                                                                          activeHerpesLabialis: true)),
        DayPatient(given: "Esme", family: "Dayexample", time: (0, 15), adverseEvent: true),
        DayPatient(given: "Farid", family: "Dayexample", time: (1, 9)),
        DayPatient(given: "Gala", family: "Dayexample", time: (1, 10), consent: false),
    ]

    /// Returns a summary line; a visit whose slot is taken (a demo run twice) is skipped and counted.
    static func day(_ database: ScarDatabase) async throws -> String {
        let clinic = try await Bootstrap.ensureClinic(database, named: nil)
        let staff = try await StaffRepository(database).users(clinicId: clinic.id)
        guard let practitioner = staff.first(where: { $0.role == .practitioner && $0.email.hasPrefix("dr.demo") })
                ?? staff.first(where: { $0.role == .practitioner }) else { return "No practitioner for the demo day." }
        let zone = TimeZone(identifier: clinic.timeZone) ?? TimeZone(identifier: "UTC")!
        let days = Availability(timeZone: zone, weeklyHours: [:])
        // Each step below happens at its own instant, as at the desk: the later intake that stops a visit is
        // recorded after the first one, so it is the patient's latest.
        let today = CalendarDate(clinicDayOf: Date(), in: zone)
        let clinician = Clinician(user: practitioner, today: today)
        let actor = AuditActor(user: practitioner, clientAddress: "scartrack demo")
        let setup = try await daySetup(database, clinicId: clinic.id, practitioner: practitioner, actor: actor)

        var booked = 0, skipped = 0
        for p in dayPatients {
            let details = try PatientDetails.validate(.init(givenName: p.given, familyName: p.family, dateOfBirth: "1992-05-14", sex: "female"),
                                                      today: today).get()
            let patient = try await RegisterPatient(database)(details, by: clinician, actor: actor, now: Date())
            _ = try await RecordIntake(database)(Intake(fitzpatrick: .iii, fitzpatrickMethod: .clinicianAssessed), patientId: patient.id,
                                                 by: clinician, actor: actor, now: Date())
            let plan = try await StartPlan(database)(patientId: patient.id, templateId: setup.templateId, by: clinician, actor: actor, now: Date()) { template in
                var content = PlanContent(defaultsOf: template.definition)
                content.rationale = "Demo: rolling acne scars, a standard course to start."
                return content
            }
            _ = try await ApprovePlan(database)(planId: plan.id, expectedVersion: plan.version, by: clinician, actor: actor, now: Date())
            if p.consent {
                _ = try await SignConsent(database)(.init(kind: "microneedling", signerName: "\(p.given) \(p.family)", agreed: true, drawnPNG: nil,
                                                          clinicName: clinic.name), patientId: patient.id, by: clinician, actor: actor, now: Date())
            }
            if let later = p.laterIntake {
                _ = try await RecordIntake(database)(later, patientId: patient.id, by: clinician, actor: actor, now: Date())
            }
            if p.adverseEvent {
                _ = try await RecordAdverseEvent(database)(.init(term: "pih", onsetOn: today.adding(days: -12).description, grade: 2,
                                                                 relatedness: "probable", outcome: "ongoing"),
                                                           patientId: patient.id, by: clinician, actor: actor, now: Date())
            }
            let start = days.instant(today.adding(days: p.time.day), minutes: p.time.hour * 60)
            let order = SeriesOrder(modality: .microneedling, count: 3, intervalDays: 28, minimumIntervalDays: 21, windowDays: 14,
                                    durationMinutes: 60, firstStart: start, practitionerId: practitioner.id, roomId: setup.roomId,
                                    deviceId: nil, followUpMonths: [1, 3], planId: plan.id, planVersionId: nil)
            do {
                let appointments = try await BookSeries(database)(order, patientId: patient.id, dates: .place, by: clinician, actor: actor, now: Date())
                booked += 1
                if p.checkIn, let first = appointments.first {
                    _ = try await ChangeAppointmentStatus(database)(appointmentId: first.id, to: .checkedIn, expectedVersion: first.version,
                                                                    by: clinician, actor: actor, now: Date())
                }
            } catch is Refusal {
                skipped += 1
            }
        }
        return "Demo day \(today) for \(practitioner.displayName): \(booked) courses booked from today and tomorrow"
            + (skipped > 0 ? " (\(skipped) skipped: their slots were taken, e.g. by an earlier demo run)" : "")
            + ", one adverse event open."
    }

    /// A room, the practitioner's hours every day 08:00–19:00, a microneedling consent template, and
    /// the example protocol template the plans follow.
    static func daySetup(_ database: ScarDatabase, clinicId: UUID, practitioner: StaffUser,
                         actor: AuditActor) async throws -> (roomId: UUID, templateId: UUID) {
        let schedule = ScheduleRepository(database)
        let existing = try await schedule.rooms(clinicId: clinicId).first { $0.name == "Demo treatment room" }
        let room = if let existing { existing } else { try await schedule.addRoom(name: "Demo treatment room", clinicId: clinicId, by: actor) }
        let hours = Dictionary(uniqueKeysWithValues: (1...7).map { ($0, [MinuteRange(start: 8 * 60, end: 19 * 60)]) })
        try await schedule.setHours(hours, staffId: practitioner.id, clinicId: clinicId, by: actor)
        let consents = ConsentRepository(database)
        if try await !consents.templates(clinicId: clinicId).contains(where: { $0.details.kind == .microneedling }) {
            _ = try await consents.addTemplate(ConsentTemplateDetails(
                kind: .microneedling, title: "Consent to microneedling (demo text)",
                body: "What the treatment is, what to expect afterwards, its risks and the alternatives.\n\nDemo text: a clinic writes its own."),
                clinicId: clinicId, authorId: practitioner.id, by: actor)
        }
        let templates = try await ProtocolTemplateRepository(database).list(clinicId: clinicId, by: actor)
        guard let template = templates.first(where: { $0.definition.modality == .microneedling && $0.definition.isExample }) else {
            throw CommandFailure("The demo needs the example protocol template for microneedling.")
        }
        return (room.id, template.templateId)
    }
}
