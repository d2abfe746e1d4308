import Foundation
import ScarClinic
import ScarCore
import ScarServer
import ScarStore
import ScarTestSupport
import SQLKit
import Testing

/// Signing and withdrawing a consent, recording and following up an adverse event: each is one
/// use case, one write transaction and one intent-level audit entry; a refused call writes
/// nothing — no audit row, no record (issue 12).
@Suite("Consent and adverse-event use cases")
struct ConsentAndAdverseEventUseCaseTests {
    struct Caller {
        var clinician: Clinician
        var actor: AuditActor
        var patientId: UUID
    }

    static func caller(_ h: Harness, _ s: ClinicFixtures.ChartingSetup) -> Caller {
        let user = h.staff[.practitioner]!
        return Caller(clinician: Clinician(user: user, today: CalendarDate.utc(Date())),
                      actor: AuditActor(user: user, clientAddress: "test"), patientId: s.patientUUID)
    }

    static func count(_ h: Harness, _ table: String) async throws -> Int {
        try await h.db.read { sql in
            try await sql.raw("SELECT COUNT(*) AS n FROM \(unsafeRaw: table)").first()!.decode(column: "n", as: Int.self)
        }
    }

    static let pih = AdverseEventDetails.Input(term: "pih", onsetOn: "2026-01-10", grade: 2, relatedness: "probable")

    // MARK: Consents

    @Test func signingAConsentAppendsOnlyConsentSign() async throws {
        try await Harness.run { h in
            let s = try await ClinicFixtures.readyToChart(h)
            let c = Self.caller(h, s)
            let before = try await SignSessionTests.auditHead(h.db)
            let consents = try await Self.count(h, "consents")
            let signed = try await SignConsent(h.db)(.init(kind: "microneedling", signerName: "Ivy Boxcar", agreed: true, drawnPNG: nil, clinicName: "Test"),
                                                     patientId: c.patientId, by: c.clinician, actor: c.actor, now: h.now)
            #expect(try await SignSessionTests.auditActions(h.db, after: before) == ["consent.sign"])
            #expect(try await Self.count(h, "consents") == consents + 1)
            #expect(signed.sha256 == ConsentRepository.sha256(signed.renderedHTML))
        }
    }

    @Test func aRefusedConsentWritesNothing() async throws {
        try await Harness.run { h in
            let s = try await ClinicFixtures.readyToChart(h)
            let c = Self.caller(h, s)
            let before = try await SignSessionTests.auditHead(h.db)
            let consents = try await Self.count(h, "consents")
            do {
                // No template for research in this clinic.
                _ = try await SignConsent(h.db)(.init(kind: "research", signerName: "Ivy Boxcar", agreed: true, drawnPNG: nil, clinicName: "Test"),
                                                patientId: c.patientId, by: c.clinician, actor: c.actor, now: h.now)
                Issue.record("signed without a template")
            } catch let refusal as Refusal {
                #expect(refusal.kind == .conflict)
                #expect(refusal.fields.map(\.field) == ["kind"])
            }
            do {
                _ = try await SignConsent(h.db)(.init(kind: "microneedling", signerName: "Ivy Boxcar", agreed: false, drawnPNG: nil, clinicName: "Test"),
                                                patientId: c.patientId, by: c.clinician, actor: c.actor, now: h.now)
                Issue.record("signed without agreement")
            } catch let refusal as Refusal {
                #expect(refusal.kind == .invalid)
            }
            #expect(try await SignSessionTests.auditActions(h.db, after: before).isEmpty)
            #expect(try await Self.count(h, "consents") == consents)
        }
    }

    @Test func withdrawingAConsentAppendsOnlyConsentWithdrawAndASecondWithdrawalWritesNothing() async throws {
        try await Harness.run { h in
            let s = try await ClinicFixtures.readyToChart(h)
            let c = Self.caller(h, s)
            let consentId = try await SignSessionTests.consentId(h, s)
            let before = try await SignSessionTests.auditHead(h.db)
            try await WithdrawConsent(h.db)(consentId: consentId, reason: "Changed her mind", by: c.clinician, actor: c.actor, now: h.now)
            #expect(try await SignSessionTests.auditActions(h.db, after: before) == ["consent.withdraw"])
            #expect(try await Self.count(h, "consent_withdrawals") == 1)

            let again = try await SignSessionTests.auditHead(h.db)
            do {
                try await WithdrawConsent(h.db)(consentId: consentId, reason: "Twice", by: c.clinician, actor: c.actor, now: h.now)
                Issue.record("withdrawn twice")
            } catch let refusal as Refusal {
                #expect(refusal.kind == .conflict)
                #expect(refusal.title == "Already withdrawn")
            }
            #expect(try await SignSessionTests.auditActions(h.db, after: again).isEmpty)
            #expect(try await Self.count(h, "consent_withdrawals") == 1)
        }
    }

