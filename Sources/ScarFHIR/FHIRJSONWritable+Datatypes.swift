// Each datatype's JSON in JSONEncoder's sorted key order (see `FHIRJSONWritable`).

extension Meta: FHIRJSONWritable {
    public func writeJSON(to o: inout FHIRJSONBuffer) {
        o.beginObject()
        o.field("lastUpdated", lastUpdated); o.field("versionId", versionId)
        o.endObject()
    }
}

extension Coding: FHIRJSONWritable {
    public func writeJSON(to o: inout FHIRJSONBuffer) {
        o.beginObject()
        o.field("code", code); o.field("display", display); o.field("system", system); o.field("version", version)
        o.endObject()
    }
}

extension CodeableConcept: FHIRJSONWritable {
    public func writeJSON(to o: inout FHIRJSONBuffer) {
        o.beginObject()
        o.field("coding", coding); o.field("text", text)
        o.endObject()
    }
}

extension Reference: FHIRJSONWritable {
    public func writeJSON(to o: inout FHIRJSONBuffer) {
        o.beginObject()
        o.field("display", display); o.field("reference", reference)
        o.endObject()
    }
}

extension Identifier: FHIRJSONWritable {
    public func writeJSON(to o: inout FHIRJSONBuffer) {
        o.beginObject()
        o.field("system", system); o.field("value", value)
        o.endObject()
    }
}

extension HumanName: FHIRJSONWritable {
    public func writeJSON(to o: inout FHIRJSONBuffer) {
        o.beginObject()
        o.field("family", family); o.field("given", given); o.field("text", text); o.field("use", use)
        o.endObject()
    }
}

extension ContactPoint: FHIRJSONWritable {
    public func writeJSON(to o: inout FHIRJSONBuffer) {
        o.beginObject()
        o.field("system", system); o.field("value", value)
        o.endObject()
    }
}

extension Period: FHIRJSONWritable {
    public func writeJSON(to o: inout FHIRJSONBuffer) {
        o.beginObject()
        o.field("end", end); o.field("start", start)
        o.endObject()
    }
}

extension Annotation: FHIRJSONWritable {
    public func writeJSON(to o: inout FHIRJSONBuffer) {
        o.beginObject()
        o.field("text", text)
        o.endObject()
    }
}

extension Attachment: FHIRJSONWritable {
    public func writeJSON(to o: inout FHIRJSONBuffer) {
        o.beginObject()
        o.field("contentType", contentType); o.field("creation", creation); o.field("size", size); o.field("title", title)
        o.field("url", url)
        o.endObject()
    }
}

extension Extension: FHIRJSONWritable {
    public func writeJSON(to o: inout FHIRJSONBuffer) {
        o.beginObject()
        o.field("url", url); o.field("valueCodeableConcept", valueCodeableConcept); o.field("valueDecimal", valueDecimal)
        o.field("valueInteger", valueInteger); o.field("valueString", valueString)
        o.endObject()
    }
}

extension FHIRResource: FHIRJSONWritable {
    public func writeJSON(to o: inout FHIRJSONBuffer) {
        switch self {
        case .patient(let r): r.writeJSON(to: &o)
        case .organization(let r): r.writeJSON(to: &o)
        case .practitioner(let r): r.writeJSON(to: &o)
        case .location(let r): r.writeJSON(to: &o)
        case .condition(let r): r.writeJSON(to: &o)
        case .observation(let r): r.writeJSON(to: &o)
        case .procedure(let r): r.writeJSON(to: &o)
        case .device(let r): r.writeJSON(to: &o)
        case .consent(let r): r.writeJSON(to: &o)
        case .adverseEvent(let r): r.writeJSON(to: &o)
        case .appointment(let r): r.writeJSON(to: &o)
        case .carePlan(let r): r.writeJSON(to: &o)
        case .provenance(let r): r.writeJSON(to: &o)
        case .questionnaire(let r): r.writeJSON(to: &o)
        case .questionnaireResponse(let r): r.writeJSON(to: &o)
        case .media(let r): r.writeJSON(to: &o)
        case .researchStudy(let r): r.writeJSON(to: &o)
        case .researchSubject(let r): r.writeJSON(to: &o)
        }
    }
}
