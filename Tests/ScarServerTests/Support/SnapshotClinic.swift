import Foundation
import HTTPTypes
import ScarCore
import ScarTestSupport
import Testing

/// The fixed clinic the page snapshots are taken of, written through the API as a clinic would:
/// a patient with an intake, consent, an approved plan, a baseline and a follow-up assessment,
/// a signed session today and a session booked two days ahead; a second patient for the list.
struct SnapshotClinic {
    var patient: String
    var plan: String
    var assessment: String
    var session: String
    var appointment: String
    var appointmentDay: String

    static func make(_ h: Harness) async throws -> SnapshotClinic {
        let s = try await ClinicFixtures.readyToChart(h)
        _ = try await h.registerPatient(token: s.practitioner, given: "Olive", family: "Rolling", dob: "1984-09-30")
        let planId = try await currentPlan(h, s)
        // Every day in the data is relative to the test day, so the normaliser can name it.
        var first = Harness.workedExampleAssessment, second = OutcomeTests.followUp
        first["assessedOn"] = futureDay(-40)
        second["assessedOn"] = futureDay(-10)
        let baseline = try await h.request(.post, "/api/v1/patients/\(s.patient)/assessments", json: first, token: s.practitioner)
        try expectCreated(baseline, "baseline assessment")
        let followUp = try await h.request(.post, "/api/v1/patients/\(s.patient)/assessments", json: second, token: s.practitioner)
        try expectCreated(followUp, "follow-up assessment")
        let session = try await ClinicFixtures.draftSession(h, s)
        let signed = try await h.request(.post, "/api/v1/sessions/\(session)/sign", json: ClinicFixtures.cleanDay,
                                         token: s.practitioner, headers: [.ifMatch: "\"1\""])
        guard signed.status == .ok else { throw HarnessError("sign: \(signed.status) \(signed.body)") }
        let day = futureDay(2)
        let appointment = try await book(h, s, day: day)
        return SnapshotClinic(patient: s.patient, plan: planId, assessment: try #require(baseline.json["id"] as? String), session: session,
                              appointment: appointment, appointmentDay: day)
    }

    private static func expectCreated(_ r: Reply, _ what: String) throws {
        guard r.status == .created else { throw HarnessError("\(what): \(r.status) \(r.body)") }
    }

    private static func currentPlan(_ h: Harness, _ s: ClinicFixtures.ChartingSetup) async throws -> String {
        let plans = try await h.request(.get, "/api/v1/patients/\(s.patient)/plans", token: s.practitioner)
        let items = plans.json["items"] as? [[String: Any]] ?? []
        return try #require(items.first?["id"] as? String, "\(plans.body)")
    }

    /// One microneedling session at 10:00, with a room and the practitioner's hours set.
    private static func book(_ h: Harness, _ s: ClinicFixtures.ChartingSetup, day: String) async throws -> String {
        let room = try await h.request(.post, "/api/v1/schedule/rooms", json: ["name": "Room 1"], token: s.admin)
        try expectCreated(room, "room")
        let practitioner = h.staff[.practitioner]!.id.uuidString.lowercased()
        let hours = (1...7).map { ["weekday": $0, "start": "08:00", "end": "20:00"] as [String: Any] }
        let set = try await h.request(.put, "/api/v1/schedule/practitioners/\(practitioner)/hours", json: ["hours": hours], token: s.admin)
        guard set.status == .noContent else { throw HarnessError("hours: \(set.status) \(set.body)") }
        let body: [String: Any] = ["modality": "microneedling", "count": 1, "intervalDays": 28, "minimumIntervalDays": 21,
                                   "start": "\(day)T10:00", "practitionerId": practitioner, "roomId": try #require(room.json["id"] as? String),
                                   "followUpMonths": [Int]()]
        let booked = try await h.request(.post, "/api/v1/patients/\(s.patient)/appointment-series", json: body, token: s.admin)
        try expectCreated(booked, "appointment")
        let list = booked.json["appointments"] as? [[String: Any]] ?? []
        return try #require(list.first?["id"] as? String, "\(booked.body)")
    }
}
