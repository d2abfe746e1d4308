import ScarCore

/// Who may do what with split-face studies.
enum StudyAccess {
    /// Who designs studies and enrols: clinicians. Researchers read designs and analyses
    /// (participant codes only, never names).
    static let designers = AccessPolicy.staff([.admin, .practitioner])
    static let readers = AccessPolicy.staff([.admin, .practitioner, .researcher, .blindedRater])
    /// Blinded raters grade sides; they never see which arm a side received, nor the analysis.
    static let raters = AccessPolicy.staff([.admin, .practitioner, .blindedRater])
    static let seeAllocation: Set<Role> = [.admin, .practitioner]
    static let seeAnalysis: Set<Role> = [.admin, .practitioner, .researcher]
}
