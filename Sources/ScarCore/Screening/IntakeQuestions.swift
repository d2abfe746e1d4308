/// The yes/no questions of the intake form, grouped the way a clinician asks them, with the
/// words the form shows. The form (ScarServer) and the FHIR Questionnaire of the intake
/// (ScarFHIR) both read this list, so they always ask the same questions.
public enum IntakeQuestions {
    public struct Flag: Sendable {
        public var name: String
        public var label: String
        public init(name: String, label: String) {
            self.name = name
            self.label = label
        }
    }

    public static let groups: [(title: String, flags: [Flag])] = [
        ("In the treatment area today", [
            Flag(name: "activeAcneInArea", label: "Active acne in the treatment area"),
            Flag(name: "localInfectionInArea", label: "Local infection (including warts) in the area"),
            Flag(name: "activeHerpesLabialis", label: "Active herpes labialis (cold sore)"),
            Flag(name: "recentSunburn", label: "Recent sun exposure or sunburn"),
            Flag(name: "skinCancerInArea", label: "Skin cancer or a suspicious lesion in the area"),
        ]),
        ("History", [
            Flag(name: "herpesHistory", label: "History of herpes simplex (HSV)"),
            Flag(name: "antiviralProphylaxisPlanned", label: "Antiviral prophylaxis planned"),
            Flag(name: "keloidHistory", label: "Keloid or hypertrophic scarring history"),
            Flag(name: "pregnantOrBreastfeeding", label: "Pregnant or breastfeeding"),
            Flag(name: "uncontrolledDiabetes", label: "Uncontrolled diabetes"),
            Flag(name: "autoimmuneDisease", label: "Autoimmune disease"),
            Flag(name: "systemicInfection", label: "Systemic infection or feeling unwell"),
        ]),
        ("Medicines and bleeding", [
            Flag(name: "anticoagulants", label: "Takes anticoagulants"),
            Flag(name: "bleedingDisorder", label: "Bleeding disorder"),
            Flag(name: "immunosuppressed", label: "Immunosuppressed"),
            Flag(name: "chemotherapy", label: "Chemotherapy"),
        ]),
        ("Devices and allergies", [
            Flag(name: "pacemakerOrImplantedDevice", label: "Pacemaker or implanted electronic device"),
            Flag(name: "metalImplantsInArea", label: "Metal implants in the treatment area"),
            Flag(name: "metalAllergy", label: "Metal allergy"),
            Flag(name: "anestheticAllergy", label: "Allergy to a topical or local anesthetic"),
        ]),
    ]

    /// A flag's answer in an intake, by the flag's name (nil for a name that is not a flag).
    public static func flag(_ name: String, of i: Intake) -> Bool? {
        switch name {
        case "activeAcneInArea": i.activeAcneInArea
        case "localInfectionInArea": i.localInfectionInArea
        case "activeHerpesLabialis": i.activeHerpesLabialis
        case "recentSunburn": i.recentSunburn
        case "skinCancerInArea": i.skinCancerInArea
        case "herpesHistory": i.herpesHistory
        case "antiviralProphylaxisPlanned": i.antiviralProphylaxisPlanned
        case "keloidHistory": i.keloidHistory
        case "pregnantOrBreastfeeding": i.pregnantOrBreastfeeding
        case "uncontrolledDiabetes": i.uncontrolledDiabetes
        case "autoimmuneDisease": i.autoimmuneDisease
        case "systemicInfection": i.systemicInfection
        case "anticoagulants": i.anticoagulants
        case "bleedingDisorder": i.bleedingDisorder
        case "immunosuppressed": i.immunosuppressed
        case "chemotherapy": i.chemotherapy
        case "pacemakerOrImplantedDevice": i.pacemakerOrImplantedDevice
        case "metalImplantsInArea": i.metalImplantsInArea
        case "metalAllergy": i.metalAllergy
        case "anestheticAllergy": i.anestheticAllergy
        default: nil
        }
    }
}
