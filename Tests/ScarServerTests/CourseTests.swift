import Foundation
import HTTPTypes
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import ScarCore
@testable import ScarServer
import ScarStore
import ScarTestSupport
import Testing

/// The course: booking an approved plan's series, signing completing the appointment and moving
/// the series, the plan item of the checklist, post-care versions, strict charting JSON, editable
/// rooms and devices, and the SMTP sender against a real SMTP listener.
@Suite("Course: plan → series → sessions")
struct CourseTests {
    static func day(_ offset: Int) -> String { CalendarDate.utc(Date().addingTimeInterval(Double(offset) * 86400)).description }

    @Test func bookingAnApprovedPlanTakesItsSessionsAndIntervalAndCarriesThePlan() async throws {
        try await Harness.run { h in
            let s = try await ScheduleSetup.make(h)
            let practitioner = try await h.token(.practitioner)
            _ = try await h.request(.post, "/api/v1/patients/\(s.patientId)/intakes", json: ["fitzpatrick": 2], token: practitioner)
            // A draft plan cannot be booked.
            let template = try await h.exampleTemplate(token: practitioner)
            let draft = try await h.createPlan(patientId: s.patientId, templateId: template["id"] as? String ?? "", token: practitioner)
            let draftId = try #require(draft.json["id"] as? String)
            let body: [String: Any] = ["planId": draftId, "start": "\(futureDay(20))T10:00", "practitionerId": s.practitionerId, "roomId": s.roomId]
            let refused = try await h.request(.post, "/api/v1/patients/\(s.patientId)/appointment-series", json: body, token: s.desk)
            #expect(refused.status == .unprocessableContent)
            #expect(refused.problemFields == ["planId"])

            let approved = try await h.approve(draftId, etag: draft.headers[.eTag], token: practitioner)
            #expect(approved.status == .ok, "\(approved.body)")
            // The body's count and interval are ignored: the plan's approved version decides (3 sessions every 28 days).
            var planned = body
            planned["count"] = 6
            planned["intervalDays"] = 14
            planned["followUpMonths"] = [1, 3]
            let preview = try await h.request(.post, "/api/v1/patients/\(s.patientId)/appointment-series/preview", json: planned, token: s.desk)
            #expect(preview.status == .ok, "\(preview.body)")
            let proposed = preview.json["appointments"] as? [[String: Any]] ?? []
            #expect(proposed.filter { $0["kind"] as? String == "session" }.count == 3)
            let booked = try await h.request(.post, "/api/v1/patients/\(s.patientId)/appointment-series", json: planned, token: s.desk)
            #expect(booked.status == .created, "\(booked.body)")
            let list = booked.json["appointments"] as? [[String: Any]] ?? []
            let sessions = list.filter { $0["kind"] as? String == "session" }
            #expect(sessions.count == 3)
            #expect(list.filter { $0["kind"] as? String == "follow-up" }.count == 2)
            #expect(list.allSatisfy { $0["planId"] as? String == draftId && ($0["planVersionId"] as? String)?.isEmpty == false })
            let starts = sessions.compactMap { ($0["start"] as? String).flatMap { ISO8601DateFormatter().date(from: $0) } }
            #expect(starts.count == 3 && abs(starts[1].timeIntervalSince(starts[0]) - 28 * 86400) < 2 * 3600)
            // A version id that is not the approved one is refused.
            var wrong = body
            wrong["planVersionId"] = UUID().uuidString
            let mismatch = try await h.request(.post, "/api/v1/patients/\(s.patientId)/appointment-series/preview", json: wrong, token: s.desk)
            #expect(mismatch.problemFields == ["planVersionId"])

            // The page offers the plan's series on the patient page and fixes its values in the form.
            let page = try await PageSession.signIn(h, role: .frontDesk)
            let form = try await page.get(h, "/patients/\(s.patientId)/book?plan=\(draftId)")
            #expect(form.status == .ok)
            #expect(form.body.contains("id=\"plan-booking\"") && form.body.contains("id=\"plan-sessions\">3<"))
            let patientPage = try await page.get(h, "/patients/\(s.patientId)")
            #expect(!patientPage.body.contains("book-plan"), "the plan's series is booked already")
        }
    }

