import Foundation
import ScarCore

/// Turns assessment values into the plain dictionaries the templates read. Conditionals are
/// always Bools (an empty string is truthy in a Mustache section).
enum AssessmentView {
    static func url(_ id: UUID) -> String { PatientLinks.assessment(id) }
    static func newURL(patientId: UUID) -> String { PatientLinks.url(patientId) + "/assessments/new" }
    static func createURL(patientId: UUID) -> String { PatientLinks.url(patientId) + "/assessments" }

    // MARK: Labels

    static func fieldLabel(_ field: String) -> String {
        switch field {
        case "assessedOn": return "Assessment date"
        case "blinded": return "Blinded rating"
        case "notes": return "Notes"
        case "hypertrophicAreaCm2": return "Total hypertrophic/keloid area (cm²)"
        default: break
        }
        let parts = field.split(separator: ".").map(String.init)
        if parts.count == 3, parts[0] == "zones", let zone = FacialZone(rawValue: parts[1]) {
            if let type = ScarType(rawValue: parts[2]) { return "\(zone.label) · \(type.label)" }
            if parts[2] == "sizeClass" { return "\(zone.label) · size class" }
            if parts[2] == "depthClass" { return "\(zone.label) · depth class" }
        }
        if parts.count == 2 {
            switch parts[0] {
            case "gbQuantitative": return "Goodman & Baron quantitative \(parts[1])"
            case "ecca": return "ECCA · " + (ECCA.Item(rawValue: parts[1])?.label ?? parts[1])
            case "gbQualitative":
                return "Goodman & Baron qualitative · " + (qualitativeQuestions.first { $0.key == parts[1] }?.question ?? parts[1])
            default: break
            }
        }
        return field
    }

    /// The four questions, worded as questions for the form (the grade comes from the scale code).
    static let qualitativeQuestions: [(key: String, question: String)] = [
        ("contourChange", "Is there a change in contour (atrophy or hypertrophy), not only colour?"),
        ("obviousAt50cm", "Are the scars obvious at social distances of 50 cm or more?"),
        ("coveredByMakeup", "Are they covered adequately by makeup, shaved beard shadow or body hair?"),
        ("flattensOnStretch", "Do atrophic scars flatten on manual stretching of the skin?"),
    ]

    // MARK: Form

    static func form(patient: Patient, input: ScarAssessmentInput, errors: [FieldError]) -> [String: Any] {
        let cells = FormCells(input: input, errors: errors)
        let blinded = ["yes", "true", "on"].contains((input["blinded"] ?? "").lowercased())
        return [
            "patient": ["name": patient.fullName, "url": PatientLinks.url(patient.id), "mrn": patient.mrn],
            "action": createURL(patientId: patient.id),
            "scarTypes": ScarType.allCases.map { ["label": $0.label, "key": $0.rawValue] },
            "zoneRows": cells.zoneRows,
            "assessedOn": cells.cell("assessedOn", label: "Assessment date"),
            "area": cells.cell("hypertrophicAreaCm2", label: "Total hypertrophic/keloid area (cm²)", inputMode: "decimal"),
            "notes": cells.cell("notes", label: "Notes"),
            "blinded": blinded,
            "gbqRows": cells.gbqRows, "eccaRows": cells.eccaRows, "questions": cells.questions,
            "scales": scaleInfo(),
            "hasErrors": !errors.isEmpty,
            "errors": errors.map { ["field": $0.field, "label": fieldLabel($0.field), "message": $0.message] },
            "errorCount": errors.count, "oneError": errors.count == 1,
        ]
    }

    /// The form's inputs with what was typed and each field's message.
    struct FormCells {
        let input: ScarAssessmentInput
        let errorByField: [String: String]

        init(input: ScarAssessmentInput, errors: [FieldError]) {
            self.input = input
            errorByField = Dictionary(errors.map { ($0.field, $0.message) }, uniquingKeysWith: { first, _ in first })
        }

        func cell(_ field: String, label: String, inputMode: String = "numeric") -> [String: Any] {
            let error = errorByField[field]
            return ["name": field, "value": input[field] ?? "", "label": label, "inputMode": inputMode,
                    "hasError": error != nil, "error": error ?? ""]
        }

