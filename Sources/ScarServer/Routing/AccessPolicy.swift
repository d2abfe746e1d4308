import ScarCore

/// Who may use a route. Every route must name one when it is added; there is no default, so
/// a route nobody thought about cannot exist (and the route-table test proves it).
public enum AccessPolicy: Sendable, Equatable, CustomStringConvertible {
    /// No sign-in needed: sign-in page, health check, API description, static files.
    case anyone
    /// Signed-in staff with one of these roles.
    case staff(Set<Role>)

    public static let clinicalStaff = AccessPolicy.staff(Role.clinicalStaff)
    public static let allStaff = AccessPolicy.staff(Set(Role.allCases))
    public static let adminOnly = AccessPolicy.staff([.admin])

    public func allows(_ role: Role?) -> Bool {
        switch self {
        case .anyone: return true
        case .staff(let roles): return role.map(roles.contains) ?? false
        }
    }

    public var description: String {
        switch self {
        case .anyone: "anyone"
        case .staff(let roles): "staff: " + roles.map(\.rawValue).sorted().joined(separator: ", ")
        }
    }
}

/// What a route serves; decides how errors and sign-in redirects look.
public enum RouteKind: String, Sendable {
    case api, page, asset
}
