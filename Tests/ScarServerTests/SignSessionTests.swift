import Foundation
import ScarClinic
import ScarCore
import ScarServer
import ScarStore
import ScarTestSupport
import SQLKit
import Synchronization
import Testing

/// Signing a session is one use case: one write transaction, one `session.sign` audit entry,
/// and the checklist decided inside it, so a consent withdrawn at the same moment is either seen
/// or waits until the signature has landed (issue 12).
@Suite("Sign session use case")
struct SignSessionTests {
    static func auditActions(_ db: ScarDatabase, after seq: Int = 0) async throws -> [String] {
        try await db.read { sql in
            try await sql.raw("SELECT action FROM audit_log WHERE seq > \(bind: seq) ORDER BY seq").all()
                .map { try $0.decode(column: "action", as: String.self) }
        }
    }

    static func auditHead(_ db: ScarDatabase) async throws -> Int {
        try await db.read { sql in
            try await sql.raw("SELECT COALESCE(MAX(seq), 0) AS n FROM audit_log").first()!.decode(column: "n", as: Int.self)
        }
    }

    static func consentId(_ h: Harness, _ s: ClinicFixtures.ChartingSetup) async throws -> UUID {
        let list = try await h.request(.get, "/api/v1/patients/\(s.patient)/consents", token: s.practitioner)
        let consents = try #require(try JSONSerialization.jsonObject(with: Data(list.body.utf8)) as? [[String: Any]])
        let id = try #require(consents.first?["id"] as? String)
        return try #require(UUID(uuidString: id))
    }

    static let cleanDay = DayAnswers(activeAcneInArea: false, localInfectionInArea: false, activeHerpesLabialis: false, recentSunburn: false,
                                     pregnantOrBreastfeeding: false, newMedications: false)

    @Test func signingThroughTheAPIAppendsExactlyOneIntentLevelAuditEntry() async throws {
        try await Harness.run { h in
            let s = try await ClinicFixtures.readyToChart(h)
            let id = try await ClinicFixtures.draftSession(h, s)
            let before = try await Self.auditHead(h.db)
            let signed = try await h.request(.post, "/api/v1/sessions/\(id)/sign", json: ClinicFixtures.cleanDay, token: s.practitioner,
                                             headers: [.ifMatch: "\"1\""])
            #expect(signed.status == .ok, "\(signed.body)")
            #expect(try await Self.auditActions(h.db, after: before) == ["session.sign"],
                    "no patient.read, screening.read or photo.list for a click whose intent is signing")
        }
    }

    @Test func consentWithdrawnBetweenTheCheckAndTheSignRefusesTheSignatureAndWritesNothing() async throws {
        try await Harness.run { h in
            let s = try await ClinicFixtures.readyToChart(h)
            let id = try #require(UUID(uuidString: try await ClinicFixtures.draftSession(h, s)))
            let clinician = Clinician(user: h.staff[.practitioner]!, today: CalendarDate.utc(Date()))
            let actor = AuditActor(user: h.staff[.practitioner]!, clientAddress: "test")
            let check = try await CheckSession(h.db)(sessionId: id, dayAnswers: Self.cleanDay, by: clinician)
            #expect(check.result.passed, "the checklist passes before the withdrawal: \(check.result.failures)")

            try await ConsentRepository(h.db).withdraw(consentId: try await Self.consentId(h, s), reason: "Changed her mind in the waiting room",
                                                       clinicId: h.clinic.id, recordedBy: h.staff[.practitioner]!.id, by: actor)
            let before = try await Self.auditHead(h.db)
            await #expect(throws: Refusal.self) {
                _ = try await SignSession(h.db)(.init(sessionId: id, expectedVersion: 1, dayAnswers: Self.cleanDay), by: clinician, actor: actor, now: h.now)
            }
            do {
                _ = try await SignSession(h.db)(.init(sessionId: id, expectedVersion: 1, dayAnswers: Self.cleanDay), by: clinician, actor: actor, now: h.now)
            } catch let refusal as Refusal {
                #expect(refusal.kind == .conflict)
                #expect(refusal.fields.map(\.field) == ["checklist.consent"])
            }
            let session = try await SessionRepository(h.db).find(id: id, clinicId: h.clinic.id, by: nil)
            #expect(session.status == .draft && session.version == 1, "a refused signature changes nothing")
            #expect(try await Self.auditActions(h.db, after: before).isEmpty, "and audits nothing")
        }
    }

    @Test func aWithdrawalArrivingWhileTheSignatureIsDecidedWaitsUntilItHasLanded() async throws {
        try await Harness.run { h in
            let s = try await ClinicFixtures.readyToChart(h)
            let id = try #require(UUID(uuidString: try await ClinicFixtures.draftSession(h, s)))
            let consentId = try await Self.consentId(h, s)
            let user = h.staff[.practitioner]!
            let clinician = Clinician(user: user, today: CalendarDate.utc(Date()))
            let actor = AuditActor(user: user, clientAddress: "test")
            let probe = Probe()
            let db = h.db, clinicId = h.clinic.id
            // At the worst moment — checklist passed, signature not yet written — someone withdraws
            // the consent. It must not land before the signature does.
            let sign = SignSession(db, decided: {
                let task = Task {
                    try await ConsentRepository(db).withdraw(consentId: consentId, reason: "Withdrawn at the desk", clinicId: clinicId,
                                                             recordedBy: user.id, by: actor)
                    probe.withdrawn.withLock { $0 = true }
                }
                probe.withdrawal.withLock { $0 = task }
                // Long enough for an unblocked withdrawal to commit many times over. (No database
                // read here: a read on the signing connection's event loop would wait for it.)
                try? await Task.sleep(for: .milliseconds(1500))
                let landed = probe.withdrawn.withLock { $0 }
                probe.landedWhileDeciding.withLock { $0 = landed }
            })
            let signed = try await sign(.init(sessionId: id, expectedVersion: 1, dayAnswers: Self.cleanDay), by: clinician, actor: actor, now: h.now)
            #expect(signed.session.status == .signed)
            let landed = probe.landedWhileDeciding.withLock { $0 }
            #expect(!landed, "the withdrawal committed between the check and the signature")
            let pending = probe.withdrawal.withLock { $0 }
            let task = try #require(pending)
            try await task.value
            let actions = try await Self.auditActions(h.db).filter { $0 == "session.sign" || $0 == "consent.withdraw" }
            #expect(actions == ["session.sign", "consent.withdraw"], "the withdrawal lands after the signature")
        }
    }
}

