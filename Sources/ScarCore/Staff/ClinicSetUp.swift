import Foundation

/// A new clinic's first run in one form: a treatment room, the first device, its cartridge lot (a
/// topical and an anesthetic lot when given) and the consent templates shipped as editable examples.
/// Each part is checked by its own rules (`DeviceDetails`, `LotDetails`, `ConsentTemplateDetails`);
/// a refused field is named `<part>.<field>` (`device.serialNumber`, `cartridge.expiresOn`,
/// `consent.microneedling.title`) so the form shows the message beside it.
public struct ClinicSetUp: Sendable, Equatable {
    public struct ConsentInput: Sendable, Equatable {
        public var kind: ConsentKind
        public var include: Bool
        public var title: String?
        public var body: String?

        public init(kind: ConsentKind, include: Bool, title: String?, body: String?) {
            (self.kind, self.include, self.title, self.body) = (kind, include, title, body)
        }
    }

    public struct Input: Sendable, Equatable {
        public var roomName: String?
        public var device: DeviceDetails.Input
        /// The cartridge lot (required), then the optional lots (skipped when every field is blank).
        public var lots: [LotDetails.Input]
        public var consents: [ConsentInput]

        public init(roomName: String?, device: DeviceDetails.Input, lots: [LotDetails.Input], consents: [ConsentInput]) {
            (self.roomName, self.device, self.lots, self.consents) = (roomName, device, lots, consents)
        }
    }

    public var roomName: String
    public var device: DeviceDetails
    public var lots: [LotDetails]
    public var consentTemplates: [ConsentTemplateDetails]

    /// The lots the form offers, in order; the first is required.
    public static let lotKinds: [ConsumableKind] = [.cartridge, .topical, .anesthetic]

    public static func validate(_ input: Input, today: CalendarDate) -> Result<ClinicSetUp, ValidationFailure> {
        var errors: [FieldError] = []
        func check<T>(_ part: String, _ result: Result<T, ValidationFailure>) -> T? {
            switch result {
            case .success(let value): return value
            case .failure(let f): errors += f.errors.map { FieldError("\(part).\($0.field)", $0.message) }; return nil
            }
        }
        let room = Text.normalized(input.roomName)
        if room == nil { errors.append(FieldError("roomName", "is required")) } else if room!.count > 200 || Text.hasControlCharacters(room!) {
            errors.append(FieldError("roomName", "must be one line of at most 200 characters"))
        }
        let device = check("device", DeviceDetails.validate(input.device))
        let lots = input.lots.enumerated().compactMap { index, lot -> LotDetails? in
            let blank = [lot.product, lot.lotNumber, lot.expiresOn].allSatisfy { Text.trimmed($0) == nil } && lot.quantity == nil
            if index > 0 && blank { return nil }
            return check(lot.kind ?? "lot", LotDetails.validate(lot, today: today))
        }
        let consents = input.consents.filter(\.include).compactMap {
            check("consent.\($0.kind.rawValue)", ConsentTemplateDetails.validate(kind: $0.kind.rawValue, title: $0.title, body: $0.body))
        }
        guard errors.isEmpty, let room, let device else { return .failure(ValidationFailure(errors)) }
        return .success(ClinicSetUp(roomName: room, device: device, lots: lots, consentTemplates: consents))
    }
}

/// The consent wording ScarTrack ships as examples: plain, without figures, for the clinic to read,
/// change to its own and save as its first template version.
public enum ExampleConsentWording {
    public static let note = "Example wording shipped with ScarTrack, written from common clinic practice. Read it with the clinic's "
        + "medical lead and change it to the clinic's own before saving."

    public static func title(_ kind: ConsentKind) -> String {
        switch kind {
        case .microneedling: "Consent to microneedling for acne scars"
        case .rfMicroneedling: "Consent to radiofrequency microneedling for acne scars"
        case .photoUse: "Consent to clinical photographs"
        case .research: "Consent to take part in research"
        }
    }

    /// The kinds the set-up form offers (research consent belongs to a study, not to set-up).
    public static let offered: [ConsentKind] = [.microneedling, .photoUse]

    public static func body(_ kind: ConsentKind) -> String {
        switch kind {
        case .microneedling, .rfMicroneedling:
            """
            The treatment: fine needles make many small channels in the skin of the treated areas so that the skin repairs itself. \
            A course has several sessions some weeks apart; my plan names them and the areas treated.

            What to expect: redness and swelling for a few days, a feeling like sunburn, and sometimes pinpoint bleeding or small scabs. \
            Results build up over months and differ from person to person; scars improve but are not removed.

            Risks: infection, a flare of cold sores, darker or lighter patches of skin, an allergic reaction to a product used, and, \
            rarely, new scarring.

            Alternatives: other treatments for acne scars, or no treatment.

            I have told the clinician about my health, my medicines and my allergies, I will follow the aftercare I am given, \
            and I have been able to ask questions. I can withdraw this consent at any time.
            """
        case .photoUse:
            """
            Photographs of my face are taken before treatment and at follow-up visits to record the scars and the result. \
            They are kept in my clinical record with the same confidentiality as the rest of it and are used for my care.

            They are not shown outside the clinic or published unless I agree to that separately. \
            I can withdraw this consent at any time; photographs already taken stay part of my record.
            """
        case .research:
            "What the study is, what taking part involves, and that I can stop at any time without it changing my care."
        }
    }
}
