import Foundation
import ScarCore
import ScarStore

/// The patient's clinical resources: the acne-scarring Condition, scale and Fitzpatrick
/// Observations, signed sessions as Procedures, Consents, AdverseEvents, Appointments and the
/// approved plan as a CarePlan.
extension FHIRMapping {
    func zone(_ z: FacialZone) -> CodeableConcept {
        CodeableConcept(Coding(system: codes.facialZone, code: z.rawValue, display: z.label))
    }

    static func modalityLabel(_ m: Modality) -> String { m == .rfMicroneedling ? "RF microneedling" : "Microneedling" }

    func procedureCode(_ m: Modality) -> CodeableConcept {
        CodeableConcept(Coding(system: codes.procedureCode, code: m.rawValue, display: Self.modalityLabel(m)))
    }

    /// One Condition per patient with at least one assessment (id = the patient's id): acne
    /// scarring, ICD-10 L90.5, with the zones that had scars at the latest assessment.
    public func condition(_ c: FHIRPatientChart) -> FHIRCondition? {
        let ordered = c.assessments.sorted { ($0.assessedOn.description, $0.createdAt) < ($1.assessedOn.description, $1.createdAt) }
        guard let first = ordered.first, let latest = ordered.last else { return nil }
        let zones = latest.scarredZones
        return FHIRCondition(
            id: c.patient.id.lower, meta: Self.meta(ordered.count, ordered.map(\.createdAt).max()!),
            clinicalStatus: CodeableConcept(Coding(system: FHIRCodes.conditionClinical, code: "active", display: "Active")),
            verificationStatus: CodeableConcept(Coding(system: FHIRCodes.conditionVerification, code: "confirmed", display: "Confirmed")),
            category: [CodeableConcept(Coding(system: FHIRCodes.conditionCategory, code: "problem-list-item", display: "Problem List Item"))],
            code: CodeableConcept(Coding(system: FHIRCodes.icd10, code: "L90.5", display: "Scar conditions and fibrosis of skin"), text: "Acne scarring"),
            bodySite: FacialZone.allCases.filter(zones.contains).map(zone).nonEmpty,
            subject: Reference("Patient", c.patient.id.lower), recordedDate: first.assessedOn.description,
            recorder: Reference("Practitioner", first.raterId.lower),
            evidence: [.init(detail: observations(latest).map { Reference("Observation", $0.id) })])
    }

    /// One Observation per scale score of an assessment (id = assessment id + "-" + scale id),
    /// coded in ScarTrack's scale code system with the scale's version on the Coding.
    public func observations(_ a: FHIRAssessment) -> [FHIRObservation] {
        a.scores.map { score in
            FHIRObservation(
                id: "\(a.id.lower)-\(score.scaleId)", meta: Self.meta(1, a.createdAt), status: "final",
                category: [CodeableConcept(Coding(system: FHIRCodes.observationCategory, code: "exam", display: "Exam"))],
                code: CodeableConcept(Coding(system: codes.scarScale, version: score.version, code: score.scaleId, display: FHIRTerms.scaleName(score.scaleId))),
                subject: Reference("Patient", a.patientId.lower), effectiveDateTime: a.assessedOn.description,
                issued: FHIRTime.instant(a.createdAt), performer: [Reference("Practitioner", a.raterId.lower)], valueInteger: score.total)
        }
    }

    /// The Fitzpatrick type of an intake (id = the intake's id); nil when it was not recorded.
    public func fitzpatrick(_ i: FHIRIntake, patientId: UUID) -> FHIRObservation? {
        guard let type = i.fitzpatrick, let roman = FHIRTerms.fitzpatrick(type) else { return nil }
        return FHIRObservation(
            id: i.id.lower, meta: Self.meta(1, i.recordedAt), status: "final",
            category: [CodeableConcept(Coding(system: FHIRCodes.observationCategory, code: "exam", display: "Exam"))],
            code: CodeableConcept(Coding(system: codes.observationCode, code: "fitzpatrick-skin-type", display: "Fitzpatrick skin type")),
            subject: Reference("Patient", patientId.lower), effectiveDateTime: i.recordedOn, issued: FHIRTime.instant(i.recordedAt),
            performer: i.recordedBy.map { [Reference("Practitioner", $0.lower)] },
            valueCodeableConcept: CodeableConcept(Coding(system: codes.fitzpatrickType, code: roman, display: "Type \(roman)")))
    }

