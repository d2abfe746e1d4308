import Foundation
import Hummingbird
import ScarCore
import ScarFHIR

/// What every searchable type takes besides its own parameters, as data: the sorts, the
/// reverse includes and the roles that may see it (so included resources are checked too).
extension FHIRType {
    /// `_lastUpdated` on every type (the CapabilityStatement lists it with each type's own).
    static let commonSearchParameters: [(name: String, type: String, doc: String)] = [
        ("_lastUpdated", "date", "When the resource last changed (meta.lastUpdated): a date or an instant with its zone, "
            + "with an optional eq/lt/le/gt/ge prefix; may repeat (all must hold)"),
    ]

    /// The `_sort` keys (each also descending with `-`): the id, `_lastUpdated`, and every date
    /// parameter of the type.
    var sortKeys: [String] {
        ["_id", "_lastUpdated"] + searchParameters.filter { $0.type == "date" }.map(\.name)
    }

    /// `_revinclude` allowlist: `{source type}:{search parameter}` whose reference points at a match.
    static let revIncludes: [String: [String]] = [
        "Patient": ["Condition:patient", "Observation:patient", "Procedure:patient", "Consent:patient", "AdverseEvent:subject",
                    "Appointment:patient", "CarePlan:patient", "QuestionnaireResponse:patient", "Media:patient",
                    "ResearchSubject:individual"],
        "Procedure": ["Provenance:target", "AdverseEvent:suspect-entity"],
        "Condition": ["CarePlan:condition"],
        "CarePlan": ["Procedure:based-on"],
    ]

    var revIncludes: [String] { Self.revIncludes[rawValue] ?? [] }

    /// The roles that may see this type's resources, in a match or an include. Every served type
    /// is identified patient data or the clinic's directory: the clinical staff.
    static let readers: [String: Set<Role>] = [:]

    static func visible(_ resource: FHIRResource, to role: Role) -> Bool {
        (readers[resource.resourceType] ?? Role.clinicalStaff).contains(role)
    }
}

extension FHIRSearchQuery {
    /// `_revinclude`: those of `candidates` of an allowlisted source type that reference one of
    /// `shown`, each once and none already shown.
    func revIncluded(by shown: [FHIRResource], among candidates: [FHIRResource]) -> [FHIRResource] {
        guard !revIncludes.isEmpty else { return [] }
        let targets = Set(shown.map { "\($0.resourceType)/\($0.id)" })
        let sources = Set(revIncludes.compactMap { $0.split(separator: ":").first.map(String.init) })
        var held = targets
        return candidates.filter { c in
            sources.contains(c.resourceType) && !FHIRReferences.references(in: [c]).isDisjoint(with: targets)
                && held.insert("\(c.resourceType)/\(c.id)").inserted
        }
    }
}

extension FHIRType {
    /// `_sort` as the CapabilityStatement lists it (a `special` parameter naming its keys).
    static func sortParameter(_ type: FHIRType) -> (name: String, type: String, doc: String) {
        ("_sort", "special", "One of " + type.sortKeys.map { "\($0), -\($0)" }.joined(separator: ", ")
            + " (the id breaks ties; the cursor keeps the order); any other sort is refused (400)")
    }
}

/// The allowlists as `/openapi.json` lists them (its `_sort` and `_revinclude` enums are checked against these).
public enum FHIRSearchAllowlists {
    public static var types: [String] { FHIRType.allCases.map(\.rawValue) }
    public static func sorts(_ type: String) -> [String] {
        (FHIRType(rawValue: type)?.sortKeys ?? []).flatMap { [$0, "-" + $0] }
    }
    public static func revIncludes(_ type: String) -> [String] { FHIRType.revIncludes[type] ?? [] }
}
