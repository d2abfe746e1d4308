import Foundation

/// The stable command-line contract of `scartrack score <scale>`, as a pure function.
///
/// Scales and their input (one JSON object; unknown keys are refused):
/// - `gb-quantitative`: `{"A1":n,…,"D1":n,"D2AreaCm2":x}`, missing rows 0.
/// - `ecca`: `{"vShapedUnder2mm":n,"uShaped2to4mm":n,"mShapedOver4mm":n,"superficialElastolysis":n,
///   "hypertrophicInflammatory":n,"keloidOrHypertrophicMature":n}` (scar counts), missing items 0.
/// - `gb-qualitative`: `{"contourChange":b,"obviousAt50cm":b,"coveredByMakeup":b,"flattensOnStretch":b}`, all required.
///
/// Success: exit 0 and one line of JSON:
/// - `{"scale","version","total","rows"}` for `gb-quantitative` and `ecca`;
/// - `{"scale","version","grade","rows"}` for `gb-qualitative`.
///
/// Row objects, always every row in the scale's order:
/// - counted rows: `{"row": id, "label": text, "count": n, "points": rowPoints}`
///   (`row` is `A1`…`D1` or the ECCA item key; `points` is the row's contribution to `total`);
/// - the D2 row: `{"row":"D2", "label": text, "areaCm2": x, "points": rowPoints}`;
/// - qualitative rows: `{"row": answerKey, "label": text, "input": bool}` (no points: the
///   qualitative grade is not a sum).
///
/// Invalid input: exit 2, nothing on stdout, one `error: field '<name>' <problem>` line per problem.
public enum ScaleCommand {
    public static let scales = [GoodmanBaronQualitative.id, GoodmanBaronQuantitative.id, ECCA.id]

    public static func run(scale: String, input: Data) -> CommandOutput {
        do throws(ValidationFailure) {
            switch scale {
            case GoodmanBaronQuantitative.id:
                return .success(json(GoodmanBaronQuantitative.score(try .parse(json: input))))
            case ECCA.id:
                return .success(json(ECCA.score(try .parse(json: input))))
            case GoodmanBaronQualitative.id:
                return .success(json(try GoodmanBaronQualitative.Answers.parse(json: input)))
            default:
                return .invalidInput([FieldError("scale", "must be one of \(scales.joined(separator: ", ")), got \(JSONValue.string(scale).rendered)")])
            }
        } catch {
            return .invalidInput(error.errors)
        }
    }

    static func json(_ score: GoodmanBaronQuantitative.Score) -> JSONValue {
        .object([
            .init("scale", .string(GoodmanBaronQuantitative.id)),
            .init("version", .string(GoodmanBaronQuantitative.version)),
            .init("total", .int(score.total)),
            .init("rows", .array(score.rows.map { row in
                let input: JSONValue.Member = if let area = row.areaCm2 {
                    .init("areaCm2", .double(area))
                } else {
                    .init("count", .int(row.count ?? 0))
                }
                return .object([.init("row", .string(row.row.rawValue)), .init("label", .string(row.row.label)),
                                input, .init("points", .int(row.points))])
            })),
        ])
    }

    static func json(_ score: ECCA.Score) -> JSONValue {
        .object([
            .init("scale", .string(ECCA.id)),
            .init("version", .string(ECCA.version)),
            .init("total", .int(score.total)),
            .init("rows", .array(score.rows.map { row in
                .object([.init("row", .string(row.item.rawValue)), .init("label", .string(row.item.label)),
                         .init("count", .int(row.count)), .init("points", .int(row.points))])
            })),
        ])
    }

    static func json(_ answers: GoodmanBaronQualitative.Answers) -> JSONValue {
        .object([
            .init("scale", .string(GoodmanBaronQualitative.id)),
            .init("version", .string(GoodmanBaronQualitative.version)),
            .init("grade", .int(GoodmanBaronQualitative.grade(answers).rawValue)),
            .init("rows", .array(GoodmanBaronQualitative.rows(answers).map { row in
                .object([.init("row", .string(row.key)), .init("label", .string(row.label)), .init("input", .bool(row.answer))])
            })),
        ])
    }
}
