import Foundation
import ScarCore
import ScarStore

/// A generated clinic with known answers for the analytics tests: 20 treated patients written
/// through `SyntheticCourses` (patients, intakes and assessments through their repositories),
/// one patient with only a draft session (not treated), and one treated patient in another
/// clinic (never counted). Day 0 is 2025-03-03; sessions fall on days 7, 35, 63 and 91.
public struct AnalyticsClinic: Sendable {
    public struct Spec: Sendable {
        public var fitzpatrick: Int?
        public var baseline: Int
        public var followUps: [(day: Int, grade: Int)]
        public var sessions: Int
        public var depth: Double
        public var practitionerB: Bool
        /// 1: template 1 with PRP, 3 sessions planned; 2: template 2 without PRP, 4 planned; nil: no plan.
        public var plan: Int?
        public var rf: Bool
        public var dominant: String
        /// (onset day, session index or nil)
        public var adverseEvents: [(day: Int, session: Int?)]
        public var prpKit: Bool = false
    }

    /// The known course of each of the 20 treated patients.
    public static let specs: [Spec] = [
        Spec(fitzpatrick: 2, baseline: 3, followUps: [(120, 2)], sessions: 3, depth: 1.50, practitionerB: false, plan: 1, rf: false, dominant: "rolling", adverseEvents: []),
        Spec(fitzpatrick: 4, baseline: 4, followUps: [(120, 3)], sessions: 4, depth: 2.00, practitionerB: false, plan: 2, rf: false, dominant: "boxcar", adverseEvents: [(8, 0)]),
        Spec(fitzpatrick: 5, baseline: 3, followUps: [(120, 3)], sessions: 3, depth: 1.00, practitionerB: false, plan: 1, rf: false, dominant: "ice-pick", adverseEvents: []),
        Spec(fitzpatrick: 1, baseline: 4, followUps: [(60, 4), (150, 2)], sessions: 4, depth: 1.50, practitionerB: false, plan: 2, rf: true, dominant: "rolling", adverseEvents: []),
        Spec(fitzpatrick: 6, baseline: 3, followUps: [], sessions: 2, depth: 0.75, practitionerB: false, plan: 1, rf: false, dominant: "boxcar", adverseEvents: []),
        Spec(fitzpatrick: 3, baseline: 3, followUps: [(120, 2)], sessions: 3, depth: 1.25, practitionerB: false, plan: 1, rf: false, dominant: "rolling", adverseEvents: [(40, 1)]),
        Spec(fitzpatrick: nil, baseline: 4, followUps: [(120, 3)], sessions: 1, depth: 1.00, practitionerB: false, plan: nil, rf: false, dominant: "boxcar", adverseEvents: [], prpKit: true),
        Spec(fitzpatrick: 4, baseline: 3, followUps: [(90, 2)], sessions: 3, depth: 1.50, practitionerB: true, plan: 1, rf: true, dominant: "rolling", adverseEvents: []),
        Spec(fitzpatrick: 2, baseline: 4, followUps: [(120, 4)], sessions: 4, depth: 2.00, practitionerB: true, plan: 2, rf: false, dominant: "ice-pick", adverseEvents: [(10, 0), (12, 0)]),
        Spec(fitzpatrick: 5, baseline: 3, followUps: [(120, 1)], sessions: 3, depth: 1.50, practitionerB: true, plan: 1, rf: false, dominant: "rolling", adverseEvents: []),
        Spec(fitzpatrick: 3, baseline: 4, followUps: [(120, 3)], sessions: 4, depth: 1.00, practitionerB: false, plan: 2, rf: false, dominant: "boxcar", adverseEvents: []),
        Spec(fitzpatrick: 6, baseline: 3, followUps: [(120, 3)], sessions: 2, depth: 1.50, practitionerB: true, plan: 2, rf: true, dominant: "ice-pick", adverseEvents: [(70, nil)]),
        Spec(fitzpatrick: 1, baseline: 3, followUps: [(120, 2)], sessions: 3, depth: 1.25, practitionerB: false, plan: 1, rf: false, dominant: "mixed", adverseEvents: []),
        Spec(fitzpatrick: 4, baseline: 4, followUps: [(120, 2)], sessions: 4, depth: 2.00, practitionerB: true, plan: 2, rf: false, dominant: "rolling", adverseEvents: []),
        Spec(fitzpatrick: 2, baseline: 3, followUps: [], sessions: 3, depth: 1.50, practitionerB: true, plan: 1, rf: false, dominant: "boxcar", adverseEvents: []),
        Spec(fitzpatrick: 5, baseline: 4, followUps: [(120, 3)], sessions: 4, depth: 1.50, practitionerB: false, plan: 2, rf: false, dominant: "rolling", adverseEvents: []),
        Spec(fitzpatrick: 3, baseline: 3, followUps: [(120, 3)], sessions: 3, depth: 0.50, practitionerB: false, plan: 1, rf: true, dominant: "boxcar", adverseEvents: [(100, 2)]),
        Spec(fitzpatrick: 4, baseline: 4, followUps: [(120, 3)], sessions: 2, depth: 1.50, practitionerB: true, plan: 2, rf: false, dominant: "rolling", adverseEvents: []),
        Spec(fitzpatrick: 1, baseline: 3, followUps: [(30, 3), (120, 2)], sessions: 3, depth: 1.00, practitionerB: false, plan: 1, rf: false, dominant: "rolling", adverseEvents: []),
        Spec(fitzpatrick: 6, baseline: 4, followUps: [(120, 3)], sessions: 4, depth: 1.50, practitionerB: false, plan: 2, rf: false, dominant: "none", adverseEvents: []),
    ]