        func select<T: RawRepresentable & CaseIterable>(_ field: String, _ type: T.Type, label: String, optionLabel: (T) -> String)
            -> [String: Any] where T.RawValue == String {
            let current = input[field] ?? ""
            let error = errorByField[field]
            let none: [String: Any] = ["value": "", "label": "—", "selected": current.isEmpty]
            let options: [[String: Any]] = T.allCases.map { ["value": $0.rawValue, "label": optionLabel($0), "selected": $0.rawValue == current] }
            return ["name": field, "label": label, "hasError": error != nil, "error": error ?? "", "options": [none] + options]
        }

        var zoneRows: [[String: Any]] {
            FacialZone.allCases.map { zone -> [String: Any] in
                [
                    "label": zone.label, "key": zone.rawValue,
                    "cells": ScarType.allCases.map { cell(ScarAssessmentInput.zoneField(zone, $0), label: "\(zone.label), \($0.label)") },
                    "size": select(ScarAssessmentInput.sizeField(zone), ScarSizeClass.self, label: "\(zone.label), size class") { $0.label },
                    "depth": select(ScarAssessmentInput.depthField(zone), ScarDepthClass.self, label: "\(zone.label), depth class") { $0.shortLabel },
                ]
            }
        }

        var gbqRows: [[String: Any]] {
            GoodmanBaronQuantitative.Row.countedRows.map { row -> [String: Any] in
                var c = cell(ScarAssessmentInput.gbQuantitativeField(row), label: "\(row.rawValue) \(row.label)")
                c["row"] = row.rawValue
                c["rowLabel"] = row.label
                c["pointsPerType"] = row.pointsPerType
                return c
            }
        }

        var eccaRows: [[String: Any]] {
            ECCA.Item.allCases.map { item -> [String: Any] in
                var c = cell(ScarAssessmentInput.eccaField(item), label: item.label)
                c["itemLabel"] = item.label
                c["weight"] = item.weight
                return c
            }
        }

        var questions: [[String: Any]] {
            qualitativeQuestions.map { q -> [String: Any] in
                let field = ScarAssessmentInput.gbQualitativeField(q.key)
                let value = (input[field] ?? "").lowercased()
                let error = errorByField[field]
                return ["name": field, "id": "q-\(q.key)", "question": q.question, "yes": ["yes", "true"].contains(value),
                        "no": ["no", "false"].contains(value), "hasError": error != nil, "error": error ?? ""]
            }
        }
    }

    static func scaleInfo() -> [String: Any] {
        func info(_ name: String, id: String, version: String, citation: String, confidence: ConfidenceTag) -> [String: Any] {
            ["name": name, "id": id, "version": version, "citation": citation, "confidence": confidence.readerLabel,
             "notConfirmed": confidence == .nc]
        }
        return [
            "gbQuantitative": info("Goodman & Baron quantitative", id: GoodmanBaronQuantitative.id, version: GoodmanBaronQuantitative.version,
                                   citation: GoodmanBaronQuantitative.citation, confidence: GoodmanBaronQuantitative.confidence),
            "ecca": info("ECCA", id: ECCA.id, version: ECCA.version, citation: ECCA.citation, confidence: ECCA.confidence),
            "gbQualitative": info("Goodman & Baron qualitative", id: GoodmanBaronQualitative.id, version: GoodmanBaronQualitative.version,
                                  citation: GoodmanBaronQualitative.citation, confidence: GoodmanBaronQualitative.confidence),
        ]
    }

    // MARK: Assessment page

    static func detail(_ a: ScarAssessment, patient: Patient) -> [String: Any] {
        let d = a.details
        let totals = d.typeTotals
        let dominant = d.dominantScarType
        var detail: [String: Any] = [
            "id": a.id.lower,
            "patient": ["name": patient.fullName, "url": PatientLinks.url(patient.id), "mrn": patient.mrn],
            "newURL": newURL(patientId: patient.id),
            "assessedOn": d.assessedOn.description, "raterName": a.raterName, "blinded": d.blinded,
            "createdAt": ViewDates.timestamp(a.createdAt),
            "hasNotes": d.notes != nil, "notes": d.notes ?? "",
            "faceDiagram": FaceDiagram.svg(d.zones),
            "scarTypes": ScarType.allCases.map { ["label": $0.label] },
            "zoneRows": d.zones.map { f in
                ["label": f.zone.label, "zone": f.zone.rawValue, "counts": ScarType.allCases.map { ["count": f.count($0)] },
                 "total": f.total, "size": f.sizeClass?.label ?? "—", "depth": f.depthClass?.shortLabel ?? "—"] as [String: Any]
            },
            "typeTotals": ScarType.allCases.map { ["label": $0.label, "count": totals[$0] ?? 0] as [String: Any] },
            "grandTotal": totals.values.reduce(0, +),
            "dominant": dominant.summary, "dominantIsTie": dominant.isTie,
            "area": formatArea(d.hypertrophicAreaCm2),
        ]
        detail.merge(scoreSections(a)) { $1 }
        return detail
    }

