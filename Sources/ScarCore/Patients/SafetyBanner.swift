import Foundation

/// What a clinician must see before touching the face, at the top of the patient page: taken as
/// recorded by the latest intake and the signed consents, never computed into new clinical numbers.
/// An item that calls for attention is `alert`; one not recorded yet says so.
public enum SafetyBanner {
    public struct Item: Sendable, Equatable {
        public var id: String
        public var label: String
        public var value: String
        public var alert: Bool
    }

    /// `photoConsent` / `researchConsent`: a signed, not withdrawn consent of that kind is on file.
    public static func items(age: Int, intake: Intake?, photoConsent: Bool, researchConsent: Bool) -> [Item] {
        var items = [Item(id: "age", label: "Age", value: "\(age) years", alert: false)]
        guard let i = intake else {
            items.append(Item(id: "intake", label: "Intake", value: "not recorded yet", alert: true))
            return items + consents(photo: photoConsent, research: researchConsent)
        }
        items.append(Item(id: "fitzpatrick", label: "Fitzpatrick", value: i.fitzpatrick.map { "type \($0.roman)" } ?? "not recorded",
                          alert: i.fitzpatrick == nil))
        items.append(allergies(i))
        let hsv = i.herpesHistory ? (i.antiviralProphylaxisPlanned ? "history of cold sores; antiviral prophylaxis planned"
                                                                   : "history of cold sores; no antiviral prophylaxis recorded")
                                  : "no history of cold sores"
        items.append(Item(id: "hsv", label: "HSV", value: hsv, alert: i.herpesHistory && !i.antiviralProphylaxisPlanned))
        let iso: String
        switch i.isotretinoin {
        case .never: iso = "never taken"
        case .current: iso = "taking it now"
        case .stopped(let on): iso = "stopped on \(on)"
        }
        items.append(Item(id: "isotretinoin", label: "Isotretinoin", value: iso, alert: i.isotretinoin != .never))
        items.append(Item(id: "anticoagulants", label: "Anticoagulants", value: i.anticoagulants ? "taking anticoagulants" : "none",
                          alert: i.anticoagulants))
        return items + consents(photo: photoConsent, research: researchConsent)
    }

    static func allergies(_ i: Intake) -> Item {
        var found: [String] = []
        if i.metalAllergy { found.append("metal" + (i.metalAllergyDetail.map { " (\($0))" } ?? "")) }
        if i.anestheticAllergy { found.append("anesthetic" + (i.anestheticAllergyDetail.map { " (\($0))" } ?? "")) }
        return Item(id: "allergies", label: "Allergies", value: found.isEmpty ? "none recorded" : found.joined(separator: "; "), alert: !found.isEmpty)
    }

    static func consents(photo: Bool, research: Bool) -> [Item] {
        [Item(id: "photo-consent", label: "Photo use", value: photo ? "consent signed" : "no consent", alert: false),
         Item(id: "research-consent", label: "Research", value: research ? "consent signed" : "no consent", alert: false)]
    }
}
