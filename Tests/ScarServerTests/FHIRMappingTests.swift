import Foundation
import ScarCore
import ScarFHIR
@testable import ScarStore
import Testing

/// What the outside validators cannot see: every code we emit for a required binding comes from
/// its R4 value set, the CTCAE grade and the R4 severity agree, and times carry zones.
@Suite("FHIR mapping")
struct FHIRMappingTests {
    // R4 (4.0.1) required value sets, copied from the specification.
    static let severity: Set<String> = ["mild", "moderate", "severe"]
    static let outcome: Set<String> = ["resolved", "recovering", "ongoing", "resolvedWithSequelae", "fatal", "unknown"]
    static let gender: Set<String> = ["male", "female", "other", "unknown"]
    static let appointmentStatus: Set<String> = ["proposed", "pending", "booked", "arrived", "fulfilled", "cancelled", "noshow",
                                                 "entered-in-error", "checked-in", "waitlist"]
    static let consentScope: Set<String> = ["adr", "research", "patient-privacy", "treatment"]
    static let causality: Set<String> = ["Certain", "Probably-Likely", "Possible", "Unlikely", "Conditional-Classified", "Unassessable-Unclassifiable"]

    @Test func gradeAndSeverityAgreeAndOnlyCodesOfTheRequiredValueSetsAreEmitted() {
        #expect(CTCAEGrade.allCases.map(FHIRTerms.severity) == ["mild", "moderate", "severe", "severe", "severe"])
        for grade in CTCAEGrade.allCases {
            #expect(Self.severity.contains(FHIRTerms.severity(grade)))
            for outcome in AEOutcome.allCases { #expect(Self.outcome.contains(FHIRTerms.outcome(outcome, grade: grade))) }
        }
        #expect(FHIRTerms.outcome(.resolved, grade: .death) == "fatal")
        for sex in Sex.allCases { #expect(Self.gender.contains(FHIRTerms.gender(sex))) }
        for status in AppointmentStatus.allCases { #expect(Self.appointmentStatus.contains(FHIRTerms.appointmentStatus(status))) }
        for kind in ConsentKind.allCases { #expect(Self.consentScope.contains(FHIRTerms.consentScope(kind).code)) }
        for r in Relatedness.allCases { if let c = FHIRTerms.causality(r) { #expect(Self.causality.contains(c)) } }
        #expect(FHIRTerms.causality(.unrelated) == nil, "no WHO-UMC term says unrelated; the text carries it")
        #expect((1...6).compactMap(FHIRTerms.fitzpatrick) == ["I", "II", "III", "IV", "V", "VI"] && FHIRTerms.fitzpatrick(7) == nil)
    }

    @Test func anAdverseEventCarriesItsGradeInTheExtensionAndItsSeverityFromIt() throws {
        let mapping = FHIRMapping(codes: FHIRCodes())
        for grade in CTCAEGrade.allCases {
            let details = AdverseEventDetails(term: "pih", onsetOn: CalendarDate(year: 2026, month: 3, day: 4)!, grade: grade, serious: grade.rawValue >= 3,
                                              relatedness: .unrelated, actionTaken: nil, outcome: .ongoing, resolvedOn: nil, sessionId: UUID(),
                                              lotIds: [], products: nil, durationHours: nil, notes: nil)
            let record = AdverseEventRepository.Record(id: UUID(), patientId: UUID(), patientName: "A B", details: details, reportedBy: "Dr X",
                                                       createdAt: Date(timeIntervalSince1970: 1_750_000_000), version: 1)
            let ae = mapping.adverseEvent(FHIRAdverseEventRow(record: record, reportedById: UUID(), updatedAt: record.createdAt), sessions: [])
            #expect(ae.extension?.first?.url == "https://scartrack.example/fhir/StructureDefinition/ctcae-grade")
            #expect(ae.extension?.first?.valueCodeableConcept?.coding?.first?.code == String(grade.rawValue))
            #expect(ae.severity.coding?.first?.code == FHIRTerms.severity(grade))
            #expect(ae.seriousness.coding?.first?.code == (grade.rawValue >= 3 ? "serious" : "non-serious"))
            #expect(ae.suspectEntity == nil, "a session that is not in the export is not referenced")
            #expect(ae.date == "2026-03-04", "a calendar day stays a date: no zone is invented for it")
            #expect(ae.recordedDate == "2025-06-15T15:06:40.000Z")
        }
    }

    @Test func timesCarryAZoneAndTheCanonicalBaseIsTheClinicsOwn() {
        #expect(FHIRTime.instant(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000Z")
        #expect(FHIRCodes().base == FHIRCodes.placeholderBase)
        #expect(FHIRCodes(base: "https://fhir.harbour.example/ ").base == "https://fhir.harbour.example")
        let codes = FHIRCodes(base: "https://fhir.harbour.example/")
        #expect(codes.scarScale == "https://fhir.harbour.example/CodeSystem/scar-scale")
        let clinic = UUID()
        #expect(codes.recordNumberSystem(clinicId: clinic) == "https://fhir.harbour.example/sid/clinic/\(clinic.lower)/mrn")
    }

    @Test func bundlesCarryTheResourcesTheyReference() throws {
        let mapping = FHIRMapping(codes: FHIRCodes())
        let clinic = Clinic(id: UUID(), name: "Harbour", timeZone: "UTC")
        let patient = Patient(id: UUID(), clinicId: clinic.id, givenName: "Ivy", familyName: "Boxcar", dateOfBirth: CalendarDate("1991-04-12")!,
                              sex: .female, mrn: "ST-000001", phone: nil, email: nil, createdAt: Date(), updatedAt: Date(), version: 3)
        let mapped = FHIRResource.patient(mapping.patient(patient))
        #expect(mapped.meta.versionId == "3")
        let org = FHIRResource.organization(mapping.organization(clinic, created: Date()))
        let other = FHIRResource.organization(mapping.organization(Clinic(id: UUID(), name: "Other", timeZone: "UTC"), created: Date()))
        #expect(FHIRReferences.closure(of: [mapped], among: [org, other]).map(\.id) == [clinic.id.lower])
        let json = String(decoding: try FHIRJSON.encode(mapped), as: UTF8.self)
        #expect(!json.contains("[]") && !json.contains("null"), "FHIR JSON has no empty arrays and no nulls: \(json)")
        #expect(json.contains("\"gender\":\"female\"") && json.contains("\"birthDate\":\"1991-04-12\""))
    }
}