    /// A session (id = the session's id; signed: completed, a draft still being charted:
    /// in-progress): the pen as `focalDevice`, the cartridge lot as a
    /// used Device, the zones treated, and depth and passes per zone in a note.
    public func procedure(_ s: FHIRSession, plans: [TreatmentPlan]) -> FHIRProcedure {
        let chart = s.currentChart
        let plan = plans.first { plan in plan.inForce != nil && plan.versions.contains { $0.id == s.planVersionId } }
        let notes = chart.zones.map { z in
            "\(z.zone.label): \(FHIRMapping.millimetres(z.depthMm)) mm, \(z.passes) pass\(z.passes == 1 ? "" : "es"), endpoint \(z.endpoint.label.lowercased())"
        }
        return FHIRProcedure(
            id: s.id.lower, meta: Self.meta(s.version, s.updatedAt), status: s.status == .signed ? "completed" : "in-progress", code: procedureCode(chart.modality),
            subject: Reference("Patient", s.patientId.lower), performedDateTime: chart.performedOn.description,
            performer: [.init(actor: Reference("Practitioner", s.practitionerId.lower, display: s.practitionerName))],
            basedOn: plan.map { [Reference("CarePlan", $0.id.lower)] },
            bodySite: FacialZone.allCases.filter(Set(chart.zones.map(\.zone)).contains).map(zone).nonEmpty,
            note: notes.nonEmpty.map { [Annotation(text: $0.joined(separator: "; "))] },
            focalDevice: [.init(action: nil, manipulated: Reference("Device", chart.deviceId.lower))],
            usedReference: chart.cartridgeLotId.map { [Reference("Device", $0.lower)] })
    }

