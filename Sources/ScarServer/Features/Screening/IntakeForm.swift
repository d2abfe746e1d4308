import Foundation
import ScarCore

/// The intake form's fields, grouped the way a clinician asks them, and the mapping between
/// the form and the intake JSON that `Intake.parse` reads (so the form and the API apply
/// exactly the same checks).
enum IntakeForm {
    static let groups = IntakeQuestions.groups

    static let procedureKinds = RecentProcedure.Kind.allCases

    /// Builds the intake JSON from the submitted form (unchecked boxes are simply absent).
    static func json(from form: FormBody) -> Data {
        var object: [String: Any] = [:]
        for group in groups {
            for flag in group.flags where form[flag.name] == "on" || form[flag.name] == "true" {
                object[flag.name] = true
            }
        }
        if let f = nonEmpty(form["fitzpatrick"]) { object["fitzpatrick"] = Int(f) ?? f }
        if let m = nonEmpty(form["fitzpatrickMethod"]) { object["fitzpatrickMethod"] = m }
        if let e = nonEmpty(form["eczemaPsoriasisInArea"]) { object["eczemaPsoriasisInArea"] = e }
        if let status = nonEmpty(form["isotretinoinStatus"]) {
            var iso: [String: Any] = ["status": status]
            if let on = nonEmpty(form["isotretinoinStoppedOn"]) { iso["stoppedOn"] = on }
            object["isotretinoin"] = iso
        }
        if let r = nonEmpty(form["retinoidStoppedOn"]) { object["retinoidStoppedOn"] = r }
        var procedures: [[String: String]] = []
        for kind in procedureKinds {
            if let on = nonEmpty(form["procedure-\(kind.rawValue)"]) { procedures.append(["kind": kind.rawValue, "on": on]) }
        }
        if !procedures.isEmpty { object["recentProcedures"] = procedures }
        if let d = nonEmpty(form["metalAllergyDetail"]) { object["metalAllergyDetail"] = d }
        if let d = nonEmpty(form["anestheticAllergyDetail"]) { object["anestheticAllergyDetail"] = d }
        return (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
    }

    static func nonEmpty(_ s: String?) -> String? {
        guard let t = s?.trimmingCharacters(in: .whitespaces), !t.isEmpty else { return nil }
        return t
    }

    /// The form's field name for an error the intake reader reported.
    static func formField(for field: String) -> String {
        if field == "isotretinoin.stoppedOn" { return "isotretinoinStoppedOn" }
        if field.hasPrefix("isotretinoin") { return "isotretinoinStatus" }
        if field.hasPrefix("recentProcedures") { return "recentProcedures" }
        return field
    }

    /// The intake questions with the current values (from a previous intake or the submitted
    /// form) and the messages beside the two fields that can be refused.
    struct Fields {
        struct Check {
            var name: String
            var label: String
            var checked: Bool
        }

        struct Group {
            var title: String
            var flags: [Check]
        }

        struct Procedure {
            var name: String
            var label: String
            var value: String
        }

        var groups: [Group]
        var fitzpatrickOptions: [SelectOption]
        var fitzpatrickMethodOptions: [SelectOption]
        var eczemaOptions: [SelectOption]
        var isotretinoinOptions: [SelectOption]
        var isotretinoinStoppedOn: String
        var retinoidStoppedOn: String
        var procedures: [Procedure]
        var metalAllergyDetail: String
        var anestheticAllergyDetail: String
        var errors: [FieldError]
        var fitzpatrickError: String?
        var isotretinoinError: String?
    }

    static func fields(values: FormBody, errors: [FieldError]) -> Fields {
        let errorFor: (String) -> String? = { name in errors.first { formField(for: $0.field) == name }?.message }
        func option(_ value: String, _ label: String, _ field: String) -> SelectOption {
            .init(value: value, label: label, selected: values[field] == value)
        }
        return Fields(
            groups: groups.map { group -> Fields.Group in
                .init(title: group.title, flags: group.flags.map { .init(name: $0.name, label: $0.label, checked: values[$0.name] == "on" || values[$0.name] == "true") })
            },
            fitzpatrickOptions: [option("", "Not recorded", "fitzpatrick")]
                + FitzpatrickType.allCases.map { option(String($0.rawValue), "Type \($0.roman)", "fitzpatrick") },
            fitzpatrickMethodOptions: [option("", "—", "fitzpatrickMethod"), option("self-reported", "Self-reported", "fitzpatrickMethod"),
                                       option("clinician-assessed", "Clinician-assessed", "fitzpatrickMethod")],
            eczemaOptions: SkinConditionSeverity.allCases.map { option($0.rawValue, $0.rawValue.capitalized, "eczemaPsoriasisInArea") },
            isotretinoinOptions: [option("never", "Never", "isotretinoinStatus"), option("current", "Currently taking", "isotretinoinStatus"),
                                  option("stopped", "Stopped", "isotretinoinStatus")],
            isotretinoinStoppedOn: values["isotretinoinStoppedOn"] ?? "", retinoidStoppedOn: values["retinoidStoppedOn"] ?? "",
            procedures: procedureKinds.map { k in
                .init(name: "procedure-\(k.rawValue)", label: k.rawValue.replacingOccurrences(of: "-", with: " ").capitalized,
                      value: values["procedure-\(k.rawValue)"] ?? "")
            },
            metalAllergyDetail: values["metalAllergyDetail"] ?? "", anestheticAllergyDetail: values["anestheticAllergyDetail"] ?? "",
            errors: errors.map { FieldError(formField(for: $0.field), $0.message) },
            fitzpatrickError: errorFor("fitzpatrick"), isotretinoinError: errorFor("isotretinoinStoppedOn") ?? errorFor("isotretinoinStatus"))
    }

    /// The previous intake as form values, so a re-intake starts from what is known.
    static func values(from intake: Intake) -> FormBody {
        var v: [String: [String]] = [:]
        let mirror = Mirror(reflecting: intake)
        for child in mirror.children {
            if let name = child.label, let flag = child.value as? Bool, flag { v[name] = ["on"] }
        }
        if let f = intake.fitzpatrick { v["fitzpatrick"] = [String(f.rawValue)] }
        if let m = intake.fitzpatrickMethod { v["fitzpatrickMethod"] = [m.rawValue] }
        v["eczemaPsoriasisInArea"] = [intake.eczemaPsoriasisInArea.rawValue]
        v["isotretinoinStatus"] = [intake.isotretinoin.statusName]
        if case .stopped(let on) = intake.isotretinoin { v["isotretinoinStoppedOn"] = [on.description] }
        if let r = intake.retinoidStoppedOn { v["retinoidStoppedOn"] = [r.description] }
        for p in intake.recentProcedures { v["procedure-\(p.kind.rawValue)"] = [p.on.description] }
        if let d = intake.metalAllergyDetail { v["metalAllergyDetail"] = [d] }
        if let d = intake.anestheticAllergyDetail { v["anestheticAllergyDetail"] = [d] }
        return FormBody(values: v)
    }
}