/// What the probe inside the signing transaction saw.
final class Probe: Sendable {
    let withdrawal = Mutex<Task<Void, any Error>?>(nil)
    let landedWhileDeciding = Mutex(false)
    let withdrawn = Mutex(false)
}

extension ClinicFixtures.ChartingSetup {
    var patientUUID: UUID { UUID(uuidString: patient)! }
}

/// Approving a plan is one use case too: one transaction, one `plan.approve` entry, the
/// screening read and checked inside it.
@Suite("Approve plan use case")
struct ApprovePlanTests {
    @Test func approvingAppendsExactlyOnePlanApproveEntryAndRecordsTheScreeningItRestedOn() async throws {
        try await Harness.run { h in
            let token = try await h.token(.practitioner)
            let patient = try #require(try await h.registerPatient(token: token).json["id"] as? String)
            _ = try await h.request(.post, "/api/v1/patients/\(patient)/intakes", json: ["fitzpatrick": 2], token: token)
            let template = try await h.exampleTemplate(token: token)
            let plan = try await h.createPlan(patientId: patient, templateId: template["id"] as? String ?? "", token: token)
            let planId = try #require(plan.json["id"] as? String)
            let before = try await SignSessionTests.auditHead(h.db)
            let approved = try await h.approve(planId, etag: plan.headers[.eTag], token: token)
            #expect(approved.status == .ok, "\(approved.body)")
            #expect(try await SignSessionTests.auditActions(h.db, after: before) == ["plan.approve"],
                    "no plan.read, screening.read or assessment.list for a click whose intent is approving")
        }
    }

    @Test func anIntakeThatDefersTreatmentRecordedBeforeApprovingIsSeenByTheApproval() async throws {
        try await Harness.run { h in
            let token = try await h.token(.practitioner)
            let patient = try #require(try await h.registerPatient(token: token).json["id"] as? String)
            _ = try await h.request(.post, "/api/v1/patients/\(patient)/intakes", json: ["fitzpatrick": 2], token: token)
            let template = try await h.exampleTemplate(token: token)
            let plan = try await h.createPlan(patientId: patient, templateId: template["id"] as? String ?? "", token: token)
            let planId = try #require(plan.json["id"] as? String)
            // Isotretinoin taken now: the plan needs an acknowledgement before it can be approved.
            let intake = try await h.request(.post, "/api/v1/patients/\(patient)/intakes",
                                             json: ["fitzpatrick": 2, "isotretinoin": ["status": "current"]], token: token)
            #expect(intake.status == .created, "\(intake.body)")
            let before = try await SignSessionTests.auditHead(h.db)
            let refused = try await h.approve(planId, etag: plan.headers[.eTag], token: token)
            #expect(refused.status == .conflict, "\(refused.body)")
            #expect(refused.isProblem)
            #expect(try await SignSessionTests.auditActions(h.db, after: before).isEmpty, "a refused approval writes and audits nothing")
        }
    }
}