    @Test func signingCompletesTheAppointmentAndALateSessionMovesTheNextOne() async throws {
        try await Harness.run { h in
            let s = try await ScheduleSetup.make(h)
            let admin = s.admin
            let practitioner = try await h.token(.practitioner)
            let chartSetup = try await ClinicFixtures.readyToChart(h)
            // Book the plan's series so that session 1 was 25 days ago and session 2 is in 3 days.
            let plans = try await h.request(.get, "/api/v1/patients/\(chartSetup.patient)/plans", token: practitioner)
            let planId = try #require((plans.json["items"] as? [[String: Any]] ?? []).first?["id"] as? String, "\(plans.body)")
            let booked = try await h.request(.post, "/api/v1/patients/\(chartSetup.patient)/appointment-series", json: [
                "planId": planId, "start": "\(Self.day(-25))T10:00", "practitionerId": s.practitionerId, "roomId": s.roomId, "followUpMonths": [1],
            ], token: admin)
            #expect(booked.status == .created, "\(booked.body)")
            let list = booked.json["appointments"] as? [[String: Any]] ?? []
            let first = try #require(list.first { $0["number"] as? Int == 1 && $0["kind"] as? String == "session" }?["id"] as? String)
            let second = try #require(list.first { $0["number"] as? Int == 2 && $0["kind"] as? String == "session" }?["id"] as? String)

            // The session charted for appointment 1 is done today (late) and signed.
            var body: [String: Any] = ["chart": ClinicFixtures.chart(chartSetup)]
            body["appointmentId"] = first
            let created = try await h.request(.post, "/api/v1/patients/\(chartSetup.patient)/sessions", json: body, token: practitioner)
            #expect(created.status == .created, "\(created.body)")
            #expect(created.json["planVersionId"] as? String != nil)
            let id = try #require(created.json["id"] as? String)
            let signed = try await h.request(.post, "/api/v1/sessions/\(id)/sign", json: ClinicFixtures.cleanDay, token: practitioner,
                                             headers: [.ifMatch: "\"1\""])
            #expect(signed.status == .ok, "\(signed.body)")
            let checklist = (signed.json["checklist"] as? [String: Any])?["items"] as? [[String: Any]] ?? []
            #expect(checklist.contains { $0["id"] as? String == "plan" && $0["passed"] as? Bool == true
                && ($0["reason"] as? String)?.contains("approved by") == true })
            let completion = try #require(signed.json["appointmentCompletion"] as? [String: Any], "\(signed.body)")
            #expect(completion["appointmentId"] as? String == first)
            let moved = completion["moved"] as? [[String: Any]] ?? []
            #expect(moved.map { $0["id"] as? String } == [second])

            let after = try await h.request(.get, "/api/v1/patients/\(chartSetup.patient)/appointments", token: practitioner)
            let rows = after.json["appointments"] as? [[String: Any]] ?? []
            #expect(rows.first { $0["id"] as? String == first }?["status"] as? String == "completed")
            let secondStart = try #require(rows.first { $0["id"] as? String == second }?["start"] as? String)
            // Example template and clinic minimum: 7 days after the day session 1 was really done.
            #expect(secondStart.hasPrefix(Self.day(7)) || secondStart.hasPrefix(Self.day(6)), "\(secondStart)")

