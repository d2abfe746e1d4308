import Foundation

/// Which resources a set of resources points to (`reference: "Type/id"`), so a Bundle can carry
/// them too and every reference in it resolves inside it.
public enum FHIRReferences {
    /// Every `Type/id` reference anywhere in the resources.
    public static func references(in resources: [FHIRResource]) -> Set<String> {
        var found = Set<String>()
        func walk(_ value: Any) {
            if let object = value as? [String: Any] {
                if let reference = object["reference"] as? String { found.insert(reference) }
                // A QuestionnaireResponse names its Questionnaire by canonical URL (`…/Questionnaire/{id}|version`).
                if object["resourceType"] as? String == "QuestionnaireResponse", let canonical = object["questionnaire"] as? String,
                   let id = canonical.split(separator: "|").first?.split(separator: "/").last {
                    found.insert("Questionnaire/\(id)")
                }
                object.values.forEach(walk)
            } else if let array = value as? [Any] {
                array.forEach(walk)
            }
        }
        for resource in resources {
            if let data = try? FHIRJSON.encode(resource), let json = try? JSONSerialization.jsonObject(with: data) { walk(json) }
        }
        return found
    }

    /// Those of `candidates` that `resources` reference and do not already hold; with `iterate`,
    /// also what those reference, and so on, until every reference resolves among them.
    public static func closure(of resources: [FHIRResource], among candidates: [FHIRResource], iterate: Bool) -> [FHIRResource] {
        var added: [FHIRResource] = []
        var next = closure(of: resources, among: candidates)
        while !next.isEmpty {
            added += next
            next = iterate ? closure(of: resources + added, among: candidates) : []
        }
        return added
    }

    /// Those of `candidates` that `resources` reference and do not already hold.
    public static func closure(of resources: [FHIRResource], among candidates: [FHIRResource]) -> [FHIRResource] {
        let wanted = references(in: resources)
        var held = Set(resources.map { "\($0.resourceType)/\($0.id)" })
        // Each once, even when the candidates repeat one.
        return candidates.filter { wanted.contains("\($0.resourceType)/\($0.id)") && held.insert("\($0.resourceType)/\($0.id)").inserted }
    }
}
