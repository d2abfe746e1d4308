import Foundation

/// The stable command-line contract of `scartrack screen`, as a pure function.
///
/// Input: one JSON object (see `ScreeningRequest.parse`; `asOf` and `modality` required).
/// Success: exit 0 and one line of JSON with exactly these keys, in this order:
/// `{"modality","outcome","deferUntil","ruleSetVersion","findings":[{"rule","outcome","reason","source","deferUntil"}]}`
/// where each `deferUntil` is `"YYYY-MM-DD"` or `null` (never missing).
/// Invalid input: exit 2, nothing on stdout, one `error: field '<path>' <problem>` line per
/// problem on stderr.
public enum ScreeningCommand {
    public static func run(input: Data, ruleSet: RuleSet = .default) -> CommandOutput {
        let request: ScreeningRequest
        do { request = try ScreeningRequest.parse(json: input) } catch { return .invalidInput(error.errors) }
        let result = Screening.evaluate(intake: request.intake, modality: request.modality,
                                        asOf: request.asOf, ruleSet: ruleSet)
        return .success(json(result))
    }

    static func json(_ result: ScreeningResult) -> JSONValue {
        func date(_ d: CalendarDate?) -> JSONValue { d.map { .string($0.description) } ?? .null }
        return .object([
            .init("modality", .string(result.modality.rawValue)),
            .init("outcome", .string(result.outcome.rawValue)),
            .init("deferUntil", date(result.deferUntil)),
            .init("ruleSetVersion", .string(result.ruleSetVersion)),
            .init("findings", .array(result.findings.map { finding in
                .object([
                    .init("rule", .string(finding.rule)),
                    .init("outcome", .string(finding.outcome.rawValue)),
                    .init("reason", .string(finding.reason)),
                    .init("source", .string(finding.source)),
                    .init("deferUntil", date(finding.deferUntil)),
                ])
            })),
        ])
    }
}
