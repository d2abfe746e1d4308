import Foundation
import HTTPTypes
import Hummingbird
import ScarCore
import ScarFHIR
import ScarStore

/// `GET /fhir/Binary/{id}`: a clinical photo's bytes (the id of its Media) or a signed consent
/// document (the id of its Consent). R4 Binary read: with `Accept: application/fhir+json` (or
/// `application/json`) a Binary resource with the bytes base64-encoded, otherwise the bytes
/// themselves with their own content type. The same roles as the photo and consent pages
/// (researchers and blinded raters get 403), audited as those reads are (`photo.view`,
/// `consent.read`); another clinic's ids are unknown ids.
struct FHIRBinaryController {
    let services: AppServices
    let mapping: FHIRMapping

    static func add(to routes: Routes, services: AppServices) {
        let c = Self(services: services, mapping: FHIRMapping(codes: FHIRCodes(base: services.configuration.fhirCanonicalBase)))
        routes.api(.get, "/fhir/Binary/:id", .clinicalStaff, "A photo's or a signed consent document's bytes (R4 Binary read)", c.read)
    }

    struct Content {
        var bytes: [UInt8]
        var type: String
        var patientId: UUID
        var version: Int
        var updated: Date
    }

    @Sendable func read(_ request: Request, _ context: AppContext) async throws -> Response {
        guard let id = UUID(uuidString: context.parameters.get("id") ?? "") else { throw AppError.notFound }
        let content = try await self.content(id, context: context)
        let accept = request.headers[.accept] ?? ""
        if accept.contains("application/fhir+json") || accept.contains("application/json+fhir") || accept.contains("application/json") {
            let binary = mapping.binary(id: id, contentType: content.type, bytes: content.bytes, patientId: content.patientId,
                                        version: content.version, updated: content.updated)
            var headers = HTTPFields()
            headers[.eTag] = "W/\"\(binary.meta.versionId)\""
            return try FHIRResponse.body(binary, headers: headers)
        }
        var headers = HTTPFields()
        headers[.contentType] = content.type == "text/html" ? "text/html; charset=utf-8" : content.type
        headers[.cacheControl] = "no-store"
        headers[.eTag] = "W/\"\(content.version)\""
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: content.bytes)))
    }

    /// The photo with this id, else the signed consent with this id, of the caller's clinic.
    func content(_ id: UUID, context: AppContext) async throws -> Content {
        let clinicId = context.clinician.user.clinicId
        do {
            let photo = try await services.photos.find(id: id, clinicId: clinicId, by: context.auditActor, action: "photo.view")
            let bytes = try await services.photoFiles.read(sha256: photo.sha256, type: photo.mediaType)
            return Content(bytes: bytes, type: photo.mediaType.rawValue, patientId: photo.patientId, version: 1, updated: photo.uploadedAt)
        } catch StoreError.notFound {
            let consent = try await ConsentRepository(services.database).find(id: id, clinicId: clinicId, by: context.auditActor)
            return Content(bytes: Array(consent.renderedHTML.utf8), type: "text/html", patientId: consent.patientId,
                           version: 1, updated: consent.signedAt)
        }
    }
}