    /// The three scales as scored and stored, each with its rows, source and version note.
    static func scoreSections(_ a: ScarAssessment) -> [String: Any] {
        let s = a.scores
        let info = scaleInfo()
        func versionNote(_ stored: String, current: String) -> [String: Any] {
            ["storedVersion": stored, "currentVersion": current, "outdated": stored != current]
        }
        let gbqRows: [[String: Any]] = s.gbQuantitative.result.rows.map { r -> [String: Any] in
            let input: String = r.areaCm2.map { "\(formatArea($0)) cm²" } ?? String(r.count ?? 0)
            return ["row": r.row.rawValue, "label": r.row.label, "input": input, "pointsPerType": r.row.pointsPerType,
                    "multiplier": r.multiplier, "points": r.points, "scoring": r.points > 0]
        }
        let eccaRows: [[String: Any]] = s.ecca.result.rows.map { r -> [String: Any] in
            ["label": r.item.label, "count": r.count, "weight": r.item.weight, "grade": r.grade, "points": r.points, "scoring": r.points > 0]
        }
        let answers: [[String: Any]] = GoodmanBaronQualitative.rows(a.details.gbQualitative).map { row -> [String: Any] in
            ["label": row.label, "answer": row.answer ? "Yes" : "No"]
        }
        return [
            "gbq": ["total": s.gbQuantitative.total, "maximum": GoodmanBaronQuantitative.maximum, "rows": gbqRows, "info": info["gbQuantitative"]!,
                    "version": versionNote(s.gbQuantitative.version, current: GoodmanBaronQuantitative.version)] as [String: Any],
            "ecca": ["total": s.ecca.total, "maximum": ECCA.maximum, "rows": eccaRows, "info": info["ecca"]!,
                     "version": versionNote(s.ecca.version, current: ECCA.version)] as [String: Any],
            "gbl": ["grade": s.gbQualitative.total, "level": s.gbQualitative.result.level, "answers": answers, "info": info["gbQualitative"]!,
                    "version": versionNote(s.gbQualitative.version, current: GoodmanBaronQualitative.version)] as [String: Any],
        ]
    }

    static func formatArea(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e9 ? String(Int(v)) : String(v)
    }

    // MARK: Patient page card

    /// The patient page's Scar assessments card.
    static let patientPageCard = PatientPageCard(key: "scarAssessments", order: 20) { page, _ in
        patientCard(page.records.assessments, patientId: page.patient.id)
    }

    static func patientCard(_ list: [ScarAssessment], patientId: UUID) -> [String: Any] {
        var card: [String: Any] = [
            "newURL": newURL(patientId: patientId), "hasAny": !list.isEmpty, "count": list.count,
            "items": list.map { a in
                ["url": url(a.id), "assessedOn": a.details.assessedOn.description, "rater": a.raterName,
                 "gbq": a.scores.gbQuantitative.total, "ecca": a.scores.ecca.total, "grade": a.scores.gbQualitative.total,
                 "blinded": a.details.blinded] as [String: Any]
            },
        ]
        if let latest = list.first {
            card["latest"] = [
                "url": url(latest.id), "assessedOn": latest.details.assessedOn.description,
                "gbq": latest.scores.gbQuantitative.total, "ecca": latest.scores.ecca.total,
                "grade": latest.scores.gbQualitative.total, "level": latest.scores.gbQualitative.result.level,
                "dominant": latest.details.dominantScarType.summary,
            ] as [String: Any]
        }
        return card
    }
}
