// Each clinical resource's JSON in JSONEncoder's sorted key order (see `FHIRJSONWritable`).

extension FHIRPatient: FHIRJSONWritable {
    public func writeJSON(to o: inout FHIRJSONBuffer) {
        o.beginObject()
        o.field("active", active); o.field("birthDate", birthDate); o.field("gender", gender); o.field("id", id)
        o.field("identifier", identifier); o.field("managingOrganization", managingOrganization); o.field("meta", meta)
        o.field("name", name); o.field("resourceType", resourceType); o.field("telecom", telecom)
        o.endObject()
    }
}

extension FHIROrganization: FHIRJSONWritable {
    public func writeJSON(to o: inout FHIRJSONBuffer) {
        o.beginObject()
        o.field("active", active); o.field("id", id); o.field("meta", meta); o.field("name", name)
        o.field("resourceType", resourceType)
        o.endObject()
    }
}

extension FHIRPractitioner: FHIRJSONWritable {
    public func writeJSON(to o: inout FHIRJSONBuffer) {
        o.beginObject()
        o.field("active", active); o.field("id", id); o.field("meta", meta); o.field("name", name)
        o.field("resourceType", resourceType)
        o.endObject()
    }
}

extension FHIRLocation: FHIRJSONWritable {
    public func writeJSON(to o: inout FHIRJSONBuffer) {
        o.beginObject()
        o.field("id", id); o.field("managingOrganization", managingOrganization); o.field("meta", meta); o.field("mode", mode)
        o.field("name", name); o.field("resourceType", resourceType); o.field("status", status)
        o.endObject()
    }
}

extension FHIRCondition: FHIRJSONWritable {
    public func writeJSON(to o: inout FHIRJSONBuffer) {
        o.beginObject()
        o.field("bodySite", bodySite); o.field("category", category); o.field("clinicalStatus", clinicalStatus); o.field("code", code)
        o.field("evidence", evidence); o.field("id", id); o.field("meta", meta); o.field("recordedDate", recordedDate)
        o.field("recorder", recorder); o.field("resourceType", resourceType); o.field("subject", subject)
        o.field("verificationStatus", verificationStatus)
        o.endObject()
    }
}

extension FHIRCondition.ConditionEvidence: FHIRJSONWritable {
    public func writeJSON(to o: inout FHIRJSONBuffer) {
        o.beginObject()
        o.field("detail", detail)
        o.endObject()
    }
}

extension FHIRObservation: FHIRJSONWritable {
    public func writeJSON(to o: inout FHIRJSONBuffer) {
        o.beginObject()
        o.field("category", category); o.field("code", code); o.field("effectiveDateTime", effectiveDateTime); o.field("id", id)
        o.field("interpretation", interpretation); o.field("issued", issued); o.field("meta", meta); o.field("performer", performer)
        o.field("resourceType", resourceType); o.field("status", status); o.field("subject", subject)
        o.field("valueCodeableConcept", valueCodeableConcept); o.field("valueInteger", valueInteger)
        o.endObject()
    }
}

extension FHIRProcedure: FHIRJSONWritable {
    public func writeJSON(to o: inout FHIRJSONBuffer) {
        o.beginObject()
        o.field("basedOn", basedOn); o.field("bodySite", bodySite); o.field("code", code); o.field("focalDevice", focalDevice)
        o.field("id", id); o.field("meta", meta); o.field("note", note); o.field("performedDateTime", performedDateTime)
        o.field("performer", performer); o.field("resourceType", resourceType); o.field("status", status); o.field("subject", subject)
        o.field("usedReference", usedReference)
        o.endObject()
    }
}

extension FHIRProcedure.Performer: FHIRJSONWritable {
    public func writeJSON(to o: inout FHIRJSONBuffer) {
        o.beginObject()
        o.field("actor", actor)
        o.endObject()
    }
}

extension FHIRProcedure.FocalDevice: FHIRJSONWritable {
    public func writeJSON(to o: inout FHIRJSONBuffer) {
        o.beginObject()
        o.field("action", action); o.field("manipulated", manipulated)
        o.endObject()
    }
}

