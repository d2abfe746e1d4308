import Foundation
import ScarCore

/// Where ScarTrack's own code systems, identifier systems and extensions live: one canonical
/// base the clinic sets (`SCARTRACK_FHIR_BASE`). The default is a placeholder, not a published
/// site; a clinic exchanging data should set a URL it controls.
public struct FHIRCodes: Sendable, Equatable {
    public static let placeholderBase = "https://scartrack.example/fhir"
    public let base: String

    public init(base: String? = nil) {
        var b = (base?.trimmingCharacters(in: .whitespaces)).flatMap { $0.isEmpty ? nil : $0 } ?? Self.placeholderBase
        while b.hasSuffix("/") { b.removeLast() }
        self.base = b
    }

    public var facialZone: String { base + "/CodeSystem/facial-zone" }
    public var scarScale: String { base + "/CodeSystem/scar-scale" }
    public var observationCode: String { base + "/CodeSystem/observation-code" }
    public var fitzpatrickType: String { base + "/CodeSystem/fitzpatrick-skin-type" }
    public var procedureCode: String { base + "/CodeSystem/procedure" }
    public var deviceType: String { base + "/CodeSystem/device-type" }
    public var adverseEventTerm: String { base + "/CodeSystem/adverse-event-term" }
    public var ctcaeGrade: String { base + "/CodeSystem/ctcae-grade" }
    public var ctcaeGradeExtension: String { base + "/StructureDefinition/ctcae-grade" }
    public var carePlanActivity: String { base + "/CodeSystem/care-plan-activity" }
    /// Record numbers are unique within a clinic only, so the system names the clinic.
    public func recordNumberSystem(clinicId: UUID) -> String { base + "/sid/clinic/\(clinicId.lower)/mrn" }

    // HL7 code systems used from required or extensible bindings.
    static let conditionClinical = "http://terminology.hl7.org/CodeSystem/condition-clinical"
    static let conditionVerification = "http://terminology.hl7.org/CodeSystem/condition-ver-status"
    static let conditionCategory = "http://terminology.hl7.org/CodeSystem/condition-category"
    static let observationCategory = "http://terminology.hl7.org/CodeSystem/observation-category"
    static let icd10 = "http://hl7.org/fhir/sid/icd-10"
    static let consentScope = "http://terminology.hl7.org/CodeSystem/consentscope"
    static let consentCategory = "http://loinc.org"
    static let actCode = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
    static let aeSeriousness = "http://terminology.hl7.org/CodeSystem/adverse-event-seriousness"
    static let aeSeverity = "http://terminology.hl7.org/CodeSystem/adverse-event-severity"
    static let aeOutcome = "http://terminology.hl7.org/CodeSystem/adverse-event-outcome"
    static let aeCausality = "http://terminology.hl7.org/CodeSystem/adverse-event-causality-assess"
}

/// The fixed translations between ScarTrack's values and FHIR codes, kept apart so tests can
/// hold every one against the value set it must come from.
public enum FHIRTerms {
    /// `AdverseEvent.severity` (R4, required binding: mild | moderate | severe) from the CTCAE
    /// grade: 1 mild, 2 moderate, 3 and above severe (4 and 5 keep their grade in the extension).
    public static func severity(_ grade: CTCAEGrade) -> String {
        switch grade {
        case .mild: "mild"
        case .moderate: "moderate"
        case .severe, .lifeThreatening, .death: "severe"
        }
    }

    /// `AdverseEvent.outcome` (R4 adverse-event-outcome). A grade 5 event is fatal whatever was charted.
    public static func outcome(_ outcome: AEOutcome, grade: CTCAEGrade) -> String {
        if grade == .death { return "fatal" }
        return switch outcome {
        case .ongoing: "ongoing"
        case .resolved: "resolved"
        case .resolvedWithSequelae: "resolvedWithSequelae"
        case .unknown: "unknown"
        }
    }

    /// WHO-UMC causality terms (R4 adverse-event-causality-assess); "unrelated" has no term there.
    public static func causality(_ r: Relatedness) -> String? {
        switch r {
        case .definite: "Certain"
        case .probable: "Probably-Likely"
        case .possible: "Possible"
        case .unlikely: "Unlikely"
        case .unrelated: nil
        }
    }

    /// The display HL7 gives a code of the adverse-event outcome and causality code systems.
    public static func display(_ code: String) -> String {
        switch code {
        case "resolvedWithSequelae": "Resolved with Sequelae"
        case "Probably-Likely": "Probably/Likely"
        case "Conditional-Classified": "Conditional/Classified"
        case "Unassessable-Unclassifiable": "Unassessable/Unclassifiable"
        default: code.prefix(1).uppercased() + code.dropFirst()
        }
    }

    /// `Patient.gender` (administrative-gender, required).
    public static func gender(_ sex: Sex) -> String {
        switch sex {
        case .female: "female"
        case .male: "male"
        case .other: "other"
        case .unknown: "unknown"
        }
    }

    /// `Appointment.status` (appointmentstatus, required).
    public static func appointmentStatus(_ s: AppointmentStatus) -> String {
        switch s {
        case .booked: "booked"
        case .checkedIn: "arrived"
        case .cancelled: "cancelled"
        case .noShow: "noshow"
        case .completed: "fulfilled"
        }
    }

    /// `Consent.scope` (consent-scope, required): treatment, research, or privacy for photo use.
    public static func consentScope(_ kind: ConsentKind) -> (code: String, display: String) {
        switch kind {
        case .microneedling, .rfMicroneedling: ("treatment", "Treatment")
        case .research: ("research", "Research")
        case .photoUse: ("patient-privacy", "Privacy Consent")
        }
    }

    /// Roman numerals, as Fitzpatrick types are written.
    public static func fitzpatrick(_ type: Int) -> String? {
        (1...6).contains(type) ? ["I", "II", "III", "IV", "V", "VI"][type - 1] : nil
    }

    public static func scaleName(_ id: String) -> String {
        switch id {
        case ECCA.id: "ECCA acne scar grading scale"
        case GoodmanBaronQualitative.id: "Goodman & Baron qualitative acne scar grade"
        case GoodmanBaronQuantitative.id: "Goodman & Baron quantitative acne scar score"
        default: id
        }
    }
}
