import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ScarCore
import ScarStore

/// `/api/v1/patients/:id/photos` (upload, list) and `/api/v1/photos/:id` (metadata), plus the
/// image itself at `/photos/:id/image`, which pages and API clients both use.
enum PhotoAPIRoutes {
    static func add(to routes: Routes, services: AppServices) {
        let photos = services.photos
        let maxBytes = services.configuration.maxPhotoBytes
        let bodyLimit = PhotoUpload.bodyLimit(services.configuration)

        routes.api(.post, "/api/v1/patients/:id/photos", .clinicalStaff, "Upload a clinical photo (multipart/form-data)") { request, context in
            let patientId = try PatientAPIRoutes.uuidParameter(context)
            let form = try await MultipartForm.read(request, limit: bodyLimit)
            let accepted = try PhotoUpload.file(in: form, maxBytes: maxBytes).get()
            var errors: [FieldError] = []
            for name in Set(form.parts.map(\.name)).subtracting(PhotoUpload.textFields.union([PhotoUpload.fileField])).sorted() {
                errors.append(FieldError(name, "is not a known field"))
            }
            for name in form.undecodableTextFields() where PhotoUpload.textFields.contains(name) {
                errors.append(FieldError(name, "must be UTF-8 text"))
            }
            // As documented, an optional id or zone that is sent must be one; leave the part out
            // for none (the page's form sends empty parts, the API does not read them as none).
            for name in ["zone", "assessmentId"] where form[name] != nil && Text.trimmed(form[name]) == nil {
                errors.append(FieldError(name, "must not be empty; leave the part out for none"))
            }
            let details: PhotoDetails
            switch PhotoDetails.validate(PhotoUpload.input(form), today: context.todayISO) {
            case .success(let d) where errors.isEmpty: details = d
            case .success: throw AppError.validation(errors)
            case .failure(let f): throw AppError.validation(errors + f.errors)
            }
            let photo = try await PhotoUpload.save(accepted, details: details, patientId: patientId, services: services, context: context)
            var headers = HTTPFields()
            headers[.location] = PhotoJSON.url(photo.id)
            return try JSON.response(PhotoJSON(photo), status: .created, headers: headers)
        }

        routes.api(.get, "/api/v1/patients/:id/photos", .clinicalStaff, "List a patient's photos, newest first") { _, context in
            let patientId = try PatientAPIRoutes.uuidParameter(context)
            let list = try await photos.list(patientId: patientId, clinicId: context.user!.clinicId, by: context.auditActor)
            return try JSON.response(PhotoListJSON(items: list.map(PhotoJSON.init)))
        }

        routes.api(.get, "/api/v1/photos/:id", .clinicalStaff, "Read one photo's metadata") { _, context in
            let id = try PatientAPIRoutes.uuidParameter(context)
            let photo = try await photos.find(id: id, clinicId: context.user!.clinicId, by: context.auditActor)
            return try JSON.response(PhotoJSON(photo))
        }

        // A page-kind route: browsers load it in <img>, so signed-out visitors are sent to
        // sign-in like any page; API clients with a bearer token can fetch it too.
        routes.page("/photos/:id/image", .clinicalStaff, "A photo's image bytes") { _, context in
            guard let raw = context.parameters.get("id"), let id = UUID(uuidString: raw) else { throw AppError.notFound }
            let photo = try await photos.find(id: id, clinicId: context.user!.clinicId, by: context.auditActor, action: "photo.view")
            let bytes = try services.photoFiles.read(sha256: photo.sha256, type: photo.mediaType)
            var headers = HTTPFields()
            headers[.contentType] = photo.mediaType.rawValue
            headers[.cacheControl] = "no-store"
            headers[.contentDisposition] = "inline"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        }
    }
}

/// The API's photo representation (see `Photo` in openapi.json).
struct PhotoJSON: Encodable {
    var id: String
    var patientId: String
    var sha256: String
    var mediaType: String
    var byteSize: Int
    var width: Int
    var height: Int
    var view: String
    var zone: String?
    var capturedOn: String
    var assessmentId: String?
    var notes: String?
    var uploadedBy: String
    var uploadedAt: Date
    var cameraCapturedAt: String?
    var imageURL: String

    static func url(_ id: UUID) -> String { "/api/v1/photos/\(id.lower)" }
    static func imageURL(_ id: UUID) -> String { "/photos/\(id.lower)/image" }

    init(_ p: Photo) {
        id = p.id.lower
        patientId = p.patientId.lower
        sha256 = p.sha256
        mediaType = p.mediaType.rawValue
        byteSize = p.byteSize
        width = p.width
        height = p.height
        view = p.view.rawValue
        zone = p.zone?.rawValue
        capturedOn = p.capturedOn.description
        assessmentId = p.assessmentId?.lower
        notes = p.notes
        uploadedBy = p.uploadedBy.lower
        uploadedAt = p.uploadedAt
        cameraCapturedAt = p.cameraCapturedAt
        imageURL = Self.imageURL(p.id)
    }

    // Optional fields are written as null rather than left out, so clients see every field.
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(patientId, forKey: .patientId)
        try c.encode(sha256, forKey: .sha256)
        try c.encode(mediaType, forKey: .mediaType)
        try c.encode(byteSize, forKey: .byteSize)
        try c.encode(width, forKey: .width)
        try c.encode(height, forKey: .height)
        try c.encode(view, forKey: .view)
        try c.encode(zone, forKey: .zone)
        try c.encode(capturedOn, forKey: .capturedOn)
        try c.encode(assessmentId, forKey: .assessmentId)
        try c.encode(notes, forKey: .notes)
        try c.encode(uploadedBy, forKey: .uploadedBy)
        try c.encode(uploadedAt, forKey: .uploadedAt)
        try c.encode(cameraCapturedAt, forKey: .cameraCapturedAt)
        try c.encode(imageURL, forKey: .imageURL)
    }

    enum CodingKeys: String, CodingKey {
        case id, patientId, sha256, mediaType, byteSize, width, height, view, zone, capturedOn, assessmentId, notes, uploadedBy,
             uploadedAt, cameraCapturedAt, imageURL
    }
}

struct PhotoListJSON: Encodable {
    var items: [PhotoJSON]
}
