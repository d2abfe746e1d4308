import Foundation
import HTTPTypes
import ScarClinic
import ScarCore
@testable import ScarServer
import ScarStore
import ScarTestSupport
import SQLKit
import Testing

/// Real records of two clinics, made through the API, to fill path parameters.
struct MatrixFixtures: Sendable {
    struct PatientRecords: Sendable {
        var patient: String
        var assessment: String
        var photo: String
        var intake: String
        var family: String
        var plan: String
        var appointment: String
        var practitioner: String
        var study: String
        var template: String
        var session: String
        var consent: String
        var adverseEvent: String
        var suspected: String
        var reportedPhoto: String
        var changeRequest: String
        var device: String
        var lot: String
        var room: String
        var clinic: String
        var importUpload: String
        var studyParticipant: String
    }

    var ownFirst: PatientRecords
    var ownSecond: PatientRecords
    var other: PatientRecords
    var ownStaff: String
    var otherStaff: String
    /// A complete export of each clinic and one of its files.
    var ownExport = (job: "", file: "")
    var otherExport = (job: "", file: "")

    /// `dataDirectory`: the app's, where `/admin/import` keeps uploads (the photo harness uses a temporary one).
    static func make(_ h: Harness, dataDirectory: String = Harness.configuration().dataDirectory) async throws -> MatrixFixtures {
        let own = try await h.token(.admin)
        let other = try await h.token(email: h.otherClinicAdmin.email)
        /// A clinic set up for booking and studies: a practitioner with hours, a room, a study.
        func clinicLevel(_ token: String, clinic: Clinic, practitionerEmail: String)
            async throws -> (practitioner: String, room: String, study: String, template: String, device: String, lot: String) {
            let practitioner = try await Fixtures.staff(h.db, clinic: clinic, role: .practitioner, email: practitionerEmail).id.uuidString.lowercased()
            let room = try #require(try await h.request(.post, "/api/v1/schedule/rooms", json: ["name": "Room 1"], token: token).json["id"] as? String)
            let hours = (1...7).map { ["weekday": $0, "start": "08:00", "end": "20:00"] as [String: Any] }
            _ = try await h.request(.put, "/api/v1/schedule/practitioners/\(practitioner)/hours", json: ["hours": hours], token: token)
            let study = try await h.request(.post, "/api/v1/studies", json: ["title": "Matrix study", "protocol": "p", "armA": "A", "armB": "B",
                                                                            "outcomeScale": "ecca", "timePoints": ["baseline"], "targetEnrolment": 4], token: token)
            let template = try #require(((try await h.request(.get, "/api/v1/protocol-templates", token: token).json["items"] as? [[String: Any]])?.first)?["id"] as? String)
            let device = try await h.request(.post, "/api/v1/devices", json: [
                "model": "Pen One", "manufacturer": "Acme", "type": "motorized-pen", "maxDepthMm": 2.0, "needleGeometry": "36-pin round",
                "needleCount": 36, "serialNumber": "SN-\(clinic.name.count)"], token: token)
            let lot = try await h.request(.post, "/api/v1/lots", json: ["kind": "cartridge", "product": "36-pin cartridge", "lotNumber": "CART-7",
                                                                       "expiresOn": "2099-01-01", "quantity": 20, "receivedOn": "2025-01-02"], token: token)
            for kind in ["microneedling", "research", "photo-use"] {
                _ = try await h.request(.post, "/api/v1/consent-templates", json: [
                    "kind": kind, "title": "Consent (\(kind))", "body": "What this consent covers."], token: token)
            }
            return (practitioner, room, try #require(study.json["id"] as? String), template,
                    try #require(device.json["id"] as? String, "device: \(device.body)"), try #require(lot.json["id"] as? String, "lot: \(lot.body)"))
        }
        let ownLevel = try await clinicLevel(own, clinic: h.clinic, practitionerEmail: "matrix.practitioner@harbour.example")
        let otherLevel = try await clinicLevel(other, clinic: h.otherClinic, practitionerEmail: "matrix.practitioner@other.example")
        var day = 20
        func records(_ token: String, given: String, family: String) async throws -> PatientRecords {
            let level = token == own ? ownLevel : otherLevel
            let patient = try #require(try await h.registerPatient(token: token, given: given, family: family).json["id"] as? String)
            let assessment = try await h.request(.post, "/api/v1/patients/\(patient)/assessments", json: Harness.workedExampleAssessment, token: token)
            let photo = try await h.upload(Multipart.photo(ImageFixtures.png(rgb: (UInt8.random(in: 0...255), 9, 9))), patient: patient, token: token)
            _ = try await h.request(.post, "/api/v1/patients/\(patient)/intakes", json: ["activeAcneInArea": false, "fitzpatrick": 3], token: token)
            let intakes = try await h.request(.get, "/api/v1/patients/\(patient)/intakes", token: token)
            let intake = try #require(((intakes.json["items"] as? [[String: Any]])?.first)?["id"] as? String)
            let plan = try await h.createPlan(patientId: patient, templateId: level.template, token: token)
            let consent = try await h.request(.post, "/api/v1/patients/\(patient)/consents", json: ["kind": "microneedling", "signerName": "\(given) \(family)",
                                                                                                  "agreed": true], token: token)
            let session = try await h.request(.post, "/api/v1/patients/\(patient)/sessions", json: ["chart": [
                "performedOn": CalendarDate.utc(Date()).description, "deviceId": level.device, "cartridgeLotId": level.lot,
                "zones": [["zone": "left-cheek", "depthMm": 1.0, "passes": 2, "endpoint": "uniform-erythema"]], "durationMinutes": 30]], token: token)
            // Research and photo-use consent, then enrolment: the photo may be graded in the study.
            for kind in ["research", "photo-use"] {
                let signed = try await h.request(.post, "/api/v1/patients/\(patient)/consents", json: ["kind": kind, "signerName": "\(given) \(family)",
                                                                                                     "agreed": true], token: token)
                #expect(signed.status == .created, "\(kind) consent: \(signed.body)")
            }
            let enrolled = try await h.request(.post, "/api/v1/studies/\(level.study)/participants", json: ["patientId": patient], token: token)
            #expect(enrolled.status == .created, "enrolment: \(enrolled.body)")
            let ae = try await h.request(.post, "/api/v1/patients/\(patient)/adverse-events", json: [
                "term": "granuloma", "onsetOn": CalendarDate.utc(Date()).description, "grade": 2, "relatedness": "possible"], token: token)
            // A problem the patient reported from home, with a photo, stored where the app reads photos.
            let clinicId = (token == own ? h.clinic : h.otherClinic).id
            let photos = ReportedPhotoIntake(files: PhotoStore(dataDirectory: dataDirectory), maxBytes: 1024 * 1024)
            let reported = try await ReportProblem(h.db, photos: photos)(
                .init(description: "A rash", signs: ["rash"]), photos: [ImageFixtures.png(rgb: (UInt8.random(in: 0...255), 7, 7))],
                for: PortalPatient(patientId: try #require(UUID(uuidString: patient)), clinicId: clinicId, today: CalendarDate.utc(Date())),
                actor: .patient(clinicId: clinicId, clientAddress: "test"), now: h.now)
            day += 1
            let booked = try await h.request(.post, "/api/v1/patients/\(patient)/appointment-series", json: [
                "modality": "microneedling", "count": 1, "intervalDays": 28, "minimumIntervalDays": 21, "start": "\(futureDay(day))T10:00",
                "practitionerId": level.practitioner, "roomId": level.room, "followUpMonths": [Int]()], token: token)
            let appointment = try #require(((booked.json["appointments"] as? [[String: Any]])?.first)?["id"] as? String, "booking: \(booked.body)")
            let asked = try await AskForAppointmentChange(h.db)(
                kind: "change", reason: "Matrix", appointmentId: try #require(UUID(uuidString: appointment)),
                for: PortalPatient(patientId: try #require(UUID(uuidString: patient)), clinicId: clinicId, today: CalendarDate.utc(Date())),
                actor: .patient(clinicId: clinicId, clientAddress: "test"), now: h.now)
            let studyId = try #require(UUID(uuidString: level.study))
            let enrolments = try await StudyRepository(h.db).participants(studyId: studyId, clinicId: clinicId)
            let participant = try #require(enrolments.first { $0.patientId.uuidString.lowercased() == patient }).id.uuidString.lowercased()
            return PatientRecords(patient: patient, assessment: try #require(assessment.json["id"] as? String),
                                  photo: try #require(photo.json["id"] as? String), intake: intake, family: family,
                                  plan: try #require(plan.json["id"] as? String, "plan: \(plan.body)"), appointment: appointment,
                                  practitioner: level.practitioner, study: level.study, template: level.template,
                                  session: try #require(session.json["id"] as? String, "session: \(session.body)"),
                                  consent: try #require(consent.json["id"] as? String, "consent: \(consent.body)"),
                                  adverseEvent: try #require(ae.json["id"] as? String, "adverse event: \(ae.body)"),
                                  suspected: reported.suspectedId.uuidString.lowercased(),
                                  reportedPhoto: try #require(reported.photoIds.first).uuidString.lowercased(),
                                  changeRequest: asked.id.uuidString.lowercased(),
                                  device: level.device, lot: level.lot, room: level.room,
                                  clinic: (token == own ? h.clinic : h.otherClinic).id.uuidString.lowercased(),
                                  importUpload: try Self.importUpload(clinic: token == own ? h.clinic : h.otherClinic, dataDirectory: dataDirectory),
                                  studyParticipant: participant)
        }
        let ownStaff = try await Fixtures.staff(h.db, clinic: h.clinic, role: .frontDesk, email: "colleague@harbour.example")
        let otherStaff = try await Fixtures.staff(h.db, clinic: h.otherClinic, role: .frontDesk, email: "colleague@other.example")
        var fixtures = MatrixFixtures(ownFirst: try await records(own, given: "Ada", family: "Ownclinicfirst"),
                                      ownSecond: try await records(own, given: "Bea", family: "Ownclinicsecond"),
                                      other: try await records(other, given: "Zed", family: "Otherclinicpatient"),
                                      ownStaff: ownStaff.id.uuidString.lowercased(), otherStaff: otherStaff.id.uuidString.lowercased())
        fixtures.ownExport = try await export(h, token: own)
        fixtures.otherExport = try await export(h, token: other)
        return fixtures
    }

    /// Kicks off a whole-clinic FHIR export and waits until it is complete (read from the database,
    /// so no status poll is spent); its job id and one file id.
    static func export(_ h: Harness, token: String) async throws -> (job: String, file: String) {
        let kick = try await h.request(.get, "/fhir/$export", token: token, headers: [HTTPField.Name("Prefer")!: "respond-async"])
        let job = try #require(kick.headers[.contentLocation]?.split(separator: "/").last.map(String.init), "export: \(kick.status) \(kick.body)")
        let jobId = try #require(UUID(uuidString: job))
        for _ in 0..<400 {
            let file = try await h.db.read { sql in
                try await sql.raw("""
                    SELECT f.id FROM fhir_export_files f JOIN fhir_export_jobs j ON j.id = f.job_id
                    WHERE j.id = \(bind: jobId) AND j.status = 'complete' ORDER BY f.resource_type LIMIT 1
                    """).first()?.decode(column: "id", as: UUID.self)
            }
            if let file { return (job, file.uuidString.lowercased()) }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw HarnessError("the export did not complete")
    }

    /// An upload waiting on `/admin/import` (a one-row patient file and its error report), as the upload form leaves it.
    static func importUpload(clinic: Clinic, dataDirectory: String) throws -> String {
        let uploads = ImportUploads(dataDirectory: dataDirectory)
        let choice = ImportUploads.Choice(clinicId: clinic.id, kind: .patients, preset: "scartrack", dateFormat: .iso, fileName: "matrix.csv")
        let id = try uploads.save(Array("sourceId,givenName,familyName,dateOfBirth\nM-\(UUID().uuidString.prefix(8)),Max,Matrix,1990-01-01\n".utf8),
                                  choice: choice)
        try "row,field,reason\r\n".write(to: uploads.errors(id), atomically: true, encoding: .utf8)
        return id.uuidString.lowercased()
    }

    func value(_ fill: AccessTable.Fill, records: PatientRecords, staff: String) -> String {
        switch fill {
        case .patient: records.patient
        case .assessment: records.assessment
        case .photo: records.photo
        case .intake: records.intake
        case .plan: records.plan
        case .appointment: records.appointment
        case .practitioner: records.practitioner
        case .study: records.study
        case .template: records.template
        case .session: records.session
        case .consent: records.consent
        case .adverseEvent: records.adverseEvent
        case .suspected: records.suspected
        case .reportedPhoto: records.reportedPhoto
        case .changeRequest: records.changeRequest
        case .device: records.device
        case .lot: records.lot
        case .room: records.room
        case .clinic: records.clinic
        case .ratingPhoto: records.photo
        case .importUpload: records.importUpload
        case .studyParticipant: records.studyParticipant
        case .staff: staff
        case .rule: "topical-retinoid"
        case .questionnaire: "intake"
        case .exportJob: records.clinic == other.clinic ? otherExport.job : ownExport.job
        case .exportFile: records.clinic == other.clinic ? otherExport.file : ownExport.file
        }
    }

    /// The concrete path for a target; nil when the target makes no sense for the route
    /// (no clinic-scoped parameter, or only one for `otherPatient`).
    func path(_ pattern: String, target: AccessTable.Target) throws -> String? {
        let fills = try AccessTable.fills(of: pattern)
        let scoped = fills.filter { $0.fill.isClinicScoped }
        switch target {
        case .own: break
        case .otherClinic: if scoped.isEmpty { return nil }
        case .otherPatient: if scoped.filter({ $0.fill.isPatientData }).count < 2 { return nil }
        }
        var index = 0
        return try substitute(pattern) { fill in
            defer { index += 1 }
            switch target {
            case .own: return value(fill, records: ownFirst, staff: ownStaff)
            case .otherClinic: return value(fill, records: other, staff: otherStaff)
            // The first parameter names the first patient; the sub-record is the second patient's.
            case .otherPatient: return value(fill, records: index == 0 ? ownFirst : ownSecond, staff: ownStaff)
            }
        }
    }

    /// The same route with every clinic-scoped parameter an id that exists nowhere.
    func unknownPath(_ pattern: String) throws -> String {
        try substitute(pattern) { fill in fill.isClinicScoped ? UUID().uuidString.lowercased() : value(fill, records: ownFirst, staff: ownStaff) }
    }

    private func substitute(_ pattern: String, _ value: (AccessTable.Fill) throws -> String) throws -> String {
        let parts = pattern.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        var out: [String] = []
        for (i, part) in parts.enumerated() {
            if part.hasPrefix(":") {
                let key = parts[i - 1] + "/" + part
                guard let fill = AccessTable.parameters[key] else { throw HarnessError("unmapped parameter \(key)") }
                out.append(try value(fill))
            } else {
                out.append(part)
            }
        }
        return out.joined(separator: "/")
    }
}
