import Foundation
import ScarCore

/// Turns assessment values into the view models the templates read (`AssessmentPages`).
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

    static func form(patient: Patient, input: ScarAssessmentInput, errors: [FieldError], next: String?) -> AssessmentPages.Form {
        let cells = FormCells(input: input, errors: errors)
        return AssessmentPages.Form(
            patient: patientLine(patient), action: createURL(patientId: patient.id), next: next,
            scarTypes: ScarType.allCases.map(\.label), zoneRows: cells.zoneRows,
            assessedOn: cells.cell("assessedOn", label: "Assessment date"),
            area: cells.cell("hypertrophicAreaCm2", label: "Total hypertrophic/keloid area (cm²)", inputMode: "decimal"),
            notes: cells.cell("notes", label: "Notes"),
            blinded: ["yes", "true", "on"].contains((input["blinded"] ?? "").lowercased()),
            gbqRows: cells.gbqRows, eccaRows: cells.eccaRows, questions: cells.questions, scales: Self.scales,
            errors: errors.map { .init(field: $0.field, label: fieldLabel($0.field), message: $0.message) }, oneError: errors.count == 1)
    }

    static func patientLine(_ patient: Patient) -> AssessmentPages.PatientLine {
        .init(name: patient.fullName, url: PatientLinks.url(patient.id), mrn: patient.mrn)
    }

    /// The form's inputs with what was typed and each field's message.
    struct FormCells {
        let input: ScarAssessmentInput
        let errorByField: [String: String]

        init(input: ScarAssessmentInput, errors: [FieldError]) {
            self.input = input
            errorByField = Dictionary(errors.map { ($0.field, $0.message) }, uniquingKeysWith: { first, _ in first })
        }

        func cell(_ field: String, label: String, inputMode: String = "numeric") -> AssessmentPages.Cell {
            .init(name: field, value: input[field] ?? "", label: label, inputMode: inputMode, error: errorByField[field],
                  filledFrom: ScarCountLinks.link(forField: field).map { .init(scarType: $0.scarType.label.lowercased(), source: $0.source) })
        }

        func select<T: RawRepresentable & CaseIterable>(_ field: String, _ type: T.Type, label: String, optionLabel: (T) -> String)
            -> AssessmentPages.Select where T.RawValue == String {
            let current = input[field] ?? ""
            let options = T.allCases.map { SelectOption(value: $0.rawValue, label: optionLabel($0), selected: $0.rawValue == current) }
            return .init(name: field, label: label, error: errorByField[field],
                         options: [.init(value: "", label: "—", selected: current.isEmpty)] + options)
        }

        var zoneRows: [AssessmentPages.ZoneRow] {
            FacialZone.allCases.map { zone in
                .init(label: zone.label, key: zone.rawValue,
                      cells: ScarType.allCases.map { type in
                          var c = cell(ScarAssessmentInput.zoneField(zone, type), label: "\(zone.label), \(type.label)")
                          c.feeds = ScarCountLinks.link(for: type)?.item.field
                          return c
                      },
                      size: select(ScarAssessmentInput.sizeField(zone), ScarSizeClass.self, label: "\(zone.label), size class") { $0.label },
                      depth: select(ScarAssessmentInput.depthField(zone), ScarDepthClass.self, label: "\(zone.label), depth class") { $0.shortLabel })
            }
        }

        var gbqRows: [AssessmentPages.QuantitativeRow] {
            GoodmanBaronQuantitative.Row.countedRows.map { row in
                .init(cell: cell(ScarAssessmentInput.gbQuantitativeField(row), label: "\(row.rawValue) \(row.label)"), row: row.rawValue,
                      rowLabel: row.label, pointsPerType: row.pointsPerType)
            }
        }

        var eccaRows: [AssessmentPages.ECCARow] {
            ECCA.Item.allCases.map { item in
                .init(cell: cell(ScarAssessmentInput.eccaField(item), label: item.label), itemLabel: item.label, weight: item.weight)
            }
        }

        var questions: [AssessmentPages.Question] {
            qualitativeQuestions.map { q -> AssessmentPages.Question in
                let field = ScarAssessmentInput.gbQualitativeField(q.key)
                let value = (input[field] ?? "").lowercased()
                return .init(name: field, id: "q-\(q.key)", question: q.question, yes: ["yes", "true"].contains(value),
                             no: ["no", "false"].contains(value), error: errorByField[field])
            }
        }
    }

    static var scales: AssessmentPages.Scales {
        func info(_ name: String, id: String, version: String, citation: String, confidence: ConfidenceTag) -> AssessmentPages.ScaleInfo {
            .init(name: name, id: id, version: version, citation: citation, confidence: confidence.readerLabel, notConfirmed: confidence == .nc)
        }
        return .init(
            gbQuantitative: info("Goodman & Baron quantitative", id: GoodmanBaronQuantitative.id, version: GoodmanBaronQuantitative.version,
                                 citation: GoodmanBaronQuantitative.citation, confidence: GoodmanBaronQuantitative.confidence),
            ecca: info("ECCA", id: ECCA.id, version: ECCA.version, citation: ECCA.citation, confidence: ECCA.confidence),
            gbQualitative: info("Goodman & Baron qualitative", id: GoodmanBaronQualitative.id, version: GoodmanBaronQualitative.version,
                                citation: GoodmanBaronQualitative.citation, confidence: GoodmanBaronQualitative.confidence))
    }

    // MARK: Assessment page

    static func detail(_ a: ScarAssessment, patient: Patient) -> AssessmentPages.Detail {
        let d = a.details, s = a.scores
        let totals = d.typeTotals
        let dominant = d.dominantScarType
        let scales = Self.scales
        func versionNote(_ stored: String, current: String) -> AssessmentPages.VersionNote {
            .init(storedVersion: stored, currentVersion: current, outdated: stored != current)
        }
        return AssessmentPages.Detail(
            id: a.id.lower, patient: patientLine(patient), newURL: newURL(patientId: patient.id),
            photosURL: PatientLinks.url(patient.id) + "/photos/new?assessment=\(a.id.lower)",
            assessedOn: d.assessedOn.description, raterName: a.raterName, blinded: d.blinded,
            createdAt: ViewDates.timestamp(a.createdAt), notes: d.notes, faceDiagram: FaceDiagram.svg(d.zones),
            scarTypes: ScarType.allCases.map(\.label),
            zoneRows: d.zones.map { f in
                .init(label: f.zone.label, zone: f.zone.rawValue, counts: ScarType.allCases.map { f.count($0) }, total: f.total,
                      size: f.sizeClass?.label ?? "—", depth: f.depthClass?.shortLabel ?? "—")
            },
            typeTotals: ScarType.allCases.map { .init(label: $0.label, count: totals[$0] ?? 0) },
            grandTotal: totals.values.reduce(0, +), dominant: dominant.summary, area: formatArea(d.hypertrophicAreaCm2),
            gbq: .init(total: s.gbQuantitative.total, maximum: GoodmanBaronQuantitative.maximum, rows: quantitativeLines(a),
                       info: scales.gbQuantitative, version: versionNote(s.gbQuantitative.version, current: GoodmanBaronQuantitative.version)),
            ecca: .init(total: s.ecca.total, maximum: ECCA.maximum,
                        rows: s.ecca.result.rows.map { r in
                            .init(label: r.item.label, count: r.count, weight: r.item.weight, grade: r.grade, points: r.points, scoring: r.points > 0)
                        },
                        info: scales.ecca, version: versionNote(s.ecca.version, current: ECCA.version)),
            gbl: .init(grade: s.gbQualitative.total, level: s.gbQualitative.result.level,
                       answers: GoodmanBaronQualitative.rows(d.gbQualitative).map { .init(label: $0.label, answer: $0.answer ? "Yes" : "No") },
                       info: scales.gbQualitative, version: versionNote(s.gbQualitative.version, current: GoodmanBaronQualitative.version)),
            countNotes: ScarCountLinks.disagreements(d).map { .init(message: $0.message, source: $0.link.source) })
    }

    /// The Goodman & Baron quantitative rows as scored and stored.
    static func quantitativeLines(_ a: ScarAssessment) -> [AssessmentPages.QuantitativeLine] {
        a.scores.gbQuantitative.result.rows.map { r in
            .init(row: r.row.rawValue, label: r.row.label, input: r.areaCm2.map { "\(formatArea($0)) cm²" } ?? String(r.count ?? 0),
                  pointsPerType: r.row.pointsPerType, multiplier: r.multiplier, points: r.points, scoring: r.points > 0)
        }
    }

    static func formatArea(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e9 ? String(Int(v)) : String(v)
    }

    // MARK: Patient page card

    /// The patient page's Scar assessments card.
    static let patientPageCard = PatientPageCard(key: "scarAssessments", order: 20) { page, _ in
        patientCard(page.records.assessments, total: page.records.assessmentCount, patientId: page.patient.id)
    }

    /// `list` is the newest assessments (the card shows at most ten), `total` how many there are.
    static func patientCard(_ list: [ScarAssessment], total: Int, patientId: UUID) -> AssessmentPages.Card {
        AssessmentPages.Card(
            newURL: newURL(patientId: patientId),
            items: list.prefix(MoreRecords.cardRows).map { a in
                .init(url: url(a.id), assessedOn: a.details.assessedOn.description, rater: a.raterName, gbq: a.scores.gbQuantitative.total,
                      ecca: a.scores.ecca.total, grade: a.scores.gbQualitative.total, blinded: a.details.blinded)
            },
            latestAssessment: list.first.map { latest in
                .init(url: url(latest.id), assessedOn: latest.details.assessedOn.description, gbq: latest.scores.gbQuantitative.total,
                      ecca: latest.scores.ecca.total, grade: latest.scores.gbQualitative.total,
                      level: latest.scores.gbQualitative.result.level, dominant: latest.details.dominantScarType.summary)
            },
            moreAssessments: .of(shown: min(list.count, MoreRecords.cardRows), total: total, what: "assessments",
                                 url: PatientLinks.url(patientId) + "/assessments"))
    }
}
