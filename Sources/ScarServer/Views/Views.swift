import Foundation
import HTTPTypes
import Hummingbird
import Mustache
import NIOCore
import ScarCore

/// Renders Mustache templates (escaped by default) inside the shared layout.
public struct Views: Sendable {
    let library: MustacheLibrary

    /// Loads the templates and refuses to start when a listed template or partial is missing.
    static func load() async throws -> Views {
        guard let root = Bundle.module.resourcePath else { throw ConfigurationError("Template resources are missing from the build") }
        return try await load(directory: root + "/Templates")
    }

    /// Every `Template` and `TemplatePartial` case must be a file in `directory`.
    static func load(directory: String) async throws -> Views {
        let library = try await MustacheLibrary(directory: directory)
        let missing = library.missing()
        guard missing.isEmpty else {
            throw ConfigurationError("Templates missing from the build: " + missing.map { $0 + ".mustache" }.joined(separator: ", "))
        }
        return Views(library: library)
    }

    /// What the shared layout shows around every page: the title, the navigation section, and
    /// for a signed-in member of staff who they are, the CSRF token for forms and their menu.
    struct Layout {
        struct Staff {
            var clinicName: String
            /// "address · phone · e-mail", empty until an admin sets them.
            var clinicContact: String
            /// `/clinic/logo?v=…` when the clinic has a logo (header and printed letterhead).
            var clinicLogoURL: String?
            var userName: String
            var userRole: String
            var csrf: String
            var isClinical: Bool
            var isAdmin: Bool
            var canStudies: Bool
            var canAnalytics: Bool
            /// Handed to a patient: no staff navigation, no account menu.
            var patientMode: Bool
        }

        var pageTitle: String
        var section: String
        var staff: Staff?

        init(_ context: AppContext, title: String, section: String) {
            (pageTitle, self.section) = (title, section)
            staff = context.signedIn.map { session in
                let role = session.user.role
                return Staff(clinicName: session.clinicName, clinicContact: session.clinic?.contactLine ?? "",
                             clinicLogoURL: ClinicLogoController.url(sha256: session.clinicLogo), userName: session.user.displayName, userRole: role.rawValue,
                             csrf: session.csrfToken, isClinical: AccessPolicy.clinicalStaff.allows(role), isAdmin: role == .admin,
                             canStudies: AccessPolicy.studyTeam.allows(role), canAnalytics: AccessPolicy.analysts.allows(role),
                             patientMode: session.patientMode != nil)
            }
        }

        /// The template's view of it (the names the layout template uses).
        var data: [String: Any] {
            var data: [String: Any] = ["pageTitle": pageTitle, "section_\(section)": true]
            if let staff {
                data.merge([
                    "signedIn": true, "clinicName": staff.clinicName, "userName": staff.userName, "userRole": staff.userRole,
                    "csrf": staff.csrf, "isClinical": staff.isClinical, "isAdmin": staff.isAdmin,
                    "canStudies": staff.canStudies, "canAnalytics": staff.canAnalytics,
                ]) { _, new in new }
                if !staff.clinicContact.isEmpty { data["clinicContact"] = staff.clinicContact }
                if let logo = staff.clinicLogoURL { data["clinicLogoURL"] = logo }
                if staff.patientMode { data["patientMode"] = true }
            }
            return data
        }
    }

    /// A page with a typed view model: the template reads the model's stored properties by name,
    /// then the layout's names.
    func render<Page>(_ template: Template, title: String, section: String = "", page: Page, context: AppContext,
                      status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        let all = PageData(layout: Layout(context, title: title, section: section).data, page: page)
        let html = library.render(all, withTemplate: template.rawValue) ?? "Template \(template.rawValue) is missing"
        return Self.html(html, status: status, headers: headers)
    }

    static func html(_ html: String, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = "text/html; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    func errorPage(_ error: AppError, context: AppContext) -> Response {
        render(.error, title: error.title, page: ErrorPage(status: Int(error.status.code), title: error.title, detail: error.detail, fields: error.fields),
               context: context, status: error.status, headers: error.headers)
    }

    /// The `error` page's view model.
    struct ErrorPage {
        var status: Int
        var title: String
        var detail: String?
        var fields: [FieldError]
    }
}

/// What a template sees: the page's view model first, then the layout's names. Mustache reads a
/// struct's stored properties by name (an Optional that is nil is an empty section), or asks a
/// model that is a `MustacheParent` (the patient page, whose cards are registered). Mind that
/// Mustache looks a nil name up in the enclosing sections, so a nested model's optional must not
/// share its name with an outer one.
struct PageData<Page>: MustacheParent {
    let layout: [String: Any]
    let page: Page

    /// The page's names through `ReflectedModel` (each struct reflected once, not per name rendered).
    private let model: MustacheParent?

    init(layout: [String: Any], page: Page) {
        self.layout = layout
        self.page = page
        model = page as? MustacheParent ?? ReflectedModel.box(page) as? MustacheParent
    }

    func child(named name: String) -> Any? {
        if let model, let value = model.child(named: name) { return ReflectedModel.box(value) }
        if let reflected = model as? ReflectedModel, reflected.hasProperty(name) { return nil }
        return layout[name]
    }
}
