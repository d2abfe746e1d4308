import Foundation
import ScarCore

// Media (R4) for clinical photos and Binary for their bytes and signed consent documents.

public struct FHIRMedia: Encodable, Sendable {
    public let resourceType = "Media"
    public var id: String
    public var meta: Meta
    public var status: String
    public var type: CodeableConcept
    public var view: CodeableConcept
    public var subject: Reference
    public var createdDateTime: String
    public var issued: String
    public var `operator`: Reference
    public var bodySite: CodeableConcept?
    public var height: Int
    public var width: Int
    public var content: Attachment
    public var note: [Annotation]?
}

/// A Binary as a FHIR resource (the `application/fhir+json` answer of `GET /fhir/Binary/{id}`):
/// the bytes base64-encoded. Never part of a Bundle or an export: Media and Consent point to it by URL.
public struct FHIRBinary: Encodable, Sendable {
    public let resourceType = "Binary"
    public var id: String
    public var meta: Meta
    public var contentType: String
    /// The patient whose record it belongs to: Binary takes the access rules of that record.
    public var securityContext: Reference
    public var data: String
}

extension FHIRCodes {
    /// The standard views of a clinical photo series (`Media.view`).
    public var photoView: String { base + "/CodeSystem/photo-view" }
    static let mediaType = "http://terminology.hl7.org/CodeSystem/media-type"
}

extension FHIRMapping {
    /// Where a photo's or a consent document's bytes are read: `Binary/{id}` on this server.
    public static func binaryURL(_ id: UUID) -> String { "Binary/\(id.lower)" }

    /// A clinical photo (id = the photo's id): the view, the close-up's zone, the day taken, and
    /// the image by URL (`Binary/{id}`), never inline.
    public func media(_ p: Photo) -> FHIRMedia {
        // Each written once: photos are the most numerous resource of an export.
        let (id, uploaded, captured) = (p.id.lower, FHIRTime.instant(p.uploadedAt), p.capturedOn.description)
        return FHIRMedia(
            id: id, meta: Meta(versionId: "1", lastUpdated: uploaded), status: "completed",
            type: CodeableConcept(Coding(system: FHIRCodes.mediaType, code: "image", display: "Image")),
            view: CodeableConcept(Coding(system: codes.photoView, code: p.view.rawValue, display: p.view.label)),
            subject: Reference("Patient", p.patientId.lower), createdDateTime: captured, issued: uploaded,
            operator: Reference("Practitioner", p.uploadedBy.lower),
            bodySite: p.zone.map { CodeableConcept(Coding(system: codes.facialZone, code: $0.rawValue, display: $0.label)) },
            height: p.height, width: p.width,
            content: Attachment(contentType: p.mediaType.rawValue, title: "\(p.view.label) photo, \(captured)", creation: nil,
                                url: Self.binaryURL(p.id), size: p.byteSize),
            note: p.notes.flatMap { $0.isEmpty ? nil : [Annotation(text: $0)] })
    }

    /// The bytes of a photo or a consent document as a Binary resource.
    public func binary(id: UUID, contentType: String, bytes: [UInt8], patientId: UUID, version: Int, updated: Date) -> FHIRBinary {
        FHIRBinary(id: id.lower, meta: Self.meta(version, updated), contentType: contentType,
                   securityContext: Reference("Patient", patientId.lower), data: Data(bytes).base64EncodedString())
    }
}
