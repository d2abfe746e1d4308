import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ScarCore
import ScarStore

/// `/api/v1/patients/:id/photos` (upload, list) and `/api/v1/photos/:id` (metadata), plus the
/// image itself at `/photos/:id/image`, which pages and API clients both use.
struct PhotoAPIController {
    let services: AppServices
    var photos: PhotoRepository { services.photos }

    static func add(to routes: Routes, services: AppServices) {
        let c = Self(services: services)
        routes.api(.post, "/api/v1/patients/:id/photos", .clinicalStaff, "Upload a clinical photo (multipart/form-data)", c.upload)
        routes.api(.get, "/api/v1/patients/:id/photos", .clinicalStaff, "List a patient's photos, newest first", c.list)
        routes.api(.get, "/api/v1/photos/:id", .clinicalStaff, "Read one photo's metadata", c.read)
        // A page-kind route: browsers load it in <img>, so signed-out visitors are sent to
        // sign-in like any page; API clients with a bearer token can fetch it too.
        routes.page("/photos/:id/image", .clinicalStaff, "A photo's image bytes", c.image)
    }

    @Sendable func upload(_ request: Request, _ context: AppContext) async throws -> Response {
        let patientId = try context.apiUUID()
        let form = try await MultipartForm.read(request, limit: PhotoUpload.bodyLimit(services.configuration))
        let accepted = try PhotoUpload.file(in: form, maxBytes: services.configuration.maxPhotoBytes).get()
        let details = try Self.details(form, today: context.today)
        let photo = try await PhotoUpload.add([(accepted, details)], patientId: patientId, services: services, context: context)[0]
        var headers = HTTPFields()
        headers[.location] = PhotoJSON.url(photo.id)
        return try JSON.response(PhotoJSON(photo), status: .created, headers: headers)
    }

    @Sendable func list(_ request: Request, _ context: AppContext) async throws -> Response {
        let patientId = try context.apiUUID()
        let paging = try ListPaging.read(request)
        let page = try await photos.list(patientId: patientId, clinicId: context.signedInUser.clinicId, after: try paging.cursor(of: .photos),
                                         limit: paging.limit, by: context.auditActor)
        return try JSON.response(PhotoListJSON(items: page.items.map(PhotoJSON.init)),
                                 headers: paging.headers(path: "/api/v1/patients/\(patientId.lower)/photos", next: page.next?.text))
    }

    @Sendable func read(_ request: Request, _ context: AppContext) async throws -> Response {
        let id = try context.apiUUID()
        let photo = try await photos.find(id: id, clinicId: context.signedInUser.clinicId, by: context.auditActor)
        return try JSON.response(PhotoJSON(photo))
    }

    @Sendable func image(_ request: Request, _ context: AppContext) async throws -> Response {
        let id = try context.pageUUID()
        let photo = try await photos.find(id: id, clinicId: context.signedInUser.clinicId, by: context.auditActor, action: "photo.view")
        let bytes = try await services.photoFiles.read(sha256: photo.sha256, type: photo.mediaType)
        return ImageResponse.make(bytes, type: photo.mediaType)
    }

    /// The upload's text parts read strictly and validated, every problem reported at once.
    static func details(_ form: MultipartForm, today: CalendarDate) throws -> PhotoDetails {
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
        switch PhotoDetails.validate(PhotoUpload.input(form), today: today) {
        case .success(let d) where errors.isEmpty: return d
        case .success: throw AppError.validation(errors)
        case .failure(let f): throw AppError.validation(errors + f.errors)
        }
    }
}
