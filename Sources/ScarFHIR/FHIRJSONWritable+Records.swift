// Provenance, Questionnaire(Response), Media and research resources as JSON in JSONEncoder's sorted key order (see `FHIRJSONWritable`).

extension FHIRProvenance: FHIRJSONWritable {
    public func writeJSON(to o: inout FHIRJSONBuffer) {
        o.beginObject()
        o.field("activity", activity); o.field("agent", agent); o.field("id", id); o.field("meta", meta)
        o.field("occurredDateTime", occurredDateTime); o.field("reason", reason); o.field("recorded", recorded)
        o.field("resourceType", resourceType); o.field("target", target)
        o.endObject()
    }
}

extension FHIRProvenance.Agent: FHIRJSONWritable {
    public func writeJSON(to o: inout FHIRJSONBuffer) {
        o.beginObject()
        o.field("type", type); o.field("who", who)
        o.endObject()
    }
}

extension FHIRQuestionnaire: FHIRJSONWritable {
    public func writeJSON(to o: inout FHIRJSONBuffer) {
        o.beginObject()
        o.field("description", description); o.field("id", id); o.field("item", item); o.field("meta", meta); o.field("name", name)
        o.field("publisher", publisher); o.field("resourceType", resourceType); o.field("status", status)
        o.field("subjectType", subjectType); o.field("title", title); o.field("url", url); o.field("version", version)
        o.endObject()
    }
}

extension FHIRQuestionnaire.Item: FHIRJSONWritable {
    public func writeJSON(to o: inout FHIRJSONBuffer) {
        o.beginObject()
        o.field("answerOption", answerOption); o.field("item", item); o.field("linkId", linkId); o.field("repeats", repeats)
        o.field("text", text); o.field("type", type)
        o.endObject()
    }
}

extension FHIRQuestionnaire.AnswerOption: FHIRJSONWritable {
    public func writeJSON(to o: inout FHIRJSONBuffer) {
        o.beginObject()
        o.field("valueCoding", valueCoding)
        o.endObject()
    }
}

extension FHIRQuestionnaireResponse: FHIRJSONWritable {
    public func writeJSON(to o: inout FHIRJSONBuffer) {
        o.beginObject()
        o.field("author", author); o.field("authored", authored); o.field("id", id); o.field("item", item); o.field("meta", meta)
        o.field("questionnaire", questionnaire); o.field("resourceType", resourceType); o.field("source", source)
        o.field("status", status); o.field("subject", subject)
        o.endObject()
    }
}

extension FHIRQuestionnaireResponse.Item: FHIRJSONWritable {
    public func writeJSON(to o: inout FHIRJSONBuffer) {
        o.beginObject()
        o.field("answer", answer); o.field("item", item); o.field("linkId", linkId); o.field("text", text)
        o.endObject()
    }
}

extension FHIRQuestionnaireResponse.Answer: FHIRJSONWritable {
    public func writeJSON(to o: inout FHIRJSONBuffer) {
        o.beginObject()
        o.field("valueBoolean", valueBoolean); o.field("valueCoding", valueCoding); o.field("valueDate", valueDate)
        o.field("valueInteger", valueInteger); o.field("valueString", valueString)
        o.endObject()
    }
}

extension FHIRMedia: FHIRJSONWritable {
    public func writeJSON(to o: inout FHIRJSONBuffer) {
        o.beginObject()
        o.field("bodySite", bodySite); o.field("content", content); o.field("createdDateTime", createdDateTime)
        o.field("height", height); o.field("id", id); o.field("issued", issued); o.field("meta", meta); o.field("note", note)
        o.field("operator", `operator`); o.field("resourceType", resourceType); o.field("status", status); o.field("subject", subject)
        o.field("type", type); o.field("view", view); o.field("width", width)
        o.endObject()
    }
}

extension FHIRResearchStudy: FHIRJSONWritable {
    public func writeJSON(to o: inout FHIRJSONBuffer) {
        o.beginObject()
        o.field("arm", arm); o.field("description", description); o.field("id", id); o.field("meta", meta); o.field("period", period)
        o.field("resourceType", resourceType); o.field("status", status); o.field("title", title)
        o.endObject()
    }
}

extension FHIRResearchStudy.Arm: FHIRJSONWritable {
    public func writeJSON(to o: inout FHIRJSONBuffer) {
        o.beginObject()
        o.field("description", description); o.field("name", name)
        o.endObject()
    }
}

extension FHIRResearchSubject: FHIRJSONWritable {
    public func writeJSON(to o: inout FHIRJSONBuffer) {
        o.beginObject()
        o.field("assignedArm", assignedArm); o.field("consent", consent); o.field("id", id); o.field("identifier", identifier)
        o.field("individual", individual); o.field("meta", meta); o.field("period", period); o.field("resourceType", resourceType)
        o.field("status", status); o.field("study", study)
        o.endObject()
    }
}