extension FHIRDevice: FHIRJSONWritable {
    public func writeJSON(to o: inout FHIRJSONBuffer) {
        o.beginObject()
        o.field("deviceName", deviceName); o.field("expirationDate", expirationDate); o.field("id", id); o.field("lotNumber", lotNumber)
        o.field("manufacturer", manufacturer); o.field("meta", meta); o.field("owner", owner); o.field("resourceType", resourceType)
        o.field("serialNumber", serialNumber); o.field("status", status); o.field("type", type)
        o.endObject()
    }
}

extension FHIRDevice.DeviceName: FHIRJSONWritable {
    public func writeJSON(to o: inout FHIRJSONBuffer) {
        o.beginObject()
        o.field("name", name); o.field("type", type)
        o.endObject()
    }
}

extension FHIRConsent: FHIRJSONWritable {
    public func writeJSON(to o: inout FHIRJSONBuffer) {
        o.beginObject()
        o.field("category", category); o.field("dateTime", dateTime); o.field("id", id); o.field("meta", meta)
        o.field("organization", organization); o.field("patient", patient); o.field("policyRule", policyRule)
        o.field("provision", provision); o.field("resourceType", resourceType); o.field("scope", scope)
        o.field("sourceAttachment", sourceAttachment); o.field("status", status)
        o.endObject()
    }
}

extension FHIRConsent.Provision: FHIRJSONWritable {
    public func writeJSON(to o: inout FHIRJSONBuffer) {
        o.beginObject()
        o.field("period", period); o.field("type", type)
        o.endObject()
    }
}

extension FHIRAdverseEvent: FHIRJSONWritable {
    public func writeJSON(to o: inout FHIRJSONBuffer) {
        o.beginObject()
        o.field("actuality", actuality); o.field("date", date); o.field("event", event); o.field("extension", `extension`)
        o.field("id", id); o.field("meta", meta); o.field("outcome", outcome); o.field("recordedDate", recordedDate)
        o.field("recorder", recorder); o.field("resourceType", resourceType); o.field("seriousness", seriousness)
        o.field("severity", severity); o.field("subject", subject); o.field("suspectEntity", suspectEntity)
        o.endObject()
    }
}

extension FHIRAdverseEvent.SuspectEntity: FHIRJSONWritable {
    public func writeJSON(to o: inout FHIRJSONBuffer) {
        o.beginObject()
        o.field("causality", causality); o.field("instance", instance)
        o.endObject()
    }
}

extension FHIRAdverseEvent.Causality: FHIRJSONWritable {
    public func writeJSON(to o: inout FHIRJSONBuffer) {
        o.beginObject()
        o.field("assessment", assessment)
        o.endObject()
    }
}

extension FHIRAppointment: FHIRJSONWritable {
    public func writeJSON(to o: inout FHIRJSONBuffer) {
        o.beginObject()
        o.field("created", created); o.field("description", description); o.field("end", end); o.field("id", id); o.field("meta", meta)
        o.field("minutesDuration", minutesDuration); o.field("participant", participant); o.field("resourceType", resourceType)
        o.field("serviceType", serviceType); o.field("start", start); o.field("status", status)
        o.endObject()
    }
}

extension FHIRAppointment.Participant: FHIRJSONWritable {
    public func writeJSON(to o: inout FHIRJSONBuffer) {
        o.beginObject()
        o.field("actor", actor); o.field("required", required); o.field("status", status)
        o.endObject()
    }
}

extension FHIRCarePlan: FHIRJSONWritable {
    public func writeJSON(to o: inout FHIRJSONBuffer) {
        o.beginObject()
        o.field("activity", activity); o.field("addresses", addresses); o.field("author", author); o.field("created", created)
        o.field("description", description); o.field("id", id); o.field("intent", intent); o.field("meta", meta)
        o.field("period", period); o.field("resourceType", resourceType); o.field("status", status); o.field("subject", subject)
        o.field("title", title)
        o.endObject()
    }
}

extension FHIRCarePlan.Activity: FHIRJSONWritable {
    public func writeJSON(to o: inout FHIRJSONBuffer) {
        o.beginObject()
        o.field("detail", detail)
        o.endObject()
    }
}

extension FHIRCarePlan.Detail: FHIRJSONWritable {
    public func writeJSON(to o: inout FHIRJSONBuffer) {
        o.beginObject()
        o.field("code", code); o.field("description", description); o.field("kind", kind); o.field("status", status)
        o.endObject()
    }
}
