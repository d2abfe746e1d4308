import Foundation
import ScarFHIR
import ScarStore

/// The resource types `/fhir` serves, and where each one's records live.
enum FHIRType: String, CaseIterable, Sendable {
    case Patient, Organization, Practitioner, Location, Device
    case Condition, Observation, Procedure, Consent, AdverseEvent, Appointment, CarePlan
    case Provenance
    case Questionnaire, QuestionnaireResponse
    case Media
    case ResearchStudy, ResearchSubject

    /// Clinic-level types are read from the clinic's directory (no patient data, not audited);
    /// the others from one patient's chart, audited.
    var isClinicLevel: Bool { [.Organization, .Practitioner, .Location, .Device, .Questionnaire, .ResearchStudy].contains(self) }

    /// The search parameters each type takes besides `_count` and `_cursor` (the
    /// CapabilityStatement lists exactly these).
    var searchParameters: [(name: String, type: String, doc: String)] {
        switch self {
        case .Patient:
            [("name", "string", "Start of the given or family name"), ("identifier", "token", "The clinic's record number (MRN)"),
             ("birthdate", "date", "Date of birth, with an optional eq/lt/le/gt/ge prefix")]
        case .Organization, .Practitioner, .Location, .Device:
            self == .Device ? [("type", "token", "Device type code (a pen's type, or cartridge)"), ("status", "token", "active or inactive")] : []
        case .Questionnaire: []
        case .ResearchStudy: [("status", "token", "active or closed-to-accrual")]
        case .ResearchSubject:
            [("patient", "reference", "The patient (required): Patient/{id} or {id}"), ("status", "token", "on-study or off-study (research consent withdrawn)")]
        case .Media:
            [("patient", "reference", "The patient (required): Patient/{id} or {id}"),
             ("created", "date", "The day the photo was taken, with an optional eq/lt/le/gt/ge prefix")]
        case .QuestionnaireResponse:
            [("patient", "reference", "The patient (required): Patient/{id} or {id}"), ("subject", "reference", "The same as patient"),
             ("authored", "date", "The day it was answered (UTC), with an optional eq/lt/le/gt/ge prefix"),
             ("questionnaire", "reference", "The Questionnaire's canonical URL, with or without |version"),
             ("status", "token", "completed")]
        case .Provenance:
            [("patient", "reference", "The patient (required): Patient/{id} or {id}"),
             ("recorded", "date", "The day it was recorded (UTC), with an optional eq/lt/le/gt/ge prefix")]
        default:
            [("patient", "reference", "The patient (required): Patient/{id} or {id}"),
             ("date", "date", "The resource's date, with an optional eq/lt/le/gt/ge prefix"),
             ("status", "token", "The resource's status code")]
                + ([.Observation, .Procedure, .Condition, .AdverseEvent].contains(self) ? [("code", "token", "A code, as code or system|code")] : [])
        }
    }

    /// The table that tells which patient a record id belongs to.
    func recordKind(id: String) -> (FHIRRecordKind, UUID)? {
        switch self {
        case .Observation:
            // Scale scores are `{assessment id}-{scale id}`; a Fitzpatrick type is its intake's id.
            if id.count > 37, let assessment = UUID(uuidString: String(id.prefix(36))), id.dropFirst(36).first == "-" {
                return (.assessment, assessment)
            }
            return UUID(uuidString: id).map { (.intake, $0) }
        case .Procedure: return UUID(uuidString: id).map { (.session, $0) }
        case .Consent: return UUID(uuidString: id).map { (.consent, $0) }
        case .AdverseEvent: return UUID(uuidString: id).map { (.adverseEvent, $0) }
        case .Appointment: return UUID(uuidString: id).map { (.appointment, $0) }
        case .CarePlan: return UUID(uuidString: id).map { (.plan, $0) }
        case .QuestionnaireResponse: return UUID(uuidString: id).map { (.questionnaireResponse, $0) }
        case .Media: return UUID(uuidString: id).map { (.photo, $0) }
        case .ResearchSubject: return UUID(uuidString: id).map { (.researchSubject, $0) }
        case .Provenance:
            // A session's charting is its id; its signing the id and `-signed`; an amendment its own id.
            let session = id.hasSuffix(FHIRMapping.signedSuffix) ? String(id.dropLast(FHIRMapping.signedSuffix.count)) : id
            return UUID(uuidString: session).map { (.provenance, $0) }
        default: return nil
        }
    }
}
