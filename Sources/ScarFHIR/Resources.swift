import Foundation

// The FHIR R4 resources ScarTrack serves, each with only the elements it fills.

public struct FHIRPatient: Encodable, Sendable {
    public let resourceType = "Patient"
    public var id: String
    public var meta: Meta
    public var identifier: [Identifier]?
    public var active: Bool
    public var name: [HumanName]
    public var telecom: [ContactPoint]?
    public var gender: String
    public var birthDate: String
    public var managingOrganization: Reference
}

public struct FHIROrganization: Encodable, Sendable {
    public let resourceType = "Organization"
    public var id: String
    public var meta: Meta
    public var active: Bool
    public var name: String
}

public struct FHIRPractitioner: Encodable, Sendable {
    public let resourceType = "Practitioner"
    public var id: String
    public var meta: Meta
    public var active: Bool
    public var name: [HumanName]
}

public struct FHIRLocation: Encodable, Sendable {
    public let resourceType = "Location"
    public var id: String
    public var meta: Meta
    public var status: String
    public var name: String
    public var mode: String
    public var managingOrganization: Reference
}

public struct FHIRCondition: Encodable, Sendable {
    public let resourceType = "Condition"
    public var id: String
    public var meta: Meta
    public var clinicalStatus: CodeableConcept
    public var verificationStatus: CodeableConcept
    public var category: [CodeableConcept]
    public var code: CodeableConcept
    public var bodySite: [CodeableConcept]?
    public var subject: Reference
    public var recordedDate: String
    public var recorder: Reference?
    public var evidence: [ConditionEvidence]?

    public struct ConditionEvidence: Encodable, Sendable {
        public var detail: [Reference]
    }
}

public struct FHIRObservation: Encodable, Sendable {
    public let resourceType = "Observation"
    public var id: String
    public var meta: Meta
    public var status: String
    public var category: [CodeableConcept]
    public var code: CodeableConcept
    public var subject: Reference
    public var effectiveDateTime: String
    public var issued: String?
    public var performer: [Reference]?
    public var valueInteger: Int?
    public var valueCodeableConcept: CodeableConcept?
    public var interpretation: [CodeableConcept]?
}

public struct FHIRProcedure: Encodable, Sendable {
    public let resourceType = "Procedure"
    public var id: String
    public var meta: Meta
    public var status: String
    public var code: CodeableConcept
    public var subject: Reference
    public var performedDateTime: String
    public var performer: [Performer]
    public var basedOn: [Reference]?
    public var bodySite: [CodeableConcept]?
    public var note: [Annotation]?
    public var focalDevice: [FocalDevice]
    public var usedReference: [Reference]?

    public struct Performer: Encodable, Sendable {
        public var actor: Reference
    }

    public struct FocalDevice: Encodable, Sendable {
        public var action: CodeableConcept?
        public var manipulated: Reference
    }
}

public struct FHIRDevice: Encodable, Sendable {
    public let resourceType = "Device"
    public var id: String
    public var meta: Meta
    public var status: String
    public var manufacturer: String?
    public var lotNumber: String?
    public var expirationDate: String?
    public var serialNumber: String?
    public var deviceName: [DeviceName]
    public var type: CodeableConcept
    public var owner: Reference

    public struct DeviceName: Encodable, Sendable {
        public var name: String
        public var type: String
    }
}

public struct FHIRConsent: Encodable, Sendable {
    public let resourceType = "Consent"
    public var id: String
    public var meta: Meta
    public var status: String
    public var scope: CodeableConcept
    public var category: [CodeableConcept]
    public var patient: Reference
    public var dateTime: String
    public var organization: [Reference]
    public var sourceAttachment: Attachment
    public var policyRule: CodeableConcept
    public var provision: Provision

    public struct Provision: Encodable, Sendable {
        public var type: String
        public var period: Period
    }
}

public struct FHIRAdverseEvent: Encodable, Sendable {
    public let resourceType = "AdverseEvent"
    public var id: String
    public var meta: Meta
    public var `extension`: [Extension]?
    public var actuality: String
    public var event: CodeableConcept
    public var subject: Reference
    public var date: String
    public var recordedDate: String
    public var recorder: Reference?
    public var seriousness: CodeableConcept
    public var severity: CodeableConcept
    public var outcome: CodeableConcept
    public var suspectEntity: [SuspectEntity]?

    public struct SuspectEntity: Encodable, Sendable {
        public var instance: Reference
        public var causality: [Causality]?
    }

    public struct Causality: Encodable, Sendable {
        public var assessment: CodeableConcept
    }
}

public struct FHIRAppointment: Encodable, Sendable {
    public let resourceType = "Appointment"
    public var id: String
    public var meta: Meta
    public var status: String
    public var serviceType: [CodeableConcept]?
    public var description: String?
    public var start: String
    public var end: String
    public var minutesDuration: Int?
    public var created: String?
    public var participant: [Participant]

    public struct Participant: Encodable, Sendable {
        public var actor: Reference
        public var required: String
        public var status: String
    }
}

public struct FHIRCarePlan: Encodable, Sendable {
    public let resourceType = "CarePlan"
    public var id: String
    public var meta: Meta
    public var status: String
    public var intent: String
    public var title: String?
    public var description: String?
    public var subject: Reference
    public var period: Period?
    public var created: String?
    public var author: Reference?
    public var addresses: [Reference]?
    public var activity: [Activity]?

    public struct Activity: Encodable, Sendable {
        public var detail: Detail
    }

    public struct Detail: Encodable, Sendable {
        public var kind: String?
        public var code: CodeableConcept?
        public var status: String
        public var description: String?
    }
}
