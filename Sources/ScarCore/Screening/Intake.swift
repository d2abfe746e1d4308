/// The patient's answers that screening reads: the contraindication checklist of reference §6
/// and the intake items of §12. Field names are those of the command-line contract. Every
/// flag defaults to false and every date to absent, so a new field never breaks stored intakes.
public struct Intake: Sendable, Hashable, Codable {
    /// Phototype 1–6; nil when not recorded (screening then adds a reminder, since §8 makes it
    /// required at intake).
    public var fitzpatrick: FitzpatrickType?
    public var fitzpatrickMethod: FitzpatrickMethod?
    public var activeAcneInArea: Bool
    /// Warts or another bacterial, viral or fungal infection in the treatment area.
    public var localInfectionInArea: Bool
    public var activeHerpesLabialis: Bool
    /// History of HSV (cold sores).
    public var herpesHistory: Bool
    /// Whether antiviral prophylaxis is planned (§12 records it with the HSV history).
    public var antiviralProphylaxisPlanned: Bool
    /// Eczema or psoriasis (also rosacea, dermatitis) in the area.
    public var eczemaPsoriasisInArea: SkinConditionSeverity
    public var anticoagulants: Bool
    public var bleedingDisorder: Bool
    /// Weak immune system, e.g. radiotherapy or high-dose corticosteroids.
    public var immunosuppressed: Bool
    public var chemotherapy: Bool
    public var pregnantOrBreastfeeding: Bool
    /// Keloid or hypertrophic scar history or tendency.
    public var keloidHistory: Bool
    public var isotretinoin: IsotretinoinStatus
    public var pacemakerOrImplantedDevice: Bool
    public var metalImplantsInArea: Bool
    public var metalAllergy: Bool
    /// Which metal (stainless steel, nickel, gold...): the reference asks to capture it.
    public var metalAllergyDetail: String?
    public var anestheticAllergy: Bool
    /// Which anesthetic agent, so an alternative can be chosen.
    public var anestheticAllergyDetail: String?
    /// Recent sun exposure, sunburn or tan.
    public var recentSunburn: Bool
    public var retinoidStoppedOn: CalendarDate?
    public var recentProcedures: [RecentProcedure]
    public var uncontrolledDiabetes: Bool
    /// Collagen vascular or autoimmune disease (lupus, scleroderma).
    public var autoimmuneDisease: Bool
    /// Skin cancer, suspicious or raised lesions, actinic keratoses or moles in the area.
    public var skinCancerInArea: Bool
    /// Systemic infection such as hepatitis or HIV.
    public var systemicInfection: Bool

    public init(
        fitzpatrick: FitzpatrickType? = nil, fitzpatrickMethod: FitzpatrickMethod? = nil,
        activeAcneInArea: Bool = false, localInfectionInArea: Bool = false, activeHerpesLabialis: Bool = false,
        herpesHistory: Bool = false, antiviralProphylaxisPlanned: Bool = false,
        eczemaPsoriasisInArea: SkinConditionSeverity = .none, anticoagulants: Bool = false,
        bleedingDisorder: Bool = false, immunosuppressed: Bool = false, chemotherapy: Bool = false,
        pregnantOrBreastfeeding: Bool = false, keloidHistory: Bool = false, isotretinoin: IsotretinoinStatus = .never,
        pacemakerOrImplantedDevice: Bool = false, metalImplantsInArea: Bool = false, metalAllergy: Bool = false,
        metalAllergyDetail: String? = nil, anestheticAllergy: Bool = false, anestheticAllergyDetail: String? = nil,
        recentSunburn: Bool = false, retinoidStoppedOn: CalendarDate? = nil, recentProcedures: [RecentProcedure] = [],
        uncontrolledDiabetes: Bool = false, autoimmuneDisease: Bool = false, skinCancerInArea: Bool = false,
        systemicInfection: Bool = false
    ) {
        self.fitzpatrick = fitzpatrick
        self.fitzpatrickMethod = fitzpatrickMethod
        self.activeAcneInArea = activeAcneInArea
        self.localInfectionInArea = localInfectionInArea
        self.activeHerpesLabialis = activeHerpesLabialis
        self.herpesHistory = herpesHistory
        self.antiviralProphylaxisPlanned = antiviralProphylaxisPlanned
        self.eczemaPsoriasisInArea = eczemaPsoriasisInArea
        self.anticoagulants = anticoagulants
        self.bleedingDisorder = bleedingDisorder
        self.immunosuppressed = immunosuppressed
        self.chemotherapy = chemotherapy
        self.pregnantOrBreastfeeding = pregnantOrBreastfeeding
        self.keloidHistory = keloidHistory
        self.isotretinoin = isotretinoin
        self.pacemakerOrImplantedDevice = pacemakerOrImplantedDevice
        self.metalImplantsInArea = metalImplantsInArea
        self.metalAllergy = metalAllergy
        self.metalAllergyDetail = metalAllergyDetail
        self.anestheticAllergy = anestheticAllergy
        self.anestheticAllergyDetail = anestheticAllergyDetail
        self.recentSunburn = recentSunburn
        self.retinoidStoppedOn = retinoidStoppedOn
        self.recentProcedures = recentProcedures
        self.uncontrolledDiabetes = uncontrolledDiabetes
        self.autoimmuneDisease = autoimmuneDisease
        self.skinCancerInArea = skinCancerInArea
        self.systemicInfection = systemicInfection
    }