            // The course timeline shows session 1 done, with its chart.
            let page = try await PageSession.signIn(h, role: .practitioner)
            let patientPage = try await page.get(h, "/patients/\(chartSetup.patient)")
            #expect(patientPage.body.contains("status-completed"))
            #expect(patientPage.body.contains("/sessions/\(id)"))
        }
    }

    @Test func aSessionWithoutAnApprovedPlanIsRefusedWithTheReason() async throws {
        try await Harness.run { h in
            let s = try await ClinicFixtures.readyToChart(h, approvedPlan: false)
            let id = try await ClinicFixtures.draftSession(h, s)
            let refused = try await h.request(.post, "/api/v1/sessions/\(id)/sign", json: ClinicFixtures.cleanDay, token: s.practitioner,
                                              headers: [.ifMatch: "\"1\""])
            #expect(refused.status == .conflict)
            #expect(refused.problemFields == ["checklist.plan"])
            #expect((refused.json["detail"] as? String)?.contains("No approved treatment plan for microneedling") == true, "\(refused.body)")
            // Approving a plan lets the same draft be signed.
            try await h.approvedPlan(patientId: s.patient, token: s.practitioner)
            let signed = try await h.request(.post, "/api/v1/sessions/\(id)/sign", json: ClinicFixtures.cleanDay, token: s.practitioner,
                                             headers: [.ifMatch: "\"1\""])
            #expect(signed.status == .ok, "\(signed.body)")
            #expect(signed.json["planVersionId"] as? String != nil)
        }
    }

    @Test func chartingBodiesRejectUnknownKeysAtAnyDepth() async throws {
        try await Harness.run { h in
            let s = try await ClinicFixtures.readyToChart(h)
            var chart = ClinicFixtures.chart(s)
            var zones = chart["zones"] as! [[String: Any]]
            zones[0]["dpth"] = 1.0
            chart["zones"] = zones
            let r = try await h.request(.post, "/api/v1/patients/\(s.patient)/sessions", json: ["chart": chart, "apointmentId": "x"], token: s.practitioner)
            #expect(r.status == .unprocessableContent)
            #expect(r.isProblem)
            #expect(r.problemFields == ["apointmentId", "chart.zones[0].dpth"])
            let settings = try await h.request(.put, "/api/v1/charting-settings", json: ["beforePhotoCount": 0, "erythemaHour": 72], token: s.admin,
                                               headers: [.ifMatch: "\"2\""])
            #expect(settings.status == .unprocessableContent)
            #expect(settings.problemFields == ["erythemaHour"])
            let device = try await h.request(.post, "/api/v1/devices", json: ["model": "X", "serial": "1"], token: s.admin)
            #expect(device.problemFields.contains("serial"))
            // Nothing was written.
            #expect(try await h.request(.get, "/api/v1/patients/\(s.patient)/sessions", token: s.practitioner).body == "[]")
        }
    }

    @Test func postCareSheetsAreVersionedAndASessionKeepsTheVersionItGave() async throws {
        try await Harness.run { h in
            let s = try await ClinicFixtures.readyToChart(h)
            let admin = try await PageSession.signIn(h, role: .admin)
            let list = try await admin.get(h, "/postcare-templates")
            #expect(list.status == .ok)
            #expect(list.body.contains("shipped with ScarTrack") && list.body.contains("default 72 hours"))
            func fields(instruction0: String, source3: String) -> [(String, String)] {
                var f: [(String, String)] = [("modality", "microneedling"), ("baseVersion", "1"), ("title", "After your session (clinic sheet)")]
                for (i, section) in PostCareTemplate.current(for: .microneedling).sections.enumerated() {
                    f.append(("instruction\(i)", i == 0 ? instruction0 : section.instruction))
                    f.append(("source\(i)", i == 3 ? source3 : section.source))
                }
                return f
            }
            let missing = try await admin.post(h, "/postcare-templates", fields(instruction0: "Clinic wording for day 0.", source3: ""))
            #expect(missing.status == .unprocessableContent)
            #expect(missing.body.contains("sections[3].source"))
            let saved = try await admin.post(h, "/postcare-templates", fields(instruction0: "Clinic wording for day 0.", source3: "Clinic protocol 2026"))
            #expect(saved.status == .seeOther)
            // A stale form (still based on version 1) is refused, not silently applied.
            let stale = try await admin.post(h, "/postcare-templates", fields(instruction0: "Other wording.", source3: "Clinic protocol"))
            #expect(stale.status == .conflict)

            let id = try await ClinicFixtures.draftSession(h, s)
            let signed = try await h.request(.post, "/api/v1/sessions/\(id)/sign", json: ClinicFixtures.cleanDay, token: s.practitioner,
                                             headers: [.ifMatch: "\"1\""])
            #expect(signed.json["postCareVersion"] as? String == "postcare-microneedling@2", "\(signed.body)")
            // Version 3 later does not change what this session gave.
            var third = fields(instruction0: "Third wording.", source3: "Clinic protocol 2027")
            third[1] = ("baseVersion", "2")
            #expect(try await admin.post(h, "/postcare-templates", third).status == .seeOther)
            let sheet = try await h.request(.get, "/api/v1/sessions/\(id)/post-care", token: s.practitioner)
            #expect(sheet.json["version"] as? String == "2")
            let printable = try await admin.get(h, "/sessions/\(id)/post-care")
            #expect(printable.body.contains("Clinic wording for day 0.") && !printable.body.contains("Third wording."))
            #expect(printable.body.contains("postcare-microneedling@2"))
            // The database refuses to change a stored version.
            await #expect(throws: (any Error).self) {
                try await h.db.write { sql in try await sql.raw("UPDATE postcare_templates SET title = 'x'").run() }
            }
        }
    }

    @Test func roomsAndDevicesAreRenamedAndTakenOutOfUseWithVersionChecks() async throws {
        try await Harness.run { h in
            let s = try await ScheduleSetup.make(h)
            let admin = try await PageSession.signIn(h, role: .admin)
            let stale = try await admin.post(h, "/schedule/admin/rooms/update", [("id", s.roomId), ("version", "7"), ("name", "Room A"), ("active", "true")])
            #expect(stale.status == .conflict)
            let renamed = try await admin.post(h, "/schedule/admin/rooms/update", [("id", s.roomId), ("version", "1"), ("name", "Room A")])
            #expect(renamed.status == .seeOther)
            let resources = try await h.request(.get, "/api/v1/schedule/resources", token: s.admin)
            let room = (resources.json["rooms"] as? [[String: Any]] ?? []).first
            #expect(room?["name"] as? String == "Room A" && room?["active"] as? Bool == false && room?["version"] as? Int == 2)
            let refused = try await h.request(.post, "/api/v1/patients/\(s.patientId)/appointment-series",
                                              json: s.series(start: "\(futureDay(12))T10:00", count: 1), token: s.desk)
            #expect(refused.status == .conflict)
            #expect(refused.problemFields == ["roomId"])
            let device = try await admin.post(h, "/schedule/admin/devices/update", [("id", s.deviceId), ("version", "1"), ("name", "RF unit 2"),
                                                                                    ("active", "true")])
            #expect(device.status == .seeOther)
            // Working hours: a form read before someone else's change is refused.
            let page = try await admin.get(h, "/schedule/admin")
            let fingerprint = try #require(PageSession.hiddenValue("hoursVersion", in: page.body))
            #expect(try await admin.post(h, "/schedule/admin/hours", [("staffId", s.practitionerId), ("hoursVersion", fingerprint),
                                                                      ("start1", "09:00"), ("end1", "17:00")]).status == .seeOther)
            #expect(try await admin.post(h, "/schedule/admin/hours", [("staffId", s.practitionerId), ("hoursVersion", fingerprint),
                                                                      ("start2", "09:00"), ("end2", "17:00")]).status == .conflict)
        }
    }
}