    // MARK: Adverse events

    @Test func recordingAnAdverseEventAppendsOnlyAdverseEventCreate() async throws {
        try await Harness.run { h in
            let s = try await ClinicFixtures.readyToChart(h)
            let c = Self.caller(h, s)
            let before = try await SignSessionTests.auditHead(h.db)
            let events = try await Self.count(h, "adverse_events")
            let r = try await RecordAdverseEvent(h.db)(Self.pih, patientId: c.patientId, by: c.clinician, actor: c.actor, now: h.now)
            #expect(try await SignSessionTests.auditActions(h.db, after: before) == ["adverse-event.create"])
            #expect(try await Self.count(h, "adverse_events") == events + 1)
            #expect(r.version == 1 && r.details.term == "pih")
        }
    }

    @Test func aRefusedAdverseEventWritesNothing() async throws {
        try await Harness.run { h in
            let s = try await ClinicFixtures.readyToChart(h)
            let c = Self.caller(h, s)
            let before = try await SignSessionTests.auditHead(h.db)
            var invalid = Self.pih
            invalid.term = "not-a-term"
            do {
                _ = try await RecordAdverseEvent(h.db)(invalid, patientId: c.patientId, by: c.clinician, actor: c.actor, now: h.now)
                Issue.record("recorded an unknown term")
            } catch let refusal as Refusal {
                #expect(refusal.kind == .invalid)
                #expect(refusal.fields.map(\.field) == ["term"])
            }
            #expect(try await SignSessionTests.auditActions(h.db, after: before).isEmpty)
            #expect(try await Self.count(h, "adverse_events") == 0)
        }
    }

    @Test func updatingAnAdverseEventAppendsOnlyAdverseEventUpdateAndARefusedUpdateWritesNothing() async throws {
        try await Harness.run { h in
            let s = try await ClinicFixtures.readyToChart(h)
            let c = Self.caller(h, s)
            let recorded = try await RecordAdverseEvent(h.db)(Self.pih, patientId: c.patientId, by: c.clinician, actor: c.actor, now: h.now)

            let refusedAt = try await SignSessionTests.auditHead(h.db)
            do {
                _ = try await UpdateAdverseEvent(h.db)(id: recorded.id, expectedVersion: 1, change: .init(outcome: "nonsense"),
                                                       by: c.clinician, actor: c.actor, now: h.now)
                Issue.record("updated to an unknown outcome")
            } catch let refusal as Refusal {
                #expect(refusal.kind == .invalid)
                #expect(refusal.fields.map(\.field) == ["outcome"])
            }
            #expect(try await SignSessionTests.auditActions(h.db, after: refusedAt).isEmpty)
            let unchanged = try await h.db.read { sql in
                let row = try await sql.raw("SELECT version, outcome FROM adverse_events WHERE id = \(bind: recorded.id)").first()!
                return (try row.decode(column: "version", as: Int.self), try row.decode(column: "outcome", as: String.self))
            }
            #expect(unchanged.0 == 1, "a refused update changes nothing")
            #expect(unchanged.1 == recorded.details.outcome.rawValue)

            let before = try await SignSessionTests.auditHead(h.db)
            let updated = try await UpdateAdverseEvent(h.db)(id: recorded.id, expectedVersion: 1,
                                                             change: .init(outcome: "resolved", resolvedOn: "2026-01-12"),
                                                             by: c.clinician, actor: c.actor, now: h.now)
            #expect(try await SignSessionTests.auditActions(h.db, after: before) == ["adverse-event.update"])
            #expect(updated.version == 2 && updated.details.outcome == .resolved)
        }
    }
}