    private enum CodingKeys: String, CodingKey {
        case fitzpatrick, fitzpatrickMethod, activeAcneInArea, localInfectionInArea, activeHerpesLabialis,
             herpesHistory, antiviralProphylaxisPlanned, eczemaPsoriasisInArea, anticoagulants, bleedingDisorder,
             immunosuppressed, chemotherapy, pregnantOrBreastfeeding, keloidHistory, isotretinoin,
             pacemakerOrImplantedDevice, metalImplantsInArea, metalAllergy, metalAllergyDetail, anestheticAllergy,
             anestheticAllergyDetail, recentSunburn, retinoidStoppedOn, recentProcedures, uncontrolledDiabetes,
             autoimmuneDisease, skinCancerInArea, systemicInfection
    }

    /// Missing keys take their defaults, so intakes stored before a field existed still decode.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        func flag(_ key: CodingKeys) throws -> Bool { try c.decodeIfPresent(Bool.self, forKey: key) ?? false }
        self.init(
            fitzpatrick: try c.decodeIfPresent(FitzpatrickType.self, forKey: .fitzpatrick),
            fitzpatrickMethod: try c.decodeIfPresent(FitzpatrickMethod.self, forKey: .fitzpatrickMethod),
            activeAcneInArea: try flag(.activeAcneInArea),
            localInfectionInArea: try flag(.localInfectionInArea),
            activeHerpesLabialis: try flag(.activeHerpesLabialis),
            herpesHistory: try flag(.herpesHistory),
            antiviralProphylaxisPlanned: try flag(.antiviralProphylaxisPlanned),
            eczemaPsoriasisInArea: try c.decodeIfPresent(SkinConditionSeverity.self, forKey: .eczemaPsoriasisInArea) ?? .none,
            anticoagulants: try flag(.anticoagulants),
            bleedingDisorder: try flag(.bleedingDisorder),
            immunosuppressed: try flag(.immunosuppressed),
            chemotherapy: try flag(.chemotherapy),
            pregnantOrBreastfeeding: try flag(.pregnantOrBreastfeeding),
            keloidHistory: try flag(.keloidHistory),
            isotretinoin: try c.decodeIfPresent(IsotretinoinStatus.self, forKey: .isotretinoin) ?? .never,
            pacemakerOrImplantedDevice: try flag(.pacemakerOrImplantedDevice),
            metalImplantsInArea: try flag(.metalImplantsInArea),
            metalAllergy: try flag(.metalAllergy),
            metalAllergyDetail: try c.decodeIfPresent(String.self, forKey: .metalAllergyDetail),
            anestheticAllergy: try flag(.anestheticAllergy),
            anestheticAllergyDetail: try c.decodeIfPresent(String.self, forKey: .anestheticAllergyDetail),
            recentSunburn: try flag(.recentSunburn),
            retinoidStoppedOn: try c.decodeIfPresent(CalendarDate.self, forKey: .retinoidStoppedOn),
            recentProcedures: try c.decodeIfPresent([RecentProcedure].self, forKey: .recentProcedures) ?? [],
            uncontrolledDiabetes: try flag(.uncontrolledDiabetes),
            autoimmuneDisease: try flag(.autoimmuneDisease),
            skinCancerInArea: try flag(.skinCancerInArea),
            systemicInfection: try flag(.systemicInfection)
        )
    }
}