    /// Two decimals at most, trailing zeros (and a bare point) dropped: 0.5, 1.25, 2. No regular
    /// expression: an export writes one for every zone of every session.
    static func millimetres(_ d: Double) -> String {
        var text = String(format: "%.2f", d)
        guard text.contains(".") else { return text }
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    public func consent(_ c: ConsentRepository.SignedConsent, clinicId: UUID) -> FHIRConsent {
        let scope = FHIRTerms.consentScope(c.kind)
        return FHIRConsent(
            id: c.id.lower, meta: Self.meta(c.withdrawnAt == nil ? 1 : 2, c.withdrawnAt ?? c.signedAt),
            status: c.withdrawnAt == nil ? "active" : "inactive",
            scope: CodeableConcept(Coding(system: FHIRCodes.consentScope, code: scope.code, display: scope.display)),
            category: [CodeableConcept(Coding(system: FHIRCodes.consentCategory, code: "59284-0", display: "Patient Consent"), text: c.kind.label)],
            patient: Reference("Patient", c.patientId.lower), dateTime: FHIRTime.instant(c.signedAt),
            organization: [Reference("Organization", clinicId.lower)],
            sourceAttachment: Attachment(contentType: "text/html", title: "\(c.kind.label) consent, version \(c.templateVersion)",
                                         creation: FHIRTime.instant(c.signedAt), url: Self.binaryURL(c.id)),
            policyRule: CodeableConcept(Coding(system: FHIRCodes.actCode, code: "OPTIN", display: "opt-in")),
            provision: .init(type: "permit", period: Period(start: FHIRTime.instant(c.signedAt), end: c.withdrawnAt.map(FHIRTime.instant))))
    }

    /// An adverse event: R4 seriousness, severity from the CTCAE grade, the grade itself in the
    /// `ctcae-grade` extension, and the session it followed as the suspect entity.
    public func adverseEvent(_ row: FHIRAdverseEventRow, sessions: Set<UUID>) -> FHIRAdverseEvent {
        let e = row.record, d = e.details
        let severity = FHIRTerms.severity(d.grade)
        let outcome = FHIRTerms.outcome(d.outcome, grade: d.grade)
        let suspect = d.sessionId.flatMap { id -> [FHIRAdverseEvent.SuspectEntity]? in
            guard sessions.contains(id) else { return nil }
            let causality = FHIRTerms.causality(d.relatedness).map {
                CodeableConcept(Coding(system: FHIRCodes.aeCausality, code: $0, display: FHIRTerms.display($0)), text: d.relatedness.rawValue)
            } ?? CodeableConcept(text: d.relatedness.rawValue)
            return [.init(instance: Reference("Procedure", id.lower), causality: [.init(assessment: causality)])]
        }
        return FHIRAdverseEvent(
            id: e.id.lower, meta: Self.meta(e.version, row.updatedAt),
            extension: [Extension(url: codes.ctcaeGradeExtension, valueCodeableConcept: CodeableConcept(
                Coding(system: codes.ctcaeGrade, code: String(d.grade.rawValue), display: d.grade.label)))],
            actuality: "actual",
            event: CodeableConcept(Coding(system: codes.adverseEventTerm, code: d.term, display: AETerm.find(d.term)?.label)),
            subject: Reference("Patient", e.patientId.lower), date: d.onsetOn.description, recordedDate: FHIRTime.instant(e.createdAt),
            recorder: Reference("Practitioner", row.reportedById.lower),
            seriousness: CodeableConcept(Coding(system: FHIRCodes.aeSeriousness, code: d.serious ? "serious" : "non-serious",
                                                display: d.serious ? "Serious" : "Non-serious")),
            severity: CodeableConcept(Coding(system: FHIRCodes.aeSeverity, code: severity, display: severity.capitalized)),
            outcome: CodeableConcept(Coding(system: FHIRCodes.aeOutcome, code: outcome, display: FHIRTerms.display(outcome))),
            suspectEntity: suspect)
    }

    public func appointment(_ a: Appointment) -> FHIRAppointment {
        let description = a.kind == .followUp ? "Follow-up \(a.number) months after the course"
            : "\(Self.modalityLabel(a.modality)) session \(a.number)"
        let accepted = { (type: String, id: UUID) in FHIRAppointment.Participant(actor: Reference(type, id.lower), required: "required", status: "accepted") }
        return FHIRAppointment(
            id: a.id.lower, meta: Self.meta(a.version, a.updatedAt), status: FHIRTerms.appointmentStatus(a.status),
            serviceType: [procedureCode(a.modality)], description: description, start: FHIRTime.instant(a.startsAt), end: FHIRTime.instant(a.endsAt),
            minutesDuration: max(1, Int(a.endsAt.timeIntervalSince(a.startsAt) / 60)), created: FHIRTime.instant(a.createdAt),
            participant: [accepted("Patient", a.patientId), accepted("Practitioner", a.practitionerId), accepted("Location", a.roomId)])
    }

    /// The plan in force (its latest approved version) as an active CarePlan (id = the plan's
    /// id); a plan never approved shows its current draft, status draft.
    public func carePlan(_ p: TreatmentPlan, hasCondition: Bool) -> FHIRCarePlan {
        let v = p.inForce ?? p.current
        let depths = FacialZone.allCases.compactMap { z in v.content.zoneDepths[z].map { "\(z.label) \(FHIRMapping.millimetres($0.millimetres)) mm" } }
        var detail = "\(v.content.sessions) sessions, every \(v.content.intervalDays) days"
        if !depths.isEmpty { detail += "; depth per zone: " + depths.joined(separator: ", ") }
        if !v.content.adjuncts.isEmpty { detail += "; adjuncts: " + v.content.adjuncts.map(\.label).joined(separator: ", ") }
        return FHIRCarePlan(
            id: p.id.lower, meta: Self.meta(p.version, v.updatedAt), status: p.inForce == nil ? "draft" : "active", intent: "plan",
            title: v.template.definition.name, description: v.content.rationale, subject: Reference("Patient", p.patientId.lower),
            period: v.approval.map { Period(start: FHIRTime.instant($0.approvedAt), end: nil) }, created: FHIRTime.instant(v.createdAt),
            author: v.approval?.approvedById.map { Reference("Practitioner", $0.lower) },
            addresses: hasCondition ? [Reference("Condition", p.patientId.lower)] : nil,
            activity: [.init(detail: .init(kind: "ServiceRequest", code: procedureCode(v.modality), status: "scheduled", description: detail))])
    }
}
