import Foundation
import ScarFHIR

/// The CapabilityStatement of `/fhir/metadata`, built from `FHIRType`, so it lists exactly
/// the types, interactions and search parameters the routes serve.
struct FHIRCapability: Encodable, Sendable {
    let resourceType = "CapabilityStatement"
    let status = "active"
    let date = "2026-12-06"
    let publisher = "ScarTrack"
    let kind = "instance"
    /// The Bulk Data IG's server capability: `$export` at system, Patient and Group level.
    let instantiates = ["http://hl7.org/fhir/uv/bulkdata/CapabilityStatement/bulk-data"]
    let software = Software(name: "ScarTrack")
    let implementation: Implementation
    let fhirVersion = "4.0.1"
    let format = ["json"]
    let rest: [Rest]

    struct Software: Encodable, Sendable { let name: String }
    struct Implementation: Encodable, Sendable { let description: String; let url: String }
    struct Rest: Encodable, Sendable {
        let mode = "server"
        let documentation: String
        let resource: [Resource]
        let operation: [Operation]?
    }
    struct Resource: Encodable, Sendable {
        let type: String
        let interaction: [Interaction]
        let versioning = "versioned"
        let readHistory = false
        let searchInclude: [String]?
        let searchRevInclude: [String]?
        let searchParam: [SearchParam]?
        let operation: [Operation]?
    }
    struct Interaction: Encodable, Sendable { let code: String }
    struct SearchParam: Encodable, Sendable { let name: String; let type: String; let documentation: String }
    struct Operation: Encodable, Sendable { let name: String; let definition: String }

    static func statement(base: String) -> FHIRCapability {
        let everything = Operation(name: "everything", definition: "http://hl7.org/fhir/OperationDefinition/Patient-everything")
        let patientExport = Operation(name: "export", definition: "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/patient-export")
        let group = Resource(type: "Group", interaction: [Interaction(code: "read"), Interaction(code: "search-type")], searchInclude: nil,
                             searchRevInclude: nil, searchParam: nil,
                             operation: [Operation(name: "export", definition: "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/group-export")])
        // Binary: read only (a photo's or a consent document's bytes), never searched or bundled.
        let binary = Resource(type: "Binary", interaction: [Interaction(code: "read")], searchInclude: nil, searchRevInclude: nil,
                              searchParam: nil, operation: nil)
        let resources = FHIRType.allCases.map { type in
            Resource(type: type.rawValue, interaction: [Interaction(code: "read"), Interaction(code: "search-type")], searchInclude: ["\(type.rawValue):*"],
                     searchRevInclude: type.revIncludes.nonEmptyOrNil,
                     searchParam: (type.searchParameters + FHIRType.commonSearchParameters + [FHIRType.sortParameter(type)])
                        .map { SearchParam(name: $0.name, type: $0.type, documentation: $0.doc) },
                     operation: type == .Patient ? [everything, patientExport] : nil)
        }
        return FHIRCapability(
            implementation: Implementation(description: "ScarTrack FHIR R4 read API (JSON only)", url: "\(base)/fhir"),
            rest: [Rest(documentation: "Bearer tokens and roles as the REST API. Searches page by an opaque cursor in the next link "
                        + "(_count 1 to \(FHIRSearchQuery.maxCount), default \(FHIRSearchQuery.defaultCount)); searches of a patient's "
                        + "records need patient=. Unsupported parameters are ignored and left out of the self link; an unsupported _sort or "
                        + "_revinclude is refused (400). "
                        + "Bulk Data export (NDJSON, _type, _since): $export, Patient/$export and Group/{id}/$export, where a Group "
                        + "is a split-face study's participants; unsupported export parameters are refused.",
                        resource: resources + [group, binary],
                        operation: [Operation(name: "export", definition: "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/export"),
                                    Operation(name: "group-export", definition: "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/group-export")])])
    }
}

extension Array {
    var nonEmptyOrNil: Self? { isEmpty ? nil : self }
}
