/// The intake fact a rule looks at. The list is closed because each fact needs code to read
/// it, but which outcome, modalities and window a fact leads to is data in the `RuleSet`, so a
/// clinic can change them (or add a second rule on the same fact for one modality) without code.
public enum ScreeningCriterion: String, Sendable, Codable, CaseIterable, Hashable {
    case activeAcneInArea
    case localInfectionInArea
    case activeHerpesLabialis
    case herpesHistory
    /// Eczema or psoriasis graded moderate or severe (the reference lists moderate–severe).
    case eczemaPsoriasisModerateOrSevere
    case anticoagulants
    case bleedingDisorder
    case immunosuppressed
    case chemotherapy
    case pregnantOrBreastfeeding
    case keloidHistory
    /// Current, or stopped and still inside the rule's window (no window: any stop date matches).
    case isotretinoinCurrentOrRecent
    case pacemakerOrImplantedDevice
    case metalImplantsInArea
    case metalAllergy
    case anestheticAllergy
    case recentSunburn
    /// A topical retinoid stop date inside the rule's window.
    case retinoidRecentlyStopped
    case recentChemicalPeel
    case recentLaser
    case recentFiller
    case recentNeuromodulator
    case recentWaxing
    case uncontrolledDiabetes
    case autoimmuneDisease
    case skinCancerInArea
    case systemicInfection
    case fitzpatrickIVtoVI
    case fitzpatrickNotRecorded
    case fitzpatrickSelfReported
}
