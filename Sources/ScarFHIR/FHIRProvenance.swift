import Foundation
import ScarCore
import ScarStore

/// Who charted, signed or amended a session, when and why: Provenances targeting its Procedure.
public struct FHIRProvenance: Encodable, Sendable {
    public let resourceType = "Provenance"
    public var id: String
    public var meta: Meta
    public var target: [Reference]
    public var occurredDateTime: String?
    public var recorded: String
    public var reason: [CodeableConcept]?
    public var activity: CodeableConcept
    public var agent: [Agent]

    public struct Agent: Encodable, Sendable {
        public var type: CodeableConcept
        public var who: Reference
    }
}

extension FHIRCodes {
    // R4 provenance-activity-type (extensible) draws on both; agent types from provenance-participant-type.
    static let documentCompletion = "http://terminology.hl7.org/CodeSystem/v3-DocumentCompletion"
    static let dataOperation = "http://terminology.hl7.org/CodeSystem/v3-DataOperation"
    static let provenanceParticipant = "http://terminology.hl7.org/CodeSystem/provenance-participant-type"
}

extension FHIRMapping {
    /// The id of a signing's Provenance: the session's id and `-signed`.
    public static let signedSuffix = "-signed"

    /// A session's history as Provenances of its Procedure: its charting started (id = the
    /// session's id; v3-DataOperation `CREATE`, the practitioner as `author`), its signing (id =
    /// the session's id + `-signed`; v3-DocumentCompletion `LA`, legally authenticated, the signer
    /// as the `legal` agent) and each amendment (id = the amendment's id; v3-DataOperation
    /// `UPDATE`, its author as `author`, its reason as `reason` text).
    public func provenances(_ s: FHIRSession) -> [FHIRProvenance] {
        let target = [Reference("Procedure", s.id.lower)]
        func agent(_ code: String, _ display: String, _ id: UUID, _ name: String?) -> [FHIRProvenance.Agent] {
            [.init(type: CodeableConcept(Coding(system: FHIRCodes.provenanceParticipant, code: code, display: display)),
                   who: Reference("Practitioner", id.lower, display: name))]
        }
        var out = [FHIRProvenance(
            id: s.id.lower, meta: Self.meta(1, s.createdAt), target: target, occurredDateTime: s.chart.performedOn.description,
            recorded: FHIRTime.instant(s.createdAt), reason: nil,
            activity: CodeableConcept(Coding(system: FHIRCodes.dataOperation, code: "CREATE", display: "create")),
            agent: agent("author", "Author", s.practitionerId, s.practitionerName))]
        guard s.status == .signed, let signedAt = s.signedAt else { return out }
        out.append(FHIRProvenance(
            id: s.id.lower + Self.signedSuffix, meta: Self.meta(1, signedAt), target: target, occurredDateTime: s.chart.performedOn.description,
            recorded: FHIRTime.instant(signedAt), reason: nil,
            activity: CodeableConcept(Coding(system: FHIRCodes.documentCompletion, code: "LA", display: "legally authenticated")),
            agent: agent("legal", "Legal Authenticator", s.signedById ?? s.practitionerId, s.signedByName)))
        out += s.amendments.map { a in
            FHIRProvenance(
                id: a.id.lower, meta: Self.meta(1, a.at), target: target, occurredDateTime: a.performedOn.description,
                recorded: FHIRTime.instant(a.at), reason: [CodeableConcept(text: a.reason)],
                activity: CodeableConcept(Coding(system: FHIRCodes.dataOperation, code: "UPDATE", display: "revise")),
                agent: agent("author", "Author", a.authorId, a.authorName))
        }
        return out
    }
}
