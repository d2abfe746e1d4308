import Foundation
import HTTPTypes
import ScarClinic
import ScarCore
@testable import ScarServer
import ScarStore
import ScarTestSupport
import SQLKit
import Testing

/// THE table of expected access. Everything the authorization matrix test expects comes from
/// here; a new route is covered as soon as it is added through `Routes`, and a new kind of
/// path parameter fails the test until it is added to `parameters`.
enum AccessTable {
    /// What fills a path parameter, named by the path segment before it and the parameter.
    enum Fill: Sendable {
        /// A record that belongs to one patient of one clinic.
        case patient, assessment, photo, intake, plan, appointment, session, consent, adverseEvent
        /// What a patient reported from home (a suspected adverse event) and a photo they sent.
        case suspected, reportedPhoto
        /// A patient's request (from the portal) to change or cancel an appointment.
        case changeRequest
        /// A member of staff of one clinic (never the caller).
        case staff
        /// Clinic-level records: a practitioner's calendar, a study, a protocol template, a room, the clinic itself.
        case practitioner, study, template, device, lot, room, clinic
        /// A study participant's photo served for blinded grading (consented for research).
        case ratingPhoto
        /// A CSV file uploaded on `/admin/import` by one clinic's administrator.
        case importUpload
        /// A screening rule id: the same for every clinic.
        case rule
        /// A FHIR Questionnaire id: the intake form's is the same in every clinic.
        case questionnaire
        /// A patient's enrolment in a study (its FHIR ResearchSubject).
        case studyParticipant
        /// A FHIR bulk export of the whole clinic (identified patient data), and one of its files.
        case exportJob, exportFile

        /// Identified patient data: the de-identified roles may never reach it.
        var isPatientData: Bool {
            [.patient, .assessment, .photo, .intake, .plan, .appointment, .session, .consent, .adverseEvent, .suspected, .reportedPhoto,
             .changeRequest, .exportJob, .exportFile, .studyParticipant].contains(self)
        }
        var isClinicScoped: Bool { self != .rule && self != .questionnaire }
    }

    static let parameters: [String: Fill] = [
        "patients/:id": .patient,
        "assessments/:id": .assessment,
        "photos/:id": .photo,
        "intakes/:id": .intake,
        "staff/:id": .staff,
        "rules/:rule": .rule,
        "plans/:id": .plan,
        "appointments/:id": .appointment,
        "practitioners/:id": .practitioner,
        "studies/:id": .study,
        "protocol-templates/:id": .template,
        "sessions/:id": .session,
        "consents/:id": .consent,
        "adverse-events/:id": .adverseEvent,
        "devices/:id": .device,
        "lots/:id": .lot,
        "rating-photos/:photo": .ratingPhoto,
        "suspected-adverse-events/:id": .suspected,
        "reported-photos/:id": .reportedPhoto,
        "change-requests/:id": .changeRequest,
        "import/:id": .importUpload,
        // FHIR (`/fhir/{type}/{id}`): each resource type's id is the record it shows (an intake's
        // Fitzpatrick Observation, the patient's acne-scarring Condition).
        "Patient/:id": .patient,
        "Condition/:id": .patient,
        "Observation/:id": .intake,
        "Procedure/:id": .session,
        "Consent/:id": .consent,
        "AdverseEvent/:id": .adverseEvent,
        "Appointment/:id": .appointment,
        "CarePlan/:id": .plan,
        // A session's id is the Provenance of its charting.
        "Provenance/:id": .session,
        // An intake's id is its QuestionnaireResponse.
        "QuestionnaireResponse/:id": .intake,
        "Questionnaire/:id": .questionnaire,
        // A photo's id is its Media and the Binary of its bytes.
        "Media/:id": .photo,
        "Binary/:id": .photo,
        // A study is a ResearchStudy; each enrolment a ResearchSubject.
        "ResearchStudy/:id": .study,
        "ResearchSubject/:id": .studyParticipant,
        "Practitioner/:id": .practitioner,
        "Device/:id": .device,
        "Location/:id": .room,
        "Organization/:id": .clinic,
        // FHIR Bulk Data: a Group is a split-face study's participants.
        "Group/:id": .study,
        "$export-status/:id": .exportJob,
        "$export-file/:id": .exportFile,
    ]