    public static let start = CalendarDate("2025-03-03")!
    public static func day(_ offset: Int) -> String { start.adding(days: offset).description }

    public var clinic: Clinic
    public var otherClinic: Clinic
    public var practitionerA: StaffUser
    public var practitionerB: StaffUser
    /// Stable template ids of template 1 (PRP) and template 2.
    public var template1: UUID
    public var template2: UUID
    public var patients: [UUID]
    public var untreated: UUID
    /// Every identifying value written (names, record numbers, birth dates, contacts, free text).
    public var identifiers: [String]

    static func counts(_ dominant: String) -> [ScarType: Int] {
        switch dominant {
        case "rolling": [.rolling: 8, .boxcar: 3]
        case "boxcar": [.boxcar: 9, .icePick: 2]
        case "ice-pick": [.icePick: 10, .rolling: 1]
        case "mixed": [.rolling: 5, .boxcar: 5]
        default: [:]
        }
    }

    public static func make(_ db: ScarDatabase) async throws -> AnalyticsClinic {
        let clinic = try await Fixtures.clinic(db, name: "Analytics Clinic")
        let other = try await Fixtures.clinic(db, name: "Elsewhere Clinic")
        let a = try await Fixtures.staff(db, clinic: clinic, role: .practitioner, email: "a.practitioner@analytics.example")
        let b = try await Fixtures.staff(db, clinic: clinic, role: .practitioner, email: "b.practitioner@analytics.example")
        let otherStaff = try await Fixtures.staff(db, clinic: other, role: .practitioner, email: "x.practitioner@elsewhere.example")
        let actor = AuditActor(user: a, clientAddress: "127.0.0.1")
        let templates = try await ProtocolTemplateRepository(db).list(clinicId: clinic.id, by: actor)
        let t1 = templates[0], t2 = templates[1]
        let equipment = try await SyntheticCourses.equipment(db, clinicId: clinic.id)
        var identifiers: [String] = []
        var patients: [UUID] = []
        for (i, spec) in specs.enumerated() {
            let given = "Givenname\(Self.letters(i))", family = "Familyname\(Self.letters(i))"
            let mrn = "MRN-ANALYTICS-\(1000 + i)", dob = "19\(70 + i)-0\(1 + i % 9)-1\(i % 10)"
            let phone = "+44 20 7946 \(String(format: "%04d", 1000 + i))", email = "patient\(i)@analytics-mail.example"
            let input = PatientDetails.Input(givenName: given, familyName: family, dateOfBirth: dob, sex: "female", mrn: mrn, phone: phone, email: email)
            let details = try PatientDetails.validate(input, today: CalendarDate("2026-11-21")!).get()
            let note = "Free text note \(Self.letters(i)) secret"
            identifiers += [given, family, mrn, dob, phone, email, note]
            var assessments = [SyntheticCourse.Assessment(day: 0, grade: spec.baseline, counts: counts(spec.dominant), notes: note)]
            for f in spec.followUps {
                assessments.append(.init(day: f.day, grade: f.grade, counts: counts(spec.dominant).mapValues { max(0, $0 - 2) }))
            }
            let sessions = (0..<spec.sessions).map { k in
                SyntheticCourse.Session(day: 7 + 28 * k, depthMm: k == spec.sessions - 1 ? spec.depth : min(spec.depth, 0.5),
                                        practitionerId: spec.practitionerB ? b.id : a.id, prpKit: spec.prpKit, notes: "Session note \(note)")
            }
            let plan = spec.plan.map { p in
                p == 1 ? SyntheticCourse.Plan(templateVersionId: t1.id, sessions: 3, adjuncts: [.prp])
                       : SyntheticCourse.Plan(templateVersionId: t2.id, sessions: 4, adjuncts: [.subcision])
            }
            let course = SyntheticCourse(details: details, fitzpatrick: spec.fitzpatrick, start: start, modality: spec.rf ? .rfMicroneedling : .microneedling,
                                         plan: plan, assessments: assessments, sessions: sessions,
                                         adverseEvents: spec.adverseEvents.map { .init(day: $0.day, sessionIndex: $0.session, notes: "AE note \(note)") })
            patients.append(try await SyntheticCourses.insert(course, into: db, clinicId: clinic.id, raterId: a.id, deviceId: equipment.deviceId,
                                                              prpLotId: equipment.prpLotId, by: actor))
        }
        // Only a draft session: assessed, but not treated.
        let draftDetails = try PatientDetails.validate(PatientDetails.Input(givenName: "Draftonly", familyName: "Untreated", dateOfBirth: "1990-01-01",
                                                                            sex: "male", mrn: "MRN-DRAFT-1"), today: CalendarDate("2026-11-21")!).get()
        identifiers += ["Draftonly", "Untreated", "MRN-DRAFT-1", "1990-01-01"]
        let untreated = try await SyntheticCourses.insert(
            SyntheticCourse(details: draftDetails, fitzpatrick: 2, start: start, modality: .microneedling, plan: nil,
                            assessments: [.init(day: 0, grade: 4, counts: [.rolling: 3]), .init(day: 120, grade: 2, counts: [.rolling: 1])],
                            sessions: [.init(day: 7, depthMm: 1.0, practitionerId: a.id, signed: false)], adverseEvents: [.init(day: 9, sessionIndex: 0)]),
            into: db, clinicId: clinic.id, raterId: a.id, deviceId: equipment.deviceId, prpLotId: equipment.prpLotId, by: actor)
        // Another clinic's treated patient, never counted here.
        let otherActor = AuditActor(user: otherStaff, clientAddress: "127.0.0.1")
        let otherEquipment = try await SyntheticCourses.equipment(db, clinicId: other.id)
        let otherDetails = try PatientDetails.validate(PatientDetails.Input(givenName: "Elsewhere", familyName: "Patient", dateOfBirth: "1985-05-05",
                                                                            sex: "female", mrn: "MRN-OTHER-1"), today: CalendarDate("2026-11-21")!).get()
        try await SyntheticCourses.insert(
            SyntheticCourse(details: otherDetails, fitzpatrick: 5, start: start, modality: .microneedling, plan: nil,
                            assessments: [.init(day: 0, grade: 4, counts: [.rolling: 3]), .init(day: 120, grade: 1, counts: [.rolling: 1])],
                            sessions: [.init(day: 7, depthMm: 1.0, practitionerId: otherStaff.id)], adverseEvents: [.init(day: 9, sessionIndex: 0)]),
            into: db, clinicId: other.id, raterId: otherStaff.id, deviceId: otherEquipment.deviceId, prpLotId: otherEquipment.prpLotId, by: otherActor)
        return AnalyticsClinic(clinic: clinic, otherClinic: other, practitionerA: a, practitionerB: b, template1: t1.templateId, template2: t2.templateId,
                               patients: patients, untreated: untreated, identifiers: identifiers)
    }

