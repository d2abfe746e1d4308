import ScarCore

/// Who may use a route. Every route must name one when it is added; there is no default, so
/// a route nobody thought about cannot exist (and the route-table test proves it).
public enum AccessPolicy: Sendable, Equatable, CustomStringConvertible {
    /// No sign-in needed: sign-in page, health check, API description, static files.
    case anyone
    /// Signed-in staff with one of these roles.
    case staff(Set<Role>)
    /// The installation's operator (`SCARTRACK_OPERATOR_TOKEN` as a bearer token), on
    /// `/api/v1/operator/...` only: manages clinics, never any clinic's records. No staff role
    /// is allowed here, and the operator credential is no session, so staff routes refuse it.
    case installationOperator
    /// The patient portal (`/portal/...`, `/api/v1/portal/...`): only a patient signed in to the
    /// portal (its own cookie, `context.signedInPatient`). No staff role is allowed, a staff
    /// session is 403, and the patient's identity comes from the session only.
    case patient

    // Every role set a route or a page names, once, by what the people in it do.
    public static let allStaff = AccessPolicy.staff(Set(Role.allCases))
    /// Administrators, practitioners and the front desk: everyone who works with identified patients.
    public static let clinicalStaff = AccessPolicy.staff(Role.clinicalStaff)
    /// Administrators and practitioners: chart, plan, screen, design studies and see their allocation.
    public static let clinicians = AccessPolicy.staff([.admin, .practitioner])
    /// Clinicians and researchers: outcome analytics and study analyses (no names for researchers).
    public static let analysts = AccessPolicy.staff([.admin, .practitioner, .researcher])
    /// Administrators and researchers: the de-identified research export.
    public static let exporters = AccessPolicy.staff([.admin, .researcher])
    /// Clinicians and blinded raters: grade study sides (raters never see arms or the analysis).
    public static let raters = AccessPolicy.staff([.admin, .practitioner, .blindedRater])
    /// Everyone who takes part in a study: clinicians, researchers and blinded raters.
    public static let studyTeam = AccessPolicy.staff([.admin, .practitioner, .researcher, .blindedRater])
    public static let adminOnly = AccessPolicy.staff([.admin])

    public func allows(_ role: Role?) -> Bool {
        switch self {
        case .anyone: return true
        case .staff(let roles): return role.map(roles.contains) ?? false
        case .installationOperator, .patient: return false
        }
    }

    public var description: String {
        switch self {
        case .anyone: "anyone"
        case .staff(let roles): "staff: " + roles.map(\.rawValue).sorted().joined(separator: ", ")
        case .installationOperator: "installation operator"
        case .patient: "patient (portal)"
        }
    }
}

/// What a route serves; decides how errors and sign-in redirects look.
public enum RouteKind: String, Sendable {
    case api, page, asset
}