    /// Paths that show identified patient data even without a parameter (lists, searches).
    static let patientDataPrefixes = ["/patients", "/api/v1/patients", "/assessments", "/photos", "/intakes",
                                      "/fhir/Patient", "/fhir/Condition", "/fhir/Observation", "/fhir/Procedure", "/fhir/Consent",
                                      "/fhir/AdverseEvent", "/fhir/Appointment", "/fhir/CarePlan", "/fhir/Provenance", "/fhir/QuestionnaireResponse", "/fhir/Media", "/fhir/Binary", "/fhir/ResearchSubject",
                                      "/fhir/$export", "/fhir/Group"]
    /// Paths only administrators may use.
    static let adminPrefixes = ["/admin", "/api/v1/admin", "/audit", "/api/v1/audit", "/api/v1/imports"]
    /// Paths only the installation's operator may use (no staff role, whatever the clinic), and
    /// the only paths the operator credential opens.
    static let operatorPrefixes = ["/api/v1/operator"]

    /// Decisions recorded route by route, held against each route's policy (issue 6): analytics
    /// aggregates for admins, practitioners and researchers (no identified data in them); the
    /// de-identified research export for researchers and admins; front desk and blinded raters
    /// refused; depth-band settings for admins.
    static let decided: [String: Set<Role>] = [
        "POST /admin/clinic/logo": [.admin],
        "POST /admin/clinic/logo/remove": [.admin],
        "GET /api/v1/analytics": [.admin, .practitioner, .researcher],
        "GET /api/v1/analytics.csv": [.admin, .practitioner, .researcher],
        "GET /analytics": [.admin, .practitioner, .researcher],
        "GET /api/v1/research/export.csv": [.admin, .researcher],
        "POST /analytics/settings": [.admin],
    ]

    enum Target: String, CaseIterable, Sendable {
        /// The caller's own clinic, its first patient.
        case own
        /// Another clinic's records.
        case otherClinic
        /// Own clinic, but a sub-record of a different patient than the one in the path.
        case otherPatient
    }

    enum Expectation: Equatable, CustomStringConvertible {
        /// 403: the role may not use the route at all.
        case forbidden
        /// The route runs (any status but 401/403/404 and never 5xx).
        case reaches
        /// Exactly what an id that does not exist gets (404 when the route looks records up):
        /// nothing tells the caller the record exists.
        case sameAsUnknown

        var description: String {
            switch self { case .forbidden: "403"; case .reaches: "reaches the handler"; case .sameAsUnknown: "same as an unknown id" }
        }
    }

    /// The one rule for every route × role × target.
    static func expected(policy: AccessPolicy, role: Role, target: Target) -> Expectation {
        guard policy.allows(role) else { return .forbidden }
        return target == .own ? .reaches : .sameAsUnknown
    }

    /// The parameters of a route pattern, each with its fill; throws for one nobody mapped.
    static func fills(of path: String) throws -> [(key: String, fill: Fill)] {
        let parts = path.split(separator: "/").map(String.init)
        var out: [(String, Fill)] = []
        for (i, part) in parts.enumerated() where part.hasPrefix(":") {
            let key = (i > 0 ? parts[i - 1] : "") + "/" + part
            guard let fill = parameters[key] else {
                throw HarnessError("Route \(path) has the parameter \(key), which AccessTable.parameters does not map: add a fixture for it")
            }
            out.append((key, fill))
        }
        return out
    }

    static func isPatientData(_ path: String) throws -> Bool {
        try fills(of: path).contains { $0.fill.isPatientData } || patientDataPrefixes.contains { path == $0 || path.hasPrefix($0 + "/") }
    }
}

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

@Suite("Authorization matrix: every route × role × clinic × patient")
struct AuthorizationMatrixTests {
    /// A signed-in caller whose token is renewed when a route (sign-out) ends its session.
    final class Caller: @unchecked Sendable {
        let role: Role
        let email: String
        var token = ""
        var csrf = ""
        init(role: Role, email: String) { self.role = role; self.email = email }

        func ensure(_ h: Harness) async throws {
            if !token.isEmpty, let s = try await SignInRepository(h.db).find(token: token, idleTimeout: 3600) {
                csrf = s.csrfToken
                return
            }
            token = try await h.token(email: email)
            csrf = try #require(try await SignInRepository(h.db).find(token: token, idleTimeout: 3600)).csrfToken
        }
    }

    func send(_ h: Harness, _ route: RouteSpec, _ path: String, _ caller: Caller) async throws -> RawReply {
        try await caller.ensure(h)
        var headers: HTTPFields = [.accept: route.kind == .api ? "application/json" : "text/html"]
        headers[.authorization] = "Bearer \(caller.token)"
        headers[.ifMatch] = "\"1\""
        let isWrite = ![.get, .head, .options].contains(route.method)
        guard isWrite else { return try await h.send(route.method, path, headers: headers) }
        if route.kind == .api {
            return try await h.send(route.method, path, headers: headers, body: Array("{}".utf8), contentType: "application/json")
        }
        // Page forms and uploads: a valid CSRF token and nothing else.
        var multipart = Multipart()
        multipart.fields = [("csrf", caller.csrf)]
        if path.hasSuffix("/photos") {
            return try await h.send(route.method, path, headers: headers, body: multipart.body, contentType: multipart.contentType)
        }
        return try await h.send(route.method, path, headers: headers, body: Array("csrf=\(caller.csrf)".utf8),
                                contentType: "application/x-www-form-urlencoded")
    }