    static func letters(_ i: Int) -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz")
        return String(alphabet[i % 26]) + String(alphabet[(i / 26 + 7) % 26]) + "q"
    }

    // MARK: The reference answers, computed plainly from the specs

    public struct Expected {
        public var patients = 0, sessions = 0, completed = 0, evaluable = 0, responders = 0
        public var groups: [String: (patients: Int, evaluable: Int, responders: Int)] = [:]
        public var gradeChangeSum = 0, gradeChangeN = 0
        public var ttrDays: [Int] = []
        public var aeEvents = 0, aePatients = 0, aeSessions = 0
    }

    /// What the analytics must say for a filter on session day range / practitioner / template.
    public static func expected(fromDay: Int? = nil, toDay: Int? = nil, practitionerB: Bool? = nil, plan: Int? = nil,
                                bands: DepthBands = .productDefault) -> Expected {
        var e = Expected()
        for spec in specs {
            if let p = practitionerB, spec.practitionerB != p { continue }
            if let plan, spec.plan != plan { continue }
            func inRange(_ day: Int) -> Bool { (fromDay.map { day >= $0 } ?? true) && (toDay.map { day <= $0 } ?? true) }
            let sessionDays = Array((0..<spec.sessions).map { 7 + 28 * $0 }.enumerated()).filter { pair in inRange(pair.element) }
            guard !sessionDays.isEmpty else { continue }
            e.patients += 1
            e.sessions += sessionDays.count
            let planned = spec.plan.map { $0 == 1 ? 3 : 4 }
            if let planned, sessionDays.count >= planned { e.completed += 1 }
            let followUps = spec.followUps.filter { f in toDay.map { f.day <= $0 } ?? true }
            let evaluable = !followUps.isEmpty
            let responder = followUps.last.map { $0.grade <= spec.baseline - 1 } ?? false
            if evaluable { e.evaluable += 1; e.gradeChangeN += 1; e.gradeChangeSum += followUps.last!.grade - spec.baseline }
            if responder { e.responders += 1 }
            if let first = followUps.first(where: { $0.grade <= spec.baseline - 1 }) { e.ttrDays.append(first.day) }
            let depth = sessionDays.map { pair in pair.offset == spec.sessions - 1 ? spec.depth : min(spec.depth, 0.5) }.max()
            let keys = [
                "dominantType:\(spec.dominant)",
                "fitzpatrickGroup:\(FitzpatrickGroup.of(spec.fitzpatrick).rawValue)",
                "fitzpatrickType:\(spec.fitzpatrick.map(String.init) ?? "unknown")",
                "modality:\(spec.rf ? "rf-microneedling" : "microneedling")",
                "prp:\(spec.plan == 1 || spec.prpKit ? 1 : 0)",
                "sessions:\(sessionDays.count)",
                "depthBand:\(bands.key(forMillimetres: depth))",
            ]
            for key in keys {
                var g = e.groups[key] ?? (0, 0, 0)
                g.patients += 1
                if evaluable { g.evaluable += 1 }
                if responder { g.responders += 1 }
                e.groups[key] = g
            }
            let aes = spec.adverseEvents.filter { ae in inRange(ae.day) }
            e.aeEvents += aes.count
            if !aes.isEmpty { e.aePatients += 1 }
            let chosen = Set(sessionDays.map { pair in pair.offset })
            e.aeSessions += Set(spec.adverseEvents.compactMap { ae in ae.session }.filter { chosen.contains($0) }).count
        }
        return e
    }
}
