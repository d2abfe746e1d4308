import Foundation
import ScarCore
import ScarStore

/// Pure functions from ScarTrack's records to FHIR R4 resources. Nothing here reads a database
/// or a clock: the same records always give the same resources. Ids are the records' own ids
/// (lower-case UUIDs), except where one record gives several resources (noted at each).
public struct FHIRMapping: Sendable {
    public let codes: FHIRCodes
    /// Whether a split-face study's allocation (its arms, each participant's assigned arm) is
    /// shown: only to roles that are not blinded (administrators and practitioners).
    public var showsAllocation: Bool
    public init(codes: FHIRCodes, showsAllocation: Bool = true) {
        self.codes = codes
        self.showsAllocation = showsAllocation
    }

    static func meta(_ version: Int, _ updated: Date) -> Meta {
        Meta(versionId: String(version), lastUpdated: FHIRTime.instant(updated))
    }

    public func patient(_ p: Patient) -> FHIRPatient {
        var telecom: [ContactPoint] = []
        if let phone = p.phone { telecom.append(ContactPoint(system: "phone", value: phone)) }
        if let email = p.email { telecom.append(ContactPoint(system: "email", value: email)) }
        return FHIRPatient(
            id: p.id.lower, meta: Self.meta(p.version, p.updatedAt),
            identifier: [Identifier(system: codes.recordNumberSystem(clinicId: p.clinicId), value: p.mrn)],
            active: true, name: [HumanName(use: "official", text: nil, family: p.familyName, given: [p.givenName])],
            telecom: telecom.nonEmpty, gender: FHIRTerms.gender(p.sex), birthDate: p.dateOfBirth.description,
            managingOrganization: Reference("Organization", p.clinicId.lower))
    }

    public func organization(_ c: Clinic, created: Date) -> FHIROrganization {
        FHIROrganization(id: c.id.lower, meta: Self.meta(1, created), active: true, name: c.name)
    }

    /// Staff by display name only: their sign-in email is not shared.
    public func practitioner(_ s: StaffUser, created: Date) -> FHIRPractitioner {
        FHIRPractitioner(id: s.id.lower, meta: Self.meta(s.version, created), active: s.active,
                         name: [HumanName(use: nil, text: s.displayName, family: nil, given: nil)])
    }

    public func location(_ r: Room, clinicId: UUID, created: Date) -> FHIRLocation {
        FHIRLocation(id: r.id.lower, meta: Self.meta(r.version, created), status: r.active ? "active" : "inactive", name: r.name,
                     mode: "instance", managingOrganization: Reference("Organization", clinicId.lower))
    }

    /// A pen, roller, stamp or RF device of the clinic.
    public func device(_ d: Device) -> FHIRDevice {
        FHIRDevice(id: d.id.lower, meta: Self.meta(d.version, d.createdAt), status: d.details.active ? "active" : "inactive",
                   manufacturer: d.details.manufacturer, lotNumber: nil, expirationDate: nil, serialNumber: d.details.serialNumber,
                   deviceName: [.init(name: d.details.model, type: "model-name")],
                   type: CodeableConcept(Coding(system: codes.deviceType, code: d.details.type.rawValue, display: d.details.type.label)),
                   owner: Reference("Organization", d.clinicId.lower))
    }

    /// A cartridge lot, as the Device a procedure used: its lot number and expiry date.
    public func device(lot: Lot) -> FHIRDevice {
        FHIRDevice(id: lot.id.lower, meta: Self.meta(lot.version, lot.createdAt), status: "active", manufacturer: nil,
                   lotNumber: lot.details.lotNumber, expirationDate: lot.details.expiresOn.description, serialNumber: nil,
                   deviceName: [.init(name: lot.details.product, type: "user-friendly-name")],
                   type: CodeableConcept(Coding(system: codes.deviceType, code: "cartridge", display: ConsumableKind.cartridge.label)),
                   owner: Reference("Organization", lot.clinicId.lower))
    }

    /// The clinic-level resources: Organization, Practitioners, Locations, Devices, Questionnaires.
    public func resources(of d: FHIRClinicDirectory) -> [FHIRResource] {
        let epoch = Date(timeIntervalSince1970: 0)
        var out: [FHIRResource] = [.organization(organization(d.clinic, created: d.created[d.clinic.id] ?? epoch))]
        out += d.staff.map { .practitioner(practitioner($0, created: d.created[$0.id] ?? epoch)) }
        out += d.rooms.map { .location(location($0, clinicId: d.clinic.id, created: d.created[$0.id] ?? epoch)) }
        out += d.devices.map { .device(device($0)) }
        out += d.cartridgeLots.map { .device(device(lot: $0)) }
        let since = d.created[d.clinic.id] ?? epoch
        out.append(.questionnaire(intakeQuestionnaire(created: since)))
        out += outcomeQuestionnaires(setup: d.outcomeSetup, forms: d.outcomeForms, created: since).map(FHIRResource.questionnaire)
        out += d.studies.map { .researchStudy(researchStudy($0)) }
        return out
    }

    /// Every resource of one patient's compartment, Patient first.
    public func resources(of c: FHIRPatientChart) -> [FHIRResource] {
        var out: [FHIRResource] = [.patient(patient(c.patient))]
        if let condition = condition(c) { out.append(.condition(condition)) }
        out += c.assessments.flatMap { observations($0) }.map(FHIRResource.observation)
        out += c.intakes.compactMap { fitzpatrick($0, patientId: c.patient.id) }.map(FHIRResource.observation)
        out += c.sessions.map { .procedure(procedure($0, plans: c.plans)) }
        out += c.consents.map { .consent(consent($0, clinicId: c.patient.clinicId)) }
        let sessions = Set(c.sessions.map(\.id))
        out += c.adverseEvents.map { .adverseEvent(adverseEvent($0, sessions: sessions)) }
        out += c.appointments.map { .appointment(appointment($0)) }
        out += c.plans.map { .carePlan(carePlan($0, hasCondition: !c.assessments.isEmpty)) }
        out += c.sessions.flatMap(provenances).map(FHIRResource.provenance)
        out += c.intakes.compactMap { intakeResponse($0, patientId: c.patient.id) }.map(FHIRResource.questionnaireResponse)
        out += c.reportedOutcomes.map { .questionnaireResponse(outcomeResponse($0, patientId: c.patient.id)) }
        out += c.photos.map { .media(media($0)) }
        out += c.studyParticipations.map { .researchSubject(researchSubject($0.participant, studyId: $0.studyId)) }
        return out
    }
}
