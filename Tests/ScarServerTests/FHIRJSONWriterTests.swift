import Foundation
import ScarCore
@testable import ScarFHIR
import ScarStore
import ScarTestSupport
import Testing

/// The bulk export writes JSON with its own writer (`FHIRJSONWritable`), not JSONEncoder: every
/// resource type, with every element it can carry filled and text that needs escaping, gives the
/// same bytes both ways, and so does every resource a real clinic's export maps.
@Suite("FHIR JSON writer")
struct FHIRJSONWriterTests {
    /// Quotes, backslashes, slashes, every control character, DEL, a line separator, accents and an emoji.
    static let hostile = "Dr \"O'Brien\" \\ a/b " + (0..<32).map { String(UnicodeScalar(UInt8($0))) }.joined() + "\u{7F}\u{2028} é 😀"

    static func same(_ resource: FHIRResource, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let expected = [UInt8](try FHIRJSON.encode(resource))
        let written = FHIRJSONBuffer.encode(resource)
        #expect(written == expected, "\(resource.resourceType)/\(resource.id):\n\(String(decoding: written, as: UTF8.self))\n\(String(decoding: expected, as: UTF8.self))",
                sourceLocation: sourceLocation)
        let parsed = try JSONSerialization.jsonObject(with: Data(written)) as? NSDictionary
        #expect(parsed == (try JSONSerialization.jsonObject(with: Data(expected)) as? NSDictionary), sourceLocation: sourceLocation)
    }

    /// One of each of the 18 exported types with every optional element present.
    static func everyTypeFilled() -> [FHIRResource] {
        let s = hostile
        let meta = Meta(versionId: "3", lastUpdated: "2026-12-06T10:11:12.345Z")
        let coding = Coding(system: "http://example.org/cs", version: "1.2", code: "c/1", display: s)
        let cc = CodeableConcept(coding, text: s)
        let ref = Reference("Patient", "p-1", display: s)
        let period = Period(start: "2026-01-01T00:00:00.000Z", end: "2026-02-01")
        let attachment = Attachment(contentType: "image/jpeg", title: s, creation: "2026-01-01", url: "Binary/b-1", size: 123_456)
        let items = [FHIRQuestionnaire.Item(linkId: "a", text: s, type: "group", repeats: true,
                                            answerOption: [.init(valueCoding: coding)], item: [.init(linkId: "a.1", text: nil, type: "boolean")])]
        let answers = [FHIRQuestionnaireResponse.Answer(valueBoolean: false, valueInteger: -42, valueDate: "2026-01-01", valueString: s, valueCoding: coding)]
        return [
            .patient(FHIRPatient(id: "p-1", meta: meta, identifier: [Identifier(system: "urn:x", value: s)], active: true,
                                 name: [HumanName(use: "official", text: s, family: s, given: [s, "B"])],
                                 telecom: [ContactPoint(system: "phone", value: "+1 555")], gender: "female", birthDate: "1990-01-01",
                                 managingOrganization: ref)),
            .organization(FHIROrganization(id: "o", meta: meta, active: false, name: s)),
            .practitioner(FHIRPractitioner(id: "pr", meta: meta, active: true, name: [HumanName(use: nil, text: s, family: nil, given: nil)])),
            .location(FHIRLocation(id: "l", meta: meta, status: "active", name: s, mode: "instance", managingOrganization: ref)),
            .condition(FHIRCondition(id: "c", meta: meta, clinicalStatus: cc, verificationStatus: cc, category: [cc], code: cc, bodySite: [cc, cc],
                                     subject: ref, recordedDate: "2026-01-01", recorder: ref, evidence: [.init(detail: [ref, ref])])),
            .observation(FHIRObservation(id: "ob", meta: meta, status: "final", category: [cc], code: cc, subject: ref, effectiveDateTime: "2026-01-01",
                                         issued: "2026-01-01T00:00:00.000Z", performer: [ref], valueInteger: 1234567, valueCodeableConcept: cc,
                                         interpretation: [cc])),
            .procedure(FHIRProcedure(id: "pc", meta: meta, status: "completed", code: cc, subject: ref, performedDateTime: "2026-01-01",
                                     performer: [.init(actor: ref)], basedOn: [ref], bodySite: [cc], note: [Annotation(text: s)],
                                     focalDevice: [.init(action: cc, manipulated: ref)], usedReference: [ref])),
            .device(FHIRDevice(id: "d", meta: meta, status: "active", manufacturer: s, lotNumber: "L/1", expirationDate: "2027-01-01", serialNumber: s,
                               deviceName: [.init(name: s, type: "model-name")], type: cc, owner: ref)),
            .consent(FHIRConsent(id: "cn", meta: meta, status: "active", scope: cc, category: [cc], patient: ref, dateTime: "2026-01-01T00:00:00.000Z",
                                 organization: [ref], sourceAttachment: attachment, policyRule: cc, provision: .init(type: "permit", period: period))),
            .adverseEvent(FHIRAdverseEvent(id: "ae", meta: meta,
                                           extension: [Extension(url: "http://x/ext", valueCodeableConcept: cc, valueInteger: 3, valueString: s, valueDecimal: 2.5),
                                                       Extension(url: "http://x/ext2", valueDecimal: 2.0)],
                                           actuality: "actual", event: cc, subject: ref, date: "2026-01-01", recordedDate: "2026-01-02T00:00:00.000Z",
                                           recorder: ref, seriousness: cc, severity: cc, outcome: cc,
                                           suspectEntity: [.init(instance: ref, causality: [.init(assessment: cc)])])),
            .appointment(FHIRAppointment(id: "ap", meta: meta, status: "booked", serviceType: [cc], description: s, start: "2026-01-01T09:00:00.000Z",
                                         end: "2026-01-01T10:00:00.000Z", minutesDuration: 60, created: "2025-12-01T00:00:00.000Z",
                                         participant: [.init(actor: ref, required: "required", status: "accepted")])),
            .carePlan(FHIRCarePlan(id: "cp", meta: meta, status: "active", intent: "plan", title: s, description: s, subject: ref, period: period,
                                   created: "2026-01-01T00:00:00.000Z", author: ref, addresses: [ref],
                                   activity: [.init(detail: .init(kind: "ServiceRequest", code: cc, status: "scheduled", description: s))])),
            .provenance(FHIRProvenance(id: "pv", meta: meta, target: [ref], occurredDateTime: "2026-01-01", recorded: "2026-01-01T00:00:00.000Z",
                                       reason: [cc], activity: cc, agent: [.init(type: cc, who: ref)])),
            .questionnaire(FHIRQuestionnaire(id: "q", meta: meta, url: "http://x/Questionnaire/q", version: "2", name: "Q", title: s, status: "active",
                                             subjectType: ["Patient"], publisher: s, description: s, item: items)),
            .questionnaireResponse(FHIRQuestionnaireResponse(
                id: "qr", meta: meta, questionnaire: "http://x/Questionnaire/q|2", status: "completed", subject: ref, authored: "2026-01-01T00:00:00.000Z",
                author: ref, source: ref, item: [.init(linkId: "a", text: s, answer: answers, item: [.init(linkId: "b", text: nil, answer: answers)])])),
            .media(FHIRMedia(id: "m", meta: meta, status: "completed", type: cc, view: cc, subject: ref, createdDateTime: "2026-01-01",
                             issued: "2026-01-01T00:00:00.000Z", operator: ref, bodySite: cc, height: 3000, width: 4000, content: attachment,
                             note: [Annotation(text: s)])),
            .researchStudy(FHIRResearchStudy(id: "rs", meta: meta, title: s, status: "active", description: s, period: period,
                                             arm: [.init(name: "A-left", description: s)])),
            .researchSubject(FHIRResearchSubject(id: "sj", meta: meta, identifier: [Identifier(system: "urn:y", value: "P-01")], status: "on-study",
                                                 period: period, study: ref, individual: ref, assignedArm: "A-left", consent: ref)),
        ]
    }

    @Test func everyResourceTypeWithEveryElementFilledIsWrittenExactlyAsJSONEncoderWritesIt() throws {
        let resources = Self.everyTypeFilled()
        #expect(Set(resources.map(\.resourceType)).count == 18)
        for r in resources { try Self.same(r) }
    }

    /// Optional elements left out: the writer leaves them out too (no `null`, no `[]`).
    @Test func resourcesWithOnlyTheirRequiredElementsAreWrittenTheSame() throws {
        let meta = Meta(versionId: "1", lastUpdated: "2026-12-06T10:11:12.345Z")
        let cc = CodeableConcept(text: "t")
        let ref = Reference("Patient", "p")
        let resources: [FHIRResource] = [
            .patient(FHIRPatient(id: "p", meta: meta, identifier: nil, active: false, name: [HumanName(use: nil, text: nil, family: nil, given: nil)],
                                 telecom: nil, gender: "unknown", birthDate: "2000-01-01", managingOrganization: ref)),
            .observation(FHIRObservation(id: "o", meta: meta, status: "final", category: [cc], code: cc, subject: ref, effectiveDateTime: "2026-01-01")),
            .adverseEvent(FHIRAdverseEvent(id: "a", meta: meta, extension: nil, actuality: "actual", event: cc, subject: ref, date: "2026-01-01",
                                           recordedDate: "2026-01-01", recorder: nil, seriousness: cc, severity: cc, outcome: cc, suspectEntity: nil)),
            .questionnaireResponse(FHIRQuestionnaireResponse(id: "q", meta: meta, questionnaire: "q", status: "completed", subject: ref,
                                                             authored: "2026-01-01", author: nil, source: nil, item: nil)),
        ]
        for r in resources { try Self.same(r) }
    }

    /// Depths in Procedure notes and CarePlans: the same text the regular expression gave before.
    @Test func millimetresDropTrailingZerosAsTheRegularExpressionDid() {
        for i in 0...3000 {
            let d = Double(i) / 1000
            let before = String(format: "%.2f", d).replacingOccurrences(of: #"\.?0+$"#, with: "", options: .regularExpression)
            #expect(FHIRMapping.millimetres(d) == before, "\(d)")
        }
        #expect(FHIRMapping.millimetres(0.5) == "0.5" && FHIRMapping.millimetres(2) == "2" && FHIRMapping.millimetres(1.25) == "1.25")
    }

    /// A real clinic's export: every resource the mapping gives for a charted course (directory
    /// and charts, as the export runner reads them) is written as JSONEncoder writes it, and the
    /// NDJSON files the writer hands out in chunks hold those lines in order, each part whole.
    @Test func aChartedClinicsResourcesAreWrittenAsJSONEncoderWritesThemAndChunksJoinIntoTheFiles() async throws {
        try await Harness.run { h in
            _ = try await FHIRAPITests.course(h)
            let clinicId = h.clinic.id
            let (directory, charts) = try await h.db.read { sql in
                (try await FHIRReadRepository.exportDirectory(clinicId: clinicId, on: sql),
                 try await FHIRReadRepository.exportCharts(clinicId: clinicId, groupId: nil, after: nil, limit: 100, on: sql))
            }
            let mapping = FHIRMapping(codes: FHIRCodes(base: "https://scartrack.example/fhir"))
            let resources = mapping.resources(of: directory) + charts.flatMap { mapping.resources(of: $0) }
            #expect(Set(resources.map(\.resourceType)).isSuperset(of: ["Patient", "Organization", "Practitioner", "Device", "Condition", "Observation",
                                                                      "Procedure", "Consent", "AdverseEvent", "CarePlan", "Provenance", "Questionnaire"]))
            var expected: [String: [[UInt8]]] = [:]
            for r in resources {
                try Self.same(r)
                expected[r.resourceType, default: []].append([UInt8](try FHIRJSON.encode(r)) + [0x0A])
            }
            var writer = FHIRNDJSONWriter(maxBytes: 2000, chunkBytes: 700)
            var files: [String: [Int: (bytes: [UInt8], count: Int, ended: Bool)]] = [:]
            func collect(_ chunks: [FHIRNDJSONChunk]) {
                for c in chunks {
                    var file = files[c.type]?[c.part] ?? ([], 0, false)
                    #expect(!file.ended, "\(c.type) part \(c.part): nothing after its last chunk")
                    file.bytes += c.bytes
                    file.count += c.count
                    file.ended = c.endsFile
                    files[c.type, default: [:]][c.part] = file
                }
            }
            for r in resources {
                writer.add(r)
                collect(writer.takeReady())
            }
            collect(writer.finish())
            #expect(writer.total == resources.count)
            for (type, lines) in expected {
                let parts = try #require(files[type]).sorted { $0.key < $1.key }
                #expect(parts.map { $0.key } == Array(1...parts.count), "\(type): parts numbered from 1")
                #expect(parts.allSatisfy { $0.value.ended && $0.value.count > 0 }, "\(type): every part ended")
                #expect(parts.flatMap { $0.value.bytes } == lines.flatMap { $0 }, "\(type): the parts joined are the lines in order")
                #expect(parts.reduce(0) { $0 + $1.value.count } == lines.count)
                #expect(parts.dropLast().allSatisfy { $0.value.bytes.count >= 2000 }, "\(type): a part ends once it reaches maxBytes")
            }
        }
    }
}