/// A small SMTP server on 127.0.0.1 for the sender test: records every accepted message, and
/// answers `451` to RCPT while `failing` is set.
final class TestSMTPServer: Sendable {
    struct Received: Sendable { var from: String; var to: [String]; var data: String }
    let received = NIOLockedValueBox<[Received]>([])
    let failing = NIOLockedValueBox(false)
    let transcript = NIOLockedValueBox<[String]>([])
    let channel: NIOAsyncChannel<NIOAsyncChannel<String, ByteBuffer>, Never>
    var port: Int { channel.channel.localAddress?.port ?? 0 }

    init() async throws {
        channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: "127.0.0.1", port: 0) { child in
                child.eventLoop.makeCompletedFuture {
                    try child.pipeline.syncOperations.addHandler(ByteToMessageHandler(SMTPLineDecoder()))
                    return try NIOAsyncChannel<String, ByteBuffer>(wrappingChannelSynchronously: child)
                }
            }
    }

    func run() async throws {
        try await channel.executeThenClose { connections in
            try await withThrowingDiscardingTaskGroup { group in
                for try await connection in connections {
                    group.addTask { try? await self.serve(connection) }
                }
            }
        }
    }

    func serve(_ connection: NIOAsyncChannel<String, ByteBuffer>) async throws {
        try await connection.executeThenClose { inbound, outbound in
            func reply(_ text: String) async throws { try await outbound.write(ByteBuffer(string: text + "\r\n")) }
            try await reply("220 test ESMTP")
            var from = "", to: [String] = [], data: [String] = [], inData = false
            for try await line in inbound {
                transcript.withLockedValue { $0.append(line) }
                if inData {
                    if line == "." {
                        inData = false
                        let message = Received(from: from, to: to, data: data.joined(separator: "\r\n"))
                        received.withLockedValue { $0.append(message) }
                        try await reply("250 queued")
                    } else {
                        data.append(line)
                    }
                    continue
                }
                let upper = line.uppercased()
                if upper.hasPrefix("EHLO") { try await reply("250-test\r\n250 8BITMIME") }
                else if upper.hasPrefix("MAIL FROM:") { from = String(line.dropFirst(10)); to = []; data = []; try await reply("250 ok") }
                else if upper.hasPrefix("RCPT TO:") {
                    if failing.withLockedValue({ $0 }) { try await reply("451 try again later") } else { to.append(String(line.dropFirst(8))); try await reply("250 ok") }
                }
                else if upper == "DATA" { inData = true; try await reply("354 go ahead") }
                else if upper == "QUIT" { try await reply("221 bye"); return }
                else { try await reply("502 unknown") }
            }
        }
    }
}

