import Foundation
import HTTPTypes
import Hummingbird
import ScarClinic
import ScarCore
import ScarStore

/// The clinic's logo: uploaded, replaced and removed by an administrator on the clinic details page
/// and on the first-run set-up page (`ChangeClinicLogo`), and served at `/clinic/logo` to whoever is
/// signed in to that clinic — its staff, and its patients in the portal — for the page header, the
/// printed letterhead, reports, post-care sheets and the portal. Nobody signed in gets 404: the
/// route names no clinic, the session does.
struct ClinicLogoController {
    let change: ChangeClinicLogo
    let read: ReadClinicLogo
    let services: AppServices

    init(_ services: AppServices) {
        change = ChangeClinicLogo(services.database, files: services.photoFiles)
        read = ReadClinicLogo(services.database, files: services.photoFiles)
        self.services = services
    }

    /// Room for the other fields, the framing, and a file somewhat over the limit, so a file too large
    /// still reaches the form and is refused beside its field; anything larger is a 413.
    static let bodyLimit = 4 * ClinicLogo.maxBytes + 64 * 1024

    static func add(to routes: Routes, services: AppServices) {
        let c = Self(services)
        routes.page("/clinic/logo", .anyone, "The clinic's logo (PNG or JPEG) for the signed-in staff member's or patient's clinic; 404 otherwise", c.image)
        routes.upload("/admin/clinic/logo", .adminOnly, "Upload or replace the clinic's logo (PNG or JPEG, at most 1 MiB)",
                      limit: bodyLimit, c.upload)
        routes.upload("/admin/clinic/logo/remove", .adminOnly, "Remove the clinic's logo", limit: bodyLimit, c.remove)
    }

    /// The URL pages use: versioned by content, so a new logo is a new address.
    static func url(sha256: String?) -> String? {
        sha256.map { "/clinic/logo?v=" + $0.prefix(16) }
    }

    @Sendable func image(_ request: Request, _ context: AppContext) async throws -> Response {
        guard let clinicId = context.signedIn?.user.clinicId ?? context.signedInPatient?.clinicId,
              let found = try await read(clinicId: clinicId) else { throw AppError.notFound }
        var headers = HTTPFields()
        headers[.eTag] = "\"\(found.logo.sha256)\""
        // Private: a clinic's logo is shown only to whoever is signed in to it; pages link it by content.
        headers[.cacheControl] = "private, max-age=3600"
        if let sent = request.headers[.ifNoneMatch], sent.split(separator: ",").contains(where: {
            $0.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "W/", with: "") == headers[.eTag]
        }) {
            return Response(status: .notModified, headers: headers)
        }
        headers[.contentType] = found.logo.mediaType.rawValue
        headers[.contentDisposition] = "inline"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: found.bytes)))
    }

    @Sendable func upload(_ request: Request, _ context: AppContext, _ form: MultipartForm) async throws -> Response {
        let next = form["next"] == "set-up" ? "set-up" : "settings"
        do {
            _ = try await change.replace(with: form.file(ClinicLogo.field)?.body ?? [], by: context.clinician,
                                         actor: context.auditActor, now: context.now)
            return Response.redirect(to: Self.returnPath(next) + "logo=saved#clinic-logo", type: .normal)
        } catch let refusal as Refusal {
            let error = refusal.fields.first { $0.field == ClinicLogo.field }?.message ?? refusal.detail ?? refusal.title
            return try await page(next, context: context, logoError: error)
        }
    }

    @Sendable func remove(_ request: Request, _ context: AppContext, _ form: MultipartForm) async throws -> Response {
        let next = form["next"] == "set-up" ? "set-up" : "settings"
        do {
            try await change.remove(by: context.clinician, actor: context.auditActor, now: context.now)
        } catch let refusal as Refusal where refusal.kind == .notFound {
            // Already gone (another tab, another administrator): the page shows it as it is.
        }
        return Response.redirect(to: Self.returnPath(next) + "logo=removed#clinic-logo", type: .normal)
    }

    static func returnPath(_ next: String) -> String {
        next == "set-up" ? "/admin/clinic/set-up?" : "/admin/clinic?"
    }

    /// The page the form came from, again, with the message beside the logo field.
    func page(_ next: String, context: AppContext, logoError: String) async throws -> Response {
        if next == "set-up" {
            return ClinicSetUpController(services).page(context, form: nil, errors: [:], done: false, status: .unprocessableContent,
                                                        logoError: logoError)
        }
        let settings = ClinicSettingsController(services)
        let saved = try await settings.read(by: context.clinician)
        return settings.page(context, values: ClinicSettingsController.values(saved.profile), version: saved.version, errors: [:],
                             banner: "The logo was not saved.", done: false, status: .unprocessableContent, logoError: logoError)
    }
}

/// The logo block of the clinic details and set-up pages (`clinic-logo-form`).
struct ClinicLogoBlock {
    var logoURL: String?
    var logoError: String?
    /// Where the form returns: `settings` or `set-up`.
    var logoNext: String
    var logoNotice: String?

    init(_ context: AppContext, next: String, error: String?, notice: String?) {
        logoURL = ClinicLogoController.url(sha256: context.signedIn?.clinicLogo)
        logoError = error
        logoNext = next
        logoNotice = notice
    }

    static func notice(_ request: Request) -> String? {
        switch request.uri.queryParameters.get("logo") {
        case "saved": "The logo is saved. Pages, printed handouts and the patient portal now show it."
        case "removed": "The logo is removed."
        default: nil
        }
    }
}
