/// The ten facial zones an assessment counts scars in. Raw values are the API keys and form
/// field names. Left and right are the patient's own sides.
public enum FacialZone: String, Sendable, Hashable, Codable, CaseIterable {
    case forehead
    case leftTemple = "left-temple"
    case rightTemple = "right-temple"
    case leftCheek = "left-cheek"
    case rightCheek = "right-cheek"
    case nose
    case perioral
    case chin
    case leftJawline = "left-jawline"
    case rightJawline = "right-jawline"

    public var label: String {
        switch self {
        case .forehead: "Forehead"
        case .leftTemple: "Left temple"
        case .rightTemple: "Right temple"
        case .leftCheek: "Left cheek"
        case .rightCheek: "Right cheek"
        case .nose: "Nose"
        case .perioral: "Perioral"
        case .chin: "Chin"
        case .leftJawline: "Left jawline"
        case .rightJawline: "Right jawline"
        }
    }
}

/// Scar types counted per zone (domain reference §1.1–1.2): the three Jacob 2001 atrophic
/// subtypes, the raised types, and flat colour change (counted by Goodman–Baron grade 1).
public enum ScarType: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case icePick = "ice-pick"
    case boxcar
    case rolling
    case hypertrophic
    case keloidal
    case macular

    public var label: String {
        switch self {
        case .icePick: "Ice pick"
        case .boxcar: "Boxcar"
        case .rolling: "Rolling"
        case .hypertrophic: "Hypertrophic"
        case .keloidal: "Keloidal"
        case .macular: "Macular"
        }
    }

    /// Declaration order, so ties and tables list types the same way everywhere.
    public static func < (a: ScarType, b: ScarType) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// Optional width class of a zone's scars. The bands are the ECCA item widths (< 2 mm,
/// 2–4 mm, > 4 mm; domain reference §3.3), which match the Jacob subtype widths of §1.2.
/// Recorded as observed, never used to infer the subtype (reference §1.2, Kang 2016).
public enum ScarSizeClass: String, Sendable, Hashable, Codable, CaseIterable {
    case under2mm = "under-2mm"
    case from2to4mm = "2-4mm"
    case over4mm = "over-4mm"

    public var label: String {
        switch self {
        case .under2mm: "< 2 mm"
        case .from2to4mm: "2–4 mm"
        case .over4mm: "> 4 mm"
        }
    }
}

/// Optional depth class of a zone's scars: Jacob 2001 boxcar depths, shallow 0.1–0.5 mm or
/// deep ≥ 0.5 mm (domain reference §1.2, mm figures [C1]).
public enum ScarDepthClass: String, Sendable, Hashable, Codable, CaseIterable {
    case shallow
    case deep

    public var label: String {
        switch self {
        case .shallow: "Shallow (0.1–0.5 mm)"
        case .deep: "Deep (≥ 0.5 mm)"
        }
    }

    /// For narrow table cells; the form's hint gives the millimetres.
    public var shortLabel: String {
        switch self {
        case .shallow: "Shallow"
        case .deep: "Deep"
        }
    }
}