@Suite("SMTP sender")
struct SMTPSenderTests {
    @Test func messagesArriveOnceAndAFailingServerMeansRetryNotLoss() async throws {
        try await Harness.run { h in
            let server = try await TestSMTPServer()
            let serverTask = Task { try await server.run() }
            defer { serverTask.cancel() }
            let s = try await ScheduleSetup.make(h)
            let patient = try await h.request(.post, "/api/v1/patients", json: ["givenName": "Mail", "familyName": "Öberg", "dateOfBirth": "1990-01-01",
                                                                                "email": "mail.oberg@example.org"], token: s.desk)
            let patientId = try #require(patient.json["id"] as? String)
            let booked = try await h.request(.post, "/api/v1/patients/\(patientId)/appointment-series",
                                             json: s.series(start: "\(futureDay(10))T10:00", count: 1), token: s.desk)
            #expect(booked.status == .created)
            let sender = SMTPMessageSender(host: "127.0.0.1", port: server.port, from: "clinic@harbour.example")
            let dispatcher = OutboxDispatcher(database: h.db, sender: sender, logger: TestDatabase.logger, worker: "smtp-test")
            let outbox = OutboxRepository(h.db)
            func confirmation() async throws -> OutboxMessage {
                try #require(try await outbox.list(clinicId: h.clinic.id, by: .commandLine()).first { $0.kind == "confirmation" && $0.patientId.uuidString.lowercased() == patientId })
            }

            // The server refuses for now: the message stays pending with its error, to be retried.
            server.failing.withLockedValue { $0 = true }
            let now = Date()
            let first = try await dispatcher.runOnce(now: now)
            #expect(first.sent == 0 && first.failed >= 1)
            var message = try await confirmation()
            #expect(message.status == "pending" && message.attempts == 1)
            #expect(message.lastError?.contains("451") == true, "\(message.lastError ?? "")")
            #expect(server.received.withLockedValue { $0.isEmpty })

            // The server recovers: the retry delivers it, once.
            server.failing.withLockedValue { $0 = false }
            let later = now.addingTimeInterval(3 * 3600)
            let second = try await dispatcher.runOnce(now: later)
            let afterRetry = try await confirmation()
            #expect(second.sent >= 1, "\(second) \(afterRetry.lastError ?? "-") attempts \(afterRetry.attempts), transcript \(server.transcript.withLockedValue { $0 })")
            _ = try await dispatcher.runOnce(now: later.addingTimeInterval(60))
            message = try await confirmation()
            #expect(message.status == "sent")
            let delivered = server.received.withLockedValue { $0 }.filter { $0.data.contains("Message-ID: <\(SMTPMessage.messageId(message.idempotencyKey).dropFirst().dropLast())>") }
            #expect(delivered.count == 1)
            let mail = try #require(delivered.first)
            #expect(mail.to == ["<mail.oberg@example.org>"])
            #expect(mail.from == "<clinic@harbour.example>")
            #expect(mail.data.contains("Subject: \(SMTPMessage.header(message.subject))"))
            #expect(mail.data.contains("To: mail.oberg@example.org"))
            let bodyLines = mail.data.components(separatedBy: "\r\n\r\n").dropFirst().joined().replacingOccurrences(of: "\r\n", with: "")
            #expect(String(decoding: Data(base64Encoded: bodyLines) ?? Data(), as: UTF8.self) == message.body)
            // Every message of the outbox went exactly once.
            let keys = server.received.withLockedValue { $0 }.map(\.data)
            #expect(Set(keys).count == keys.count)
        }
    }

    @Test func configurationReadsTheSMTPVariables() throws {
        let c = try AppConfiguration.fromEnvironment(["SCARTRACK_MESSAGE_SENDER": "smtp", "SCARTRACK_SMTP_HOST": "127.0.0.1", "SCARTRACK_SMTP_PORT": "2525",
                                                      "SCARTRACK_SMTP_FROM": "clinic@harbour.example", "SCARTRACK_SMTP_USERNAME": "u",
                                                      "SCARTRACK_SMTP_PASSWORD": "p"])
        #expect(c.messageSender == .smtp(host: "127.0.0.1", port: 2525, from: "clinic@harbour.example", username: "u", password: "p"))
        #expect(throws: ConfigurationError.self) {
            try AppConfiguration.fromEnvironment(["SCARTRACK_MESSAGE_SENDER": "smtp", "SCARTRACK_SMTP_HOST": "h", "SCARTRACK_SMTP_USERNAME": "u"])
        }
    }
}
