import Foundation
import HTTPTypes
import ScarCore
import ScarServer
import ScarStore
import ScarTestSupport
import Testing

@Suite("Patient API")
struct PatientAPITests {
    /// Issue 11 item 9: a name registered decomposed (NFD) is found by a composed (NFC) search
    /// and vice versa, and the same name typed both ways is stored as the same bytes.
    @Test func namesAreNormalisedToNFCForStorageAndSearch() async throws {
        let nfc = "Zo\u{EB}", nfd = "Zoe\u{308}"
        try await Harness.run { h in
            let token = try await h.token(.frontDesk)
            let decomposed = try await h.registerPatient(token: token, given: nfd, family: "Decomposed")
            let composed = try await h.registerPatient(token: token, given: nfc, family: "Composed")
            #expect(decomposed.status == .created && composed.status == .created)
            for (label, q) in [("NFC", nfc), ("NFD", nfd)] {
                let found = try await h.request(.get, "/api/v1/patients?q=\(PageSession.formEncode(q))", token: token)
                let families = Set((found.json["items"] as? [[String: Any]] ?? []).compactMap { $0["familyName"] as? String })
                #expect(families == ["Decomposed", "Composed"], "\(label) search finds both: \(families)")
            }
            // The same person typed in NFC, then in NFD: the stored names are byte for byte the same.
            _ = try await h.registerPatient(token: token, given: nfc, family: "\u{C5}ngstr\u{F6}m", dob: "1980-05-06")
            _ = try await h.registerPatient(token: token, given: nfd, family: "A\u{30A}ngstro\u{308}m", dob: "1980-05-06")
            let stored = try await h.db.read { sql in
                try await sql.raw("SELECT given_name, family_name, search_name FROM patients WHERE date_of_birth = '1980-05-06'").all().map {
                    [try $0.decode(column: "given_name", as: String.self), try $0.decode(column: "family_name", as: String.self),
                     try $0.decode(column: "search_name", as: String.self)].map { Array($0.utf8) }
                }
            }
            #expect(stored.count == 2 && stored[0] == stored[1], "\(stored)")
            #expect(stored.first?.first == Array(nfc.utf8))
            let full = try await h.request(.get, "/api/v1/patients?q=\(PageSession.formEncode("zoe\u{308} a\u{30A}ngstro\u{308}m"))", token: token)
            #expect(full.json["total"] as? Int == 2, "one name, found in either form")
        }
    }

    @Test func registerReadSearchAndEditAPatient() async throws {
        try await Harness.run { h in
            let token = try await h.token(.frontDesk)
            let created = try await h.registerPatient(token: token, given: "Nadia", family: "Rolling", dob: "1990-02-03")
            #expect(created.status == .created)
            #expect(created.headers[.eTag] == "\"1\"")
            let id = try #require(created.json["id"] as? String)
            #expect(created.headers[.location] == "/api/v1/patients/\(id)")
            #expect(created.json["mrn"] as? String == "ST-000001")

            let found = try await h.request(.get, "/api/v1/patients?q=roll", token: token)
            #expect((found.json["items"] as? [[String: Any]])?.first?["id"] as? String == id)
            let byBirth = try await h.request(.get, "/api/v1/patients?q=1990-02-03", token: token)
            #expect(byBirth.json["total"] as? Int == 1)

            let edited = try await h.request(.patch, "/api/v1/patients/\(id)", json: ["phone": "+44 161 496 0000"], token: token,
                                             headers: [.ifMatch: "\"1\""])
            #expect(edited.status == .ok)
            #expect(edited.headers[.eTag] == "\"2\"")
            #expect(edited.json["phone"] as? String == "+44 161 496 0000")
            #expect(edited.json["givenName"] as? String == "Nadia")

            let read = try await h.request(.get, "/api/v1/patients/\(id)", token: token)
            #expect(read.json["version"] as? Int == 2)
        }
    }

    @Test func editWithStaleVersionGets412AndChangesNothing() async throws {
        try await Harness.run { h in
            let token = try await h.token(.practitioner)
            let id = try #require(try await h.registerPatient(token: token).json["id"] as? String)
            _ = try await h.request(.patch, "/api/v1/patients/\(id)", json: ["phone": "+44 1111 1111"], token: token, headers: [.ifMatch: "\"1\""])
            let stale = try await h.request(.patch, "/api/v1/patients/\(id)", json: ["phone": "+44 2222 2222"], token: token, headers: [.ifMatch: "\"1\""])
            #expect(stale.status == .preconditionFailed)
            #expect(stale.isProblem)
            #expect(stale.headers[.eTag] == "\"2\"")
            let now = try await h.request(.get, "/api/v1/patients/\(id)", token: token)
            #expect(now.json["phone"] as? String == "+44 1111 1111")
        }
    }

    @Test func editWithoutIfMatchGets428() async throws {
        try await Harness.run { h in
            let token = try await h.token(.practitioner)
            let id = try #require(try await h.registerPatient(token: token).json["id"] as? String)
            let r = try await h.request(.patch, "/api/v1/patients/\(id)", json: ["phone": "+44 2222 2222"], token: token)
            #expect(r.status == .preconditionRequired)
            #expect(r.isProblem)
        }
    }