    @Test func everyRouteRoleAndTargetGetsExactlyWhatTheTableSays() async throws {
        try await withPhotoHarness { h, dir in
            let fixtures = try await MatrixFixtures.make(h, dataDirectory: dir.path)
            let callers = Role.allCases.map { Caller(role: $0, email: h.staff[$0]!.email) }
            var failures: [String] = []
            var checked = 0
            // Sign-out routes last, so they do not end sessions the other routes need.
            let routes = h.routes.routes.filter { $0.policy != .anyone }
                .sorted { ($0.path.contains("sign") || $0.path.contains("sessions/current") ? 1 : 0) < ($1.path.contains("sign") || $1.path.contains("sessions/current") ? 1 : 0) }
            for route in routes {
                let name = "\(route.method) \(route.path)"
                for caller in callers {
                    for target in AccessTable.Target.allCases {
                        guard let path = try fixtures.path(route.path, target: target) else { continue }
                        let expected = AccessTable.expected(policy: route.policy, role: caller.role, target: target)
                        let reply = try await send(h, route, path, caller)
                        checked += 1
                        let code = reply.status.code
                        let label = "\(name) as \(caller.role.rawValue), \(target.rawValue): got \(code), expected \(expected)"
                        if code >= 500 { failures.append(label); continue }
                        switch expected {
                        case .forbidden:
                            if code != 403 { failures.append(label) }
                        case .reaches:
                            if [401, 403, 404].contains(code) { failures.append(label) }
                        case .sameAsUnknown:
                            let unknown = try await send(h, route, try fixtures.unknownPath(route.path), caller)
                            if code != unknown.status.code || (200..<400).contains(code) {
                                failures.append(label + " (unknown id gets \(unknown.status.code))")
                            }
                        }
                        // Whatever a caller gets back never names another clinic's patient.
                        // (Problem documents repeat the requested path, so the id only counts when it was not asked for.)
                        if reply.text.contains(fixtures.other.family)
                            || (!path.contains(fixtures.other.patient) && reply.text.contains(fixtures.other.patient)) {
                            failures.append("\(label): the reply shows another clinic's patient")
                        }
                        if Role.deidentified.contains(caller.role),
                           [fixtures.ownFirst.family, fixtures.ownSecond.family].contains(where: reply.text.contains) {
                            failures.append("\(label): a de-identified role was shown a patient's name")
                        }
                    }
                }
            }
            #expect(failures.isEmpty, Comment(rawValue: "\(failures.count) of \(checked) cases broke the access table:\n" + failures.joined(separator: "\n")))
            #expect(checked > 100)
            // No write by this clinic's staff ever touched the other clinic's patient.
            let leaked = try await h.db.read { sql in
                try await sql.raw("""
                    SELECT COUNT(*) AS n FROM audit_log WHERE clinic_id = \(bind: h.clinic.id) AND patient_id = \(bind: UUID(uuidString: fixtures.other.patient)!)
                    """).first()!.decode(column: "n", as: Int.self)
            }
            #expect(leaked == 0, "staff of one clinic reached another clinic's patient")
        }
    }

