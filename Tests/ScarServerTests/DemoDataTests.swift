import Foundation
import HTTPTypes
import ScarClinic
import ScarCore
@testable import ScarServer
import ScarStore
import ScarTestSupport
import SQLKit
import Testing

/// `scartrack demo` (issue 11, item 15): what the generator writes must pass the product's own
/// validation, so a demo record can be edited like a real one. The demo runs through the built
/// executable into a fresh database; every record it wrote is read back through the
/// repositories and checked again by the ScarCore validators; one adverse event is edited
/// through the API.
@Suite("Demo data passes the product's own validation", .serialized)
struct DemoDataTests {
    /// Issue 13, item 14: `scartrack demo` books a working day through the use cases, so the day
    /// page shows visits in the states a real day has.
    @Test func theDemoBooksAWorkingDayThroughTheUseCases() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: CommandLineTests.executable.path), "build scartrack first")
        try await ClinicManagementTests.withInstallation { h, location, folder in
            let demo = try BackupRestoreTests.run(["demo", "--patients", "1", "--seed", "3"], dataDirectory: folder, location: location)
            #expect(demo.status == 0, "\(demo.stdout)\n\(demo.stderr)")
            #expect(demo.stdout.contains("7 courses booked"), "\(demo.stdout)")
            let clinic = try #require(try await StaffRepository(h.db).clinics().first)
            let practitioner = try #require(try await StaffRepository(h.db).credentials(email: "dr.demo@clinic.example")).user
            let zone = TimeZone(identifier: clinic.timeZone)!
            let day = try await ReadClinicDay(h.db)(by: Clinician(user: practitioner, today: CalendarDate(clinicDayOf: Date(), in: zone)),
                                                    timeZone: zone, actor: AuditActor(user: practitioner, clientAddress: "test"), now: Date())
            let summaries = day.visits.compactMap { $0.readiness?.summary }
            #expect(day.visits.count == 5, "\(day.visits.map(\.appointment.patientName))")
            #expect(day.visits.filter { $0.appointment.status == .checkedIn }.count == 1)
            #expect(summaries.contains { $0.hasPrefix("Stop: contraindicated: Active herpes labialis") }, "\(summaries)")
            #expect(summaries.contains { $0.contains("consent") }, "\(summaries)")
            #expect(day.tomorrow.count == 2)
            #expect(day.openAdverseEvents.map(\.details.term) == ["pih"])
            // Written through the use cases: one intent-level entry per step, no store shortcuts.
            let actions = try await h.db.read { sql in
                try await sql.raw("SELECT action FROM audit_log WHERE action IN ('plan.approve', 'appointment.book', 'consent.sign', 'intake.create')")
                    .all().map { try $0.decode(column: "action", as: String.self) }
            }
            #expect(actions.filter { $0 == "plan.approve" }.count == 7 && actions.filter { $0 == "appointment.book" }.count == 7)
            #expect(actions.filter { $0 == "consent.sign" }.count == 5 && actions.filter { $0 == "intake.create" }.count == 8)
        }
    }

    @Test func everyRecordTheDemoWritesPassesValidationAndAnAdverseEventCanBeEdited() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: CommandLineTests.executable.path), "build scartrack first")
        try await ClinicManagementTests.withInstallation { h, location, folder in
            // Enough courses that several have adverse events (about one in eight), RF and plain.
            let demo = try BackupRestoreTests.run(["demo", "--patients", "3", "--courses", "40", "--seed", "11", "--no-day"], dataDirectory: folder, location: location)
            #expect(demo.status == 0, "\(demo.stdout)\n\(demo.stderr)")
            #expect(demo.stdout.range(of: #"Took [0-9.]+ s: [0-9.]+ patients/s, [0-9.]+ treated courses/s"#, options: .regularExpression) != nil,
                    "the summary reports the rate: \(demo.stdout)")
            let clinic = try #require(try await StaffRepository(h.db).clinics().first)
            let practitioner = try #require(try await StaffRepository(h.db).credentials(email: "dr.demo@clinic.example")).user
            let actor = AuditActor(user: practitioner, clientAddress: "test")
            let now = Date()
            let today = CalendarDate.utc(now)
            let todayISO = today
            var failures: [String] = []
            func check<T>(_ what: String, _ result: Result<T, ValidationFailure>) {
                if case .failure(let f) = result { failures.append("\(what): " + f.errors.map { "\($0.field) \($0.message)" }.joined(separator: "; ")) }
            }
            let patientIds = try await h.db.read { sql in
                try await sql.raw("SELECT id FROM patients WHERE clinic_id = \(bind: clinic.id) ORDER BY created_at").all()
                    .map { try $0.decode(column: "id", as: UUID.self) }
            }
            #expect(patientIds.count == 43)
            let (limits, settings) = try await SessionRepository(h.db).limits(clinicId: clinic.id, today: today)
            var counts = (assessments: 0, plans: 0, sessions: 0, events: 0)
            for id in patientIds {
                let p = try await PatientRepository(h.db).find(id: id, clinicId: clinic.id, by: actor)
                check("patient \(id)", PatientDetails.validate(.init(givenName: p.givenName, familyName: p.familyName, dateOfBirth: p.dateOfBirth.description,
                                                                     sex: p.sex.rawValue, mrn: p.mrn, phone: p.phone, email: p.email), today: todayISO))
                for a in try await AssessmentRepository(h.db).list(patientId: id, clinicId: clinic.id, by: actor) {
                    counts.assessments += 1
                    check("assessment \(a.id)", ScarAssessmentInput(Self.formValues(a.details)).validate(today: todayISO))
                }
                for plan in try await PlanRepository(h.db).list(patientId: id, clinicId: clinic.id, by: actor) {
                    for v in plan.versions {
                        counts.plans += 1
                        check("plan version \(v.id)", PlanInput(v.content).validate(against: v.template.definition))
                    }
                }
                for s in try await SessionRepository(h.db).list(patientId: id, clinicId: clinic.id, by: actor) {
                    counts.sessions += 1
                    // As on the day it was charted: the same devices and lots, the session's own day.
                    check("session \(s.id)", SessionChart.validate(SessionChart.Input(s.chart), limits: limits))
                    if s.chart.modality == .rfMicroneedling, limits.devices[s.chart.deviceId]?.details.type != .rfMicroneedling {
                        failures.append("session \(s.id): RF session on a device that is not RF")
                    }
                }
                for e in try await AdverseEventRepository(h.db).list(patientId: id, openOnly: false, clinicId: clinic.id, by: actor) {
                    counts.events += 1
                    let d = e.details
                    #expect(AETerm.find(d.term) != nil, "term \(d.term) is not in the catalogue")
                    if [.resolved, .resolvedWithSequelae].contains(d.outcome), d.resolvedOn == nil { failures.append("event \(e.id): resolved without a date") }
                    check("event \(e.id)", AdverseEventDetails.validate(Self.input(d), today: today, thresholds: settings.thresholds))
                }
            }
            #expect(failures.isEmpty, Comment(rawValue: failures.joined(separator: "\n")))
            #expect(counts.assessments == 80 && counts.sessions > 40 && counts.plans > 0, "\(counts)")
            #expect(counts.events > 0, "the seed gives some adverse events")
            for d in try await DeviceLotRepository(h.db).devices(clinicId: clinic.id) {
                check("device \(d.id)", DeviceDetails.validate(.init(model: d.details.model, manufacturer: d.details.manufacturer, type: d.details.type.rawValue,
                                                                     maxDepthMm: d.details.maxDepthMm, needleGeometry: d.details.needleGeometry,
                                                                     needleCount: d.details.needleCount, punctureRate: d.details.punctureRate,
                                                                     serialNumber: d.details.serialNumber, lastServiceOn: d.details.lastServiceOn?.description,
                                                                     nextServiceDue: d.details.nextServiceDue?.description, active: d.details.active)))
            }
            #expect(failures.isEmpty, Comment(rawValue: failures.joined(separator: "\n")))

            // Every signed course session was signed through the checklist, on its own day: one
            // `session.sign` entry each, the consent it relied on, the five before-photos of that day.
            let signing = try await h.db.read { sql in
                let signed = try await sql.raw("""
                    SELECT id, performed_on, consent_id, checklist, signed_at FROM treatment_sessions
                    WHERE clinic_id = \(bind: clinic.id) AND status = 'signed'
                    """).all()
                let entries = try await sql.raw("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'session.sign' AND clinic_id = \(bind: clinic.id)")
                    .first()!.decode(column: "n", as: Int.self)
                var withoutCheck = 0, withoutPhotos = 0
                for row in signed {
                    if try row.decode(column: "consent_id", as: UUID?.self) == nil || row.decode(column: "checklist", as: String?.self) == nil { withoutCheck += 1 }
                    let day = try row.decode(column: "performed_on", as: String.self)
                    let photos = try await sql.raw("""
                        SELECT COUNT(DISTINCT p.view) AS n FROM photos p JOIN treatment_sessions s ON s.patient_id = p.patient_id
                        WHERE s.id = \(bind: try row.decode(column: "id", as: UUID.self)) AND p.captured_on = \(bind: day)
                        """).first()!.decode(column: "n", as: Int.self)
                    if photos < 5 { withoutPhotos += 1 }
                }
                return (signed: signed.count, entries: entries, withoutCheck: withoutCheck, withoutPhotos: withoutPhotos)
            }
            #expect(signing.signed > 40 && signing.entries == signing.signed, "\(signing)")
            #expect(signing.withoutCheck == 0 && signing.withoutPhotos == 0, "\(signing)")

            // Editing a demo adverse event through the API works like editing a real one.
            let events = try await AdverseEventRepository(h.db).list(patientId: nil, openOnly: false, clinicId: clinic.id, by: actor)
            let event = try #require(events.first)
            let token = try await h.token(email: practitioner.email, password: "demo-only-Password-2026")
            let edited = try await h.request(.patch, "/api/v1/adverse-events/\(event.id.uuidString.lowercased())", json: ["grade": 2, "notes": "Reviewed"],
                                             token: token, headers: [.ifMatch: "\"\(event.version)\""])
            #expect(edited.status == .ok, "\(edited.body)")
            #expect(edited.json["grade"] as? Int == 2)
        }
    }

    /// The assessment form's fields for stored details (what the form would have sent).
    static func formValues(_ d: ScarAssessmentDetails) -> [String: String] {
        var v = ["assessedOn": d.assessedOn.description, "blinded": d.blinded ? "yes" : "no", "hypertrophicAreaCm2": String(d.hypertrophicAreaCm2)]
        if let notes = d.notes { v["notes"] = notes }
        for z in d.zones {
            for (type, n) in z.counts { v[ScarAssessmentInput.zoneField(z.zone, type)] = String(n) }
            if let s = z.sizeClass { v[ScarAssessmentInput.sizeField(z.zone)] = s.rawValue }
            if let s = z.depthClass { v[ScarAssessmentInput.depthField(z.zone)] = s.rawValue }
        }
        for row in GoodmanBaronQuantitative.Row.countedRows { v[ScarAssessmentInput.gbQuantitativeField(row)] = String(d.gbQuantitative.count(row)) }
        for item in ECCA.Item.allCases { v[ScarAssessmentInput.eccaField(item)] = String(d.ecca.count(item)) }
        let q = d.gbQualitative
        for (key, answer) in zip(ScarAssessmentInput.qualitativeKeys, [q.contourChange, q.obviousAt50cm, q.coveredByMakeup, q.flattensOnStretch]) {
            v[ScarAssessmentInput.gbQualitativeField(key)] = answer ? "yes" : "no"
        }
        return v
    }

    static func input(_ d: AdverseEventDetails) -> AdverseEventDetails.Input {
        .init(term: d.term, onsetOn: d.onsetOn.description, grade: d.grade.rawValue, serious: d.serious, relatedness: d.relatedness.rawValue,
              actionTaken: d.actionTaken, outcome: d.outcome.rawValue, resolvedOn: d.resolvedOn?.description,
              sessionId: d.sessionId?.uuidString.lowercased(), lotIds: d.lotIds.map { $0.uuidString.lowercased() }, products: d.products,
              durationHours: d.durationHours, notes: d.notes)
    }
}
