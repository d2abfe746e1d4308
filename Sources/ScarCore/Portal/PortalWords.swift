import Foundation

/// What the portal tells a patient, in plain words, each with its source as a reader would cite
/// it. Pure text; the pages show it as written here.
public enum PortalWords {
    public struct Cited: Sendable, Equatable {
        public var when: String
        public var text: String
        public var source: String
    }

    /// "What to expect" from a course: when results show and how long the skin keeps changing.
    public static let resultsTimeline: [Cited] = [
        Cited(when: "The first days", text: "Redness, swelling and some flaking are normal after each session and settle by themselves; two to three days of downtime is typical.",
              source: "J Drugs Dermatol 2024 review; common clinic aftercare practice"),
        Cited(when: "4–6 weeks", text: "The first change many patients notice. Clinics commonly say this; no study has measured this exact window, so yours may come sooner or later.",
              source: "Common clinic information for patients"),
        Cited(when: "1–3 months", text: "New collagen builds up in the skin during a course; in a study it had clearly increased by the end of three months of treatment.",
              source: "El-Domyati et al., J Clin Aesthet Dermatol 2015"),
        Cited(when: "3–6 months", text: "In a controlled trial the improvement was not yet clear at 3 months but was at 6 months, so it is worth waiting before judging the result.",
              source: "Alam et al., JAMA Dermatol 2014"),
        Cited(when: "Up to 12 months", text: "The skin keeps remodelling for months after the last session. That is why the clinic sees you again 1, 3, 6 and 12 months afterwards.",
              source: "Alster & Li, Plast Reconstr Surg 2020"),
    ]

    /// What one session involves, for the modality of the plan.
    public static func sessionInvolves(_ modality: Modality) -> String {
        let needling = modality == .rfMicroneedling
            ? "fine needles that also deliver radio-frequency energy into the skin (RF microneedling)"
            : "fine needles that make tiny channels in the skin (microneedling)"
        return "At each session the clinician checks your health questions, cleans your skin, may put on a numbing cream, "
            + "and treats the planned areas with \(needling). Your skin will look red afterwards; you get a written aftercare sheet."
    }

    /// A screening outcome as the patient reads it: what the clinic will do, never the rule.
    public static func screening(_ outcome: ScreeningOutcome) -> String {
        switch outcome {
        case .eligible:
            "Nothing in your answers stands in the way. Your clinician will still go through them with you at your visit."
        case .acknowledge:
            "The clinic will talk to you about some of your answers before your first session. You do not need to do anything now."
        case .defer:
            "The clinic will talk to you about the timing of your treatment: something in your answers may mean waiting a while."
        case .contraindicated:
            "The clinic will talk to you about whether this treatment is right for you, before any session. Please call them if you have questions."
        }
    }
}