    @Test func twoClientsEditingTheSameVersionConcurrentlyExactlyOneWins() async throws {
        try await Harness.run { h in
            let tokenA = try await h.token(.practitioner)
            let tokenB = try await h.token(.frontDesk)
            let id = try #require(try await h.registerPatient(token: tokenA).json["id"] as? String)
            let port = try #require(h.client.port)
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for (i, token) in [tokenA, tokenB].enumerated() {
                    group.addTask {
                        try await TestClientSession.patch(port: port, path: "/api/v1/patients/\(id)", token: token,
                                                          json: ["phone": "+44 700 000 00\(i)"], ifMatch: "\"1\"")
                    }
                }
                return try await group.reduce(into: [HTTPResponse.Status]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .ok }.count == 1)
            #expect(statuses.filter { $0 == .preconditionFailed }.count == 1)
        }
    }

    @Test func invalidFieldsAreNamedAndNothingIsWritten() async throws {
        try await Harness.run { h in
            let token = try await h.token(.frontDesk)
            let r = try await h.request(.post, "/api/v1/patients",
                                        json: ["givenName": "", "familyName": 42, "dateOfBirth": "2026-02-30", "sex": "x", "email": "nope", "shoeSize": 9],
                                        token: token)
            #expect(r.status == .unprocessableContent)
            #expect(r.isProblem)
            #expect(Set(r.problemFields) == ["givenName", "familyName", "dateOfBirth", "sex", "email", "shoeSize"])
            #expect(try await h.patientCount() == 0)
        }
    }

    @Test(arguments: [
        ("{not json", "application/json", HTTPResponse.Status.badRequest),
        ("[1,2,3]", "application/json", .badRequest),
        ("givenName=Ivy", "application/x-www-form-urlencoded", .unsupportedMediaType),
        (String(repeating: "x", count: 300_000), "application/json", .contentTooLarge),
    ])
    func malformedBodiesGetA4xxProblemNeverA500(body: String, type: String, expected: HTTPResponse.Status) async throws {
        try await Harness.run { h in
            let token = try await h.token(.frontDesk)
            let r = try await h.request(.post, "/api/v1/patients", token: token, rawBody: body, contentType: type)
            #expect(r.status == expected)
            #expect(r.isProblem)
            #expect(try await h.patientCount() == 0)
        }
    }

    @Test func badAndUnknownIdsAreClientErrors() async throws {
        try await Harness.run { h in
            let token = try await h.token(.practitioner)
            let bad = try await h.request(.get, "/api/v1/patients/not-a-uuid", token: token)
            #expect(bad.status == .badRequest)
            #expect(bad.problemFields == ["id"])
            let unknown = try await h.request(.get, "/api/v1/patients/\(UUID().uuidString)", token: token)
            #expect(unknown.status == .notFound)
            let badPage = try await h.request(.get, "/api/v1/patients?page=-1", token: token)
            #expect(badPage.status == .badRequest)
            #expect(badPage.problemFields == ["page"])
        }
    }

    @Test func staffSeeOnlyTheirOwnClinicsPatients() async throws {
        try await Harness.run { h in
            let mine = try await h.token(.practitioner)
            let id = try #require(try await h.registerPatient(token: mine).json["id"] as? String)
            let theirs = try await h.token(email: h.otherClinicAdmin.email)
            #expect(try await h.request(.get, "/api/v1/patients/\(id)", token: theirs).status == .notFound)
            #expect(try await h.request(.patch, "/api/v1/patients/\(id)", json: ["phone": "+44 000 000"], token: theirs,
                                        headers: [.ifMatch: "\"1\""]).status == .notFound)
            #expect(try await h.request(.get, "/api/v1/patients", token: theirs).json["total"] as? Int == 0)
        }
    }

    @Test func researcherCannotSeeIdentifiedPatients() async throws {
        try await Harness.run { h in
            let token = try await h.token(.researcher)
            #expect(try await h.request(.get, "/api/v1/patients", token: token).status == .forbidden)
            #expect(try await h.registerPatient(token: token).status == .forbidden)
            #expect(try await h.patientCount() == 0)
        }
    }

    @Test func everyPatientReadIsInTheAuditTrail() async throws {
        try await Harness.run { h in
            let token = try await h.token(.practitioner)
            let id = try #require(try await h.registerPatient(token: token).json["id"] as? String)
            _ = try await h.request(.get, "/api/v1/patients/\(id)", token: token)
            _ = try await h.request(.get, "/api/v1/patients/\(id)", token: token)
            let entries = try await AuditRepository(h.db).entries(patientId: UUID(uuidString: id)!)
            #expect(entries.filter { $0.action == "patient.read" }.count == 2)
            #expect(entries.allSatisfy { $0.actor == h.staff[.practitioner]!.email && $0.clientAddress == "127.0.0.1" })
            #expect(try await AuditRepository(h.db).verify().intact)
        }
    }

    @Test func cookieSessionNeedsCSRFHeaderForAPIChanges() async throws {
        try await Harness.run { h in
            let cookie = try await PageSession.signIn(h, role: .frontDesk)
            let without = try await h.request(.post, "/api/v1/patients", json: ["givenName": "A", "familyName": "B", "dateOfBirth": "1990-01-01"],
                                              headers: [.cookie: cookie.cookieHeader])
            #expect(without.status == .forbidden)
            let with = try await h.request(.post, "/api/v1/patients", json: ["givenName": "A", "familyName": "B", "dateOfBirth": "1990-01-01"],
                                           headers: [.cookie: cookie.cookieHeader, HTTPField.Name("X-CSRF-Token")!: cookie.csrf])
            #expect(with.status == .created)
        }
    }
}
