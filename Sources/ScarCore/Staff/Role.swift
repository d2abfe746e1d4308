/// What a member of staff does in the clinic; every route names the roles that may use it.
public enum Role: String, Sendable, Codable, CaseIterable, Hashable {
    case admin
    case practitioner
    case frontDesk = "front-desk"
    /// Sees de-identified data only: never names, contact details or identified records.
    case researcher

    /// Roles that work with identified patient records day to day.
    public static let clinicalStaff: Set<Role> = [.admin, .practitioner, .frontDesk]
}
