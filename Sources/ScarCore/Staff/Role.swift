/// What a member of staff does in the clinic; every route names the roles that may use it.
public enum Role: String, Sendable, Codable, CaseIterable, Hashable {
    case admin
    case practitioner
    case frontDesk = "front-desk"
    /// Sees de-identified data only: never names, contact details or identified records.
    case researcher
    /// Rates photos and assessments for a study without knowing who the patient is or when
    /// the photo was taken. Sees no identified patient data at all, except what a study
    /// feature explicitly grants (blinded, de-identified items).
    case blindedRater = "blinded-rater"

    /// Roles that work with identified patient records day to day.
    public static let clinicalStaff: Set<Role> = [.admin, .practitioner, .frontDesk]

    /// Roles that may never see identified patient data (names, contact details, dates of
    /// birth, identified records). The authorization matrix test holds every route to this.
    public static let deidentified: Set<Role> = [.researcher, .blindedRater]

    /// How the role reads on screen.
    public var label: String {
        switch self {
        case .admin: "Administrator"
        case .practitioner: "Practitioner"
        case .frontDesk: "Front desk"
        case .researcher: "Researcher"
        case .blindedRater: "Blinded rater"
        }
    }
}
