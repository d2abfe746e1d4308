import Foundation
import HTTPTypes
import ScarCore
import ScarFHIR
import ScarStore
import ScarTestSupport
import Testing

/// Clinical photos as Media pointing by URL to `Binary/{id}`, and Binary read by R4's rules: the
/// bytes themselves, or a Binary resource for a FHIR Accept; signed consent documents too.
@Suite("FHIR Media and Binary")
struct FHIRMediaTests {
    @Test func aPhotoIsMediaByURLAndItsBinaryIsTheSameBytesEitherWay() async throws {
        try await withPhotoHarness { h, _ in
            let s = try await ClinicFixtures.readyToChart(h)
            let png = ImageFixtures.png(width: 3, height: 2)
            let up = try await h.upload(.photo(png, view: "close-up", zone: "left-cheek"), patient: s.patient, token: s.practitioner)
            #expect(up.status == .created, "\(up.text)")
            let photo = try #require(up.json["id"] as? String)
            let media = try await h.request(.get, "/fhir/Media/\(photo)", token: s.practitioner)
            #expect(media.status == .ok, "\(media.body)")
            let content = try #require(media.json["content"] as? [String: Any])
            #expect(content["url"] as? String == "Binary/\(photo)" && content["data"] == nil, "by URL, never inline")
            #expect(content["contentType"] as? String == "image/png" && content["size"] as? Int == png.count)
            #expect(((media.json["view"] as? [String: Any])?["coding"] as? [[String: Any]])?.first?["code"] as? String == "close-up")
            #expect(((media.json["bodySite"] as? [String: Any])?["coding"] as? [[String: Any]])?.first?["code"] as? String == "left-cheek")
            #expect(media.json["createdDateTime"] as? String == "2026-01-15")
            let search = try await h.request(.get, "/fhir/Media?patient=\(s.patient)&created=ge2026-01-01", token: s.practitioner)
            #expect(search.json["total"] as? Int == 1, "\(search.body)")

            let raw = try await h.send(.get, "/fhir/Binary/\(photo)", token: s.practitioner, headers: [.accept: "image/*"])
            #expect(raw.status == .ok && raw.headers[.contentType] == "image/png" && raw.bytes == png)
            let resource = try await h.send(.get, "/fhir/Binary/\(photo)", token: s.practitioner, headers: [.accept: "application/fhir+json"])
            #expect(resource.headers[.contentType] == "application/fhir+json")
            #expect(resource.json["resourceType"] as? String == "Binary" && resource.json["contentType"] as? String == "image/png")
            #expect(Data(base64Encoded: resource.json["data"] as? String ?? "") == Data(png))
            #expect(((resource.json["securityContext"] as? [String: Any])?["reference"] as? String) == "Patient/\(s.patient)")

            let consents = try await h.request(.get, "/fhir/Consent?patient=\(s.patient)", token: s.practitioner)
            let consent = try #require(((consents.json["entry"] as? [[String: Any]])?.first?["resource"] as? [String: Any]))
            let document = try #require((consent["sourceAttachment"] as? [String: Any])?["url"] as? String)
            #expect(document == "Binary/\(consent["id"] as? String ?? "")")
            let html = try await h.send(.get, "/fhir/\(document)", token: s.practitioner, headers: [.accept: "text/html"])
            #expect(html.status == .ok && html.headers[.contentType] == "text/html; charset=utf-8" && !html.bytes.isEmpty)

            let everything = try await h.request(.get, "/fhir/Patient/\(s.patient)/$everything", token: s.practitioner)
            let types = (everything.json["entry"] as? [[String: Any]] ?? []).compactMap { ($0["resource"] as? [String: Any])?["resourceType"] as? String }
            #expect(types.contains("Media") && !types.contains("Binary"), "Media in $everything, its bytes by URL only")

            let other = try await h.token(email: h.otherClinicAdmin.email)
            #expect(try await h.send(.get, "/fhir/Binary/\(photo)", token: other).status == .notFound)
            #expect(try await h.send(.get, "/fhir/Binary/\(UUID().uuidString.lowercased())", token: s.practitioner).status == .notFound)
            for role in [Role.researcher, .blindedRater] {
                let t = try await h.token(role)
                #expect(try await h.send(.get, "/fhir/Binary/\(photo)", token: t).status == .forbidden)
                #expect(try await h.request(.get, "/fhir/Media?patient=\(s.patient)", token: t).status == .forbidden)
            }
        }
    }
}
