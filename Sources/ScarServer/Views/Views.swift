import Foundation
import HTTPTypes
import Hummingbird
import Mustache
import NIOCore

/// Renders Mustache templates (escaped by default) inside the shared layout.
public struct Views: Sendable {
    let library: MustacheLibrary

    static func load() async throws -> Views {
        guard let root = Bundle.module.resourcePath else { throw ConfigurationError("Template resources are missing from the build") }
        return Views(library: try await MustacheLibrary(directory: root + "/Templates"))
    }

    /// The data every page needs: who is signed in, the CSRF token for forms, navigation.
    func layoutData(_ context: AppContext, title: String, section: String) -> [String: Any] {
        var data: [String: Any] = ["pageTitle": title, "section_\(section)": true]
        if let session = context.session {
            data["signedIn"] = true
            data["clinicName"] = session.clinicName
            if let contact = session.clinic?.contactLine, !contact.isEmpty { data["clinicContact"] = contact }
            data["userName"] = session.user.displayName
            data["userRole"] = session.user.role.rawValue
            data["csrf"] = session.csrfToken
            data["isClinical"] = AccessPolicy.clinicalStaff.allows(session.user.role)
            data["isAdmin"] = session.user.role == .admin
            data["canStudies"] = StudyAccess.readers.allows(session.user.role)
            data["canAnalytics"] = AnalyticsRoutes.viewers.allows(session.user.role)
        }
        return data
    }

    func render(_ template: String, title: String, section: String = "", data: [String: Any], context: AppContext,
                status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var all = layoutData(context, title: title, section: section)
        all.merge(data) { _, new in new }
        let html = library.render(all, withTemplate: template) ?? "Template \(template) is missing"
        return Self.html(html, status: status, headers: headers)
    }

    static func html(_ html: String, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = "text/html; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    func errorPage(_ error: AppError, context: AppContext) -> Response {
        render("error", title: error.title, data: [
            "status": Int(error.status.code), "title": error.title, "detail": error.detail ?? "", "hasDetail": error.detail != nil,
            "hasFields": !error.fields.isEmpty, "fields": error.fields.map { ["field": $0.field, "message": $0.message] },
        ], context: context, status: error.status, headers: error.headers)
    }
}
