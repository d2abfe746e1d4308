import Foundation
import HTTPTypes
import Hummingbird
import ScarCore

/// The portal's pages render inside `portal-layout` (not the staff layout): the clinic's name,
/// phone and address on every page, the patient's name and sign-out when signed in, and the
/// portal session's CSRF token for forms (`{{csrf}}`). Signed out, the clinic is not known yet.
extension Views {
    /// A portal page with a typed view model: the template reads the model's properties, then the portal layout's names.
    func portal<Page>(_ template: Template, title: String, page: Page, context: AppContext, status: HTTPResponse.Status = .ok,
                      headers: HTTPFields = [:]) -> Response {
        var layout = Layout(context, title: title, section: "").data
        layout.merge(Self.portalLayout(context)) { _, new in new }
        let html = library.render(PageData(layout: layout, page: page), withTemplate: template.rawValue) ?? "Template \(template.rawValue) is missing"
        return Self.html(html, status: status, headers: headers)
    }

    static func portalLayout(_ context: AppContext) -> [String: Any] {
        var all: [String: Any] = ["portalSignedIn": false, "csrf": ""]
        if let session = context.signedInPatient {
            all.merge([
                "portalSignedIn": true, "csrf": session.csrfToken, "patientGivenName": session.givenName,
                "clinicName": session.clinic.name, "clinicPhone": session.clinic.phone, "clinicAddress": session.clinic.address,
                "hasClinicPhone": !session.clinic.phone.isEmpty, "hasClinicAddress": !session.clinic.address.isEmpty,
            ]) { _, new in new }
            if let logo = ClinicLogoController.url(sha256: session.clinicLogo) { all["clinicLogoURL"] = logo }
        }
        return all
    }
}