    @Test func routesThatShowPatientDataNeverAdmitDeidentifiedRolesAndAdminPagesAreAdminOnly() async throws {
        try await Harness.run { h in
            for route in h.routes.routes {
                let name = "\(route.method) \(route.path)"
                if try AccessTable.isPatientData(route.path) {
                    for role in Role.deidentified {
                        #expect(!route.policy.allows(role), "\(name) shows identified patient data to \(role.rawValue)")
                    }
                    #expect(route.policy != .anyone, "\(name) shows patient data without sign-in")
                }
                if AccessTable.adminPrefixes.contains(where: { route.path == $0 || route.path.hasPrefix($0 + "/") }) {
                    #expect(route.policy == .adminOnly, "\(name) is an admin route but its policy is \(route.policy)")
                }
                let operatorPath = AccessTable.operatorPrefixes.contains(where: { route.path == $0 || route.path.hasPrefix($0 + "/") })
                #expect(operatorPath == (route.policy == .installationOperator), "\(name): operator routes and only they have the operator policy")
                let showsPatients = try AccessTable.isPatientData(route.path)
                if operatorPath { #expect(route.kind == .api && !showsPatients, "\(name)") }
            }
        }
    }

    /// The operator credential opens the operator routes and nothing else: every staff route
    /// answers it exactly as it answers no credential at all (401, or the sign-in redirect for
    /// pages). Without it the operator routes are 401; every staff role gets 403 there (the
    /// matrix above, since `installationOperator` allows no role).
    @Test func theOperatorCredentialOpensOnlyTheOperatorRoutes() async throws {
        try await Harness.run { h in
            let fixtures = try await MatrixFixtures.make(h)
            let admin = try await h.token(.admin)
            var failures: [String] = []
            var operatorRoutes = 0
            for route in h.routes.routes where route.policy != .anyone {
                let name = "\(route.method) \(route.path)"
                let path = try #require(try fixtures.path(route.path, target: .own))
                let isWrite = ![.get, .head, .options].contains(route.method)
                func send(_ token: String?) async throws -> Reply {
                    var headers: HTTPFields = [.accept: route.kind == .api ? "application/json" : "text/html"]
                    if let token { headers[.authorization] = "Bearer \(token)" }
                    return try await h.request(route.method, path, headers: headers, rawBody: isWrite ? "{}" : nil)
                }
                let asOperator = try await send(Harness.operatorToken)
                if route.policy == .installationOperator {
                    operatorRoutes += 1
                    if [401, 403, 404].contains(asOperator.status.code) || asOperator.status.code >= 500 { failures.append("\(name) as operator: \(asOperator.status.code)") }
                    if try await send(nil).status != .unauthorized { failures.append("\(name) without a credential is not 401") }
                    if try await send(admin).status != .forbidden { failures.append("\(name) as a clinic admin is not 403") }
                } else {
                    let expected: HTTPResponse.Status = route.kind == .page ? .seeOther : .unauthorized
                    if asOperator.status != expected { failures.append("\(name) with the operator token: \(asOperator.status.code), expected \(expected.code)") }
                    if asOperator.body.contains(fixtures.ownFirst.family) || asOperator.body.contains(fixtures.other.family) {
                        failures.append("\(name) showed a patient to the operator token")
                    }
                }
            }
            #expect(operatorRoutes == 2)
            #expect(failures.isEmpty, Comment(rawValue: failures.joined(separator: "\n")))
        }
    }

    @Test func decidedRoutesAdmitExactlyTheDecidedRoles() async throws {
        try await Harness.run { h in
            for (name, roles) in AccessTable.decided {
                let route = try #require(h.routes.routes.first { "\($0.method) \($0.path)" == name }, "\(name) is not served")
                for role in Role.allCases {
                    #expect(route.policy.allows(role) == roles.contains(role), "\(name) for \(role.rawValue)")
                }
            }
        }
    }

    /// `/clinic/logo` is open in the route table because the portal and printed pages show it, but
    /// it names no clinic: every role of the clinic sees its own logo, a patient of that clinic in
    /// the portal too; nobody signed in, the operator token and another clinic's staff get 404.
    @Test func theClinicLogoIsServedOnlyToWhoeverIsSignedInToItsClinic() async throws {
        try await withPhotoHarness { h, _ in
            let admin = try await PageSession.signIn(h, role: .admin)
            var form = Multipart()
            form.fields = [("csrf", admin.csrf)]
            form.files = [("logo", "logo.png", "image/png", ImageFixtures.png(width: 6, height: 3))]
            let saved = try await h.send(.post, "/admin/clinic/logo", headers: [.cookie: admin.cookieHeader], body: form.body, contentType: form.contentType)
            #expect(saved.status == .seeOther)
            for role in Role.allCases {
                let r = try await h.send(.get, "/clinic/logo", token: try await h.token(role))
                #expect(r.status == .ok && r.headers[.contentType] == "image/png", "\(role.rawValue)")
            }
            let patient = try await h.newPatient(try await h.token(.practitioner))
            let caller = try await h.portalSignIn(patientId: patient, email: "logo.matrix@example.com", staffToken: try await h.token(.practitioner))
            #expect(try await h.send(.get, "/clinic/logo", headers: [.cookie: caller.cookieHeader]).status == .ok)
            #expect(try await h.send(.get, "/clinic/logo").status == .notFound)
            #expect(try await h.send(.get, "/clinic/logo", token: Harness.operatorToken).status == .notFound)
            #expect(try await h.send(.get, "/clinic/logo", token: try await h.token(email: h.otherClinicAdmin.email)).status == .notFound)
        }
    }

    @Test func anUnmappedParameterFailsLoudly() {
        #expect(throws: HarnessError.self) { try AccessTable.fills(of: "/api/v1/widgets/:widget") }
        #expect(throws: HarnessError.self) { try AccessTable.fills(of: "/patients/:id/plans/:planId") }
    }
}
