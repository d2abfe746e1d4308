import Foundation
import Testing
import ScarCore

@Suite("scartrack screen: command contract")
struct ScreeningCommandTests {
    func run(_ json: String) -> CommandOutput { ScreeningCommand.run(input: Data(json.utf8)) }

    func object(_ output: CommandOutput) throws -> [String: Any] {
        let any = try JSONSerialization.jsonObject(with: Data(output.stdout.utf8))
        return try #require(any as? [String: Any])
    }

    @Test func successPrintsOneLineWithExactlyTheDocumentedKeysInOrder() throws {
        let output = run(#"{"asOf":"2026-03-01","modality":"rf-microneedling","fitzpatrick":2,"fitzpatrickMethod":"clinician-assessed","recentProcedures":[{"kind":"laser","on":"2026-02-10"}],"anticoagulants":true}"#)
        #expect(output.exitCode == 0)
        #expect(output.stderr.isEmpty)
        #expect(output.stdout.hasSuffix("\n"))
        #expect(output.stdout.dropLast().contains("\n") == false)
        #expect(output.stdout.hasPrefix(#"{"modality":"rf-microneedling","outcome":"defer","deferUntil":"2026-03-10","ruleSetVersion":"2026.1","findings":[{"rule":"recent-laser","outcome":"defer","reason":""#))

        let json = try object(output)
        #expect(Set(json.keys) == ["modality", "outcome", "deferUntil", "ruleSetVersion", "findings"])
        let findings = try #require(json["findings"] as? [[String: Any]])
        #expect(findings.count == 2)
        for finding in findings {
            #expect(Set(finding.keys) == ["rule", "outcome", "reason", "source", "deferUntil"])
        }
        #expect(findings[1]["rule"] as? String == "anticoagulants")
        #expect(findings[1]["deferUntil"] is NSNull)
    }

    @Test func deferUntilIsNullRatherThanMissing() throws {
        let output = run(#"{"asOf":"2026-03-01","modality":"microneedling","fitzpatrick":1}"#)
        #expect(output.exitCode == 0)
        #expect(output.stdout == #"{"modality":"microneedling","outcome":"eligible","deferUntil":null,"ruleSetVersion":"2026.1","findings":[]}"# + "\n")
    }

    @Test func isotretinoinStoppedRecentlyIsAcknowledgedThroughTheCommand() throws {
        let output = run(#"{"asOf":"2026-03-01","modality":"microneedling","fitzpatrick":3,"fitzpatrickMethod":"clinician-assessed","isotretinoin":{"status":"stopped","stoppedOn":"2026-01-15"}}"#)
        let json = try object(output)
        #expect(json["outcome"] as? String == "acknowledge")
        #expect(json["deferUntil"] is NSNull)
    }

    @Test func nullOptionalFieldsCountAsAbsent() {
        let output = run(#"{"asOf":"2026-03-01","modality":"microneedling","fitzpatrick":null,"activeAcneInArea":null,"isotretinoin":null}"#)
        #expect(output.exitCode == 0)
    }

    @Test func aWholeNumberWrittenWithADecimalPointIsAcceptedForFitzpatrick() {
        #expect(run(#"{"asOf":"2026-03-01","modality":"microneedling","fitzpatrick":4.0}"#).exitCode == 0)
    }

    struct Invalid: Sendable, CustomTestStringConvertible {
        var name: String
        var json: String
        var field: String
        var testDescription: String { name }
    }

    static let invalidInputs: [Invalid] = [
        .init(name: "malformed JSON", json: #"{"asOf":"2026-03-01","#, field: "input"),
        .init(name: "not JSON at all", json: "asOf=2026-03-01", field: "input"),
        .init(name: "top level is an array", json: #"[{"asOf":"2026-03-01"}]"#, field: "input"),
        .init(name: "trailing text", json: #"{"asOf":"2026-03-01","modality":"microneedling"} x"#, field: "input"),
        .init(name: "missing asOf", json: #"{"modality":"microneedling"}"#, field: "asOf"),
        .init(name: "missing modality", json: #"{"asOf":"2026-03-01"}"#, field: "modality"),
        .init(name: "unknown modality", json: #"{"asOf":"2026-03-01","modality":"laser"}"#, field: "modality"),
        .init(name: "bad date format", json: #"{"asOf":"01/03/2026","modality":"microneedling"}"#, field: "asOf"),
        .init(name: "impossible date", json: #"{"asOf":"2026-02-30","modality":"microneedling"}"#, field: "asOf"),
        .init(name: "date as a number", json: #"{"asOf":20260301,"modality":"microneedling"}"#, field: "asOf"),
        .init(name: "boolean as a string", json: #"{"asOf":"2026-03-01","modality":"microneedling","activeAcneInArea":"yes"}"#, field: "activeAcneInArea"),
        .init(name: "boolean as a number", json: #"{"asOf":"2026-03-01","modality":"microneedling","anticoagulants":1}"#, field: "anticoagulants"),
        .init(name: "fitzpatrick 7", json: #"{"asOf":"2026-03-01","modality":"microneedling","fitzpatrick":7}"#, field: "fitzpatrick"),
        .init(name: "fitzpatrick 0", json: #"{"asOf":"2026-03-01","modality":"microneedling","fitzpatrick":0}"#, field: "fitzpatrick"),
        .init(name: "fitzpatrick 4.5", json: #"{"asOf":"2026-03-01","modality":"microneedling","fitzpatrick":4.5}"#, field: "fitzpatrick"),
        .init(name: "fitzpatrick as a string", json: #"{"asOf":"2026-03-01","modality":"microneedling","fitzpatrick":"4"}"#, field: "fitzpatrick"),
        .init(name: "unknown fitzpatrick method", json: #"{"asOf":"2026-03-01","modality":"microneedling","fitzpatrickMethod":"guess"}"#, field: "fitzpatrickMethod"),
        .init(name: "unknown eczema severity", json: #"{"asOf":"2026-03-01","modality":"microneedling","eczemaPsoriasisInArea":"bad"}"#, field: "eczemaPsoriasisInArea"),
        .init(name: "isotretinoin stopped without stoppedOn", json: #"{"asOf":"2026-03-01","modality":"microneedling","isotretinoin":{"status":"stopped"}}"#, field: "isotretinoin.stoppedOn"),
        .init(name: "isotretinoin stoppedOn not a date", json: #"{"asOf":"2026-03-01","modality":"microneedling","isotretinoin":{"status":"stopped","stoppedOn":"2026-02-30"}}"#, field: "isotretinoin.stoppedOn"),
        .init(name: "isotretinoin current with a stop date", json: #"{"asOf":"2026-03-01","modality":"microneedling","isotretinoin":{"status":"current","stoppedOn":"2026-01-01"}}"#, field: "isotretinoin.stoppedOn"),
        .init(name: "isotretinoin unknown status", json: #"{"asOf":"2026-03-01","modality":"microneedling","isotretinoin":{"status":"paused"}}"#, field: "isotretinoin.status"),
        .init(name: "isotretinoin missing status", json: #"{"asOf":"2026-03-01","modality":"microneedling","isotretinoin":{}}"#, field: "isotretinoin.status"),
        .init(name: "isotretinoin as a string", json: #"{"asOf":"2026-03-01","modality":"microneedling","isotretinoin":"current"}"#, field: "isotretinoin"),
        .init(name: "unknown procedure kind", json: #"{"asOf":"2026-03-01","modality":"microneedling","recentProcedures":[{"kind":"laser","on":"2026-02-01"},{"kind":"tattoo","on":"2026-02-01"}]}"#, field: "recentProcedures[1].kind"),
        .init(name: "procedure without a date", json: #"{"asOf":"2026-03-01","modality":"microneedling","recentProcedures":[{"kind":"laser"}]}"#, field: "recentProcedures[0].on"),
        .init(name: "procedure with a bad date", json: #"{"asOf":"2026-03-01","modality":"microneedling","recentProcedures":[{"kind":"laser","on":"2026-2-1"}]}"#, field: "recentProcedures[0].on"),
        .init(name: "procedure with an unknown key", json: #"{"asOf":"2026-03-01","modality":"microneedling","recentProcedures":[{"kind":"laser","on":"2026-02-01","depth":"deep"}]}"#, field: "recentProcedures[0].depth"),
        .init(name: "procedures not an array", json: #"{"asOf":"2026-03-01","modality":"microneedling","recentProcedures":{"kind":"laser"}}"#, field: "recentProcedures"),
        .init(name: "retinoid stop date invalid", json: #"{"asOf":"2026-03-01","modality":"microneedling","retinoidStoppedOn":"yesterday"}"#, field: "retinoidStoppedOn"),
        .init(name: "misspelt contraindication key", json: #"{"asOf":"2026-03-01","modality":"microneedling","activeAcne":true}"#, field: "activeAcne"),
        .init(name: "repeated key", json: #"{"asOf":"2026-03-01","modality":"microneedling","anticoagulants":true,"anticoagulants":false}"#, field: "anticoagulants"),
        .init(name: "detail with a line break", json: #"{"asOf":"2026-03-01","modality":"microneedling","metalAllergy":true,"metalAllergyDetail":"nickel\nsteel"}"#, field: "metalAllergyDetail"),
    ]

    @Test(arguments: invalidInputs)
    func invalidInputExitsTwoNamingTheField(_ invalid: Invalid) {
        let output = run(invalid.json)
        #expect(output.exitCode == 2)
        #expect(output.stdout.isEmpty)
        #expect(output.stderr.contains("field '\(invalid.field)'"), "stderr was: \(output.stderr)")
        #expect(output.stderr.hasSuffix("\n"))
    }

    @Test func everyProblemIsReportedInOneRun() {
        let output = run(#"{"asOf":"2026-02-30","modality":"laser","fitzpatrick":9,"extra":1}"#)
        #expect(output.exitCode == 2)
        for field in ["asOf", "modality", "fitzpatrick", "extra"] {
            #expect(output.stderr.contains("field '\(field)'"))
        }
        #expect(output.stderr.split(separator: "\n").count == 4)
    }

    @Test func aClinicRuleSetIsUsedWhenGiven() {
        var rules = RuleSet.default
        rules.version = "clinic-2026-03"
        let output = ScreeningCommand.run(input: Data(#"{"asOf":"2026-03-01","modality":"microneedling","fitzpatrick":2}"#.utf8),
                                          ruleSet: rules)
        #expect(output.stdout.contains(#""ruleSetVersion":"clinic-2026-03""#))
    }

    @Test func outputEscapesTextSafely() throws {
        let output = run(#"{"asOf":"2026-03-01","modality":"microneedling","fitzpatrick":2,"fitzpatrickMethod":"clinician-assessed","metalAllergy":true,"metalAllergyDetail":"\"gold\" \\ plated \u00e9"}"#)
        #expect(output.exitCode == 0)
        let json = try object(output)
        let findings = try #require(json["findings"] as? [[String: Any]])
        #expect((findings[0]["reason"] as? String)?.contains(#"Metal: "gold" \ plated é."#) == true)
    }

    @Test func jsonEdgeCasesAreReadStrictly() throws {
        let base = #"{"asOf":"2026-03-01","modality":"microneedling","fitzpatrick":2,"fitzpatrickMethod":"clinician-assessed","metalAllergy":true,"metalAllergyDetail":"#
        let emoji = run(base + #""gold \ud83e\udd47"}"#)
        #expect(emoji.exitCode == 0)
        #expect(emoji.stdout.contains("Metal: gold 🥇."))
        #expect(run(base + #""\ud83e"}"#).stderr.contains("field 'input'"))
        #expect(run(#"{"asOf":"2026-03-01","modality":"microneedling","fitzpatrick":04}"#).stderr.contains("field 'input'"))
        let bom = Data([0xEF, 0xBB, 0xBF]) + Data(" \n{ \"asOf\" : \"2026-03-01\" , \"modality\":\"microneedling\" }\n".utf8)
        #expect(ScreeningCommand.run(input: bom).exitCode == 0)
        let deep = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect(run(deep).stderr.contains("field 'input'"))
        #expect(run("").stderr.contains("field 'input'"))
        let invalidUTF8 = Data(#"{"asOf":"2026-03-01","modality":"microneedling","metalAllergyDetail":""#.utf8) + Data([0xFF, 0xFE]) + Data(#""}"#.utf8)
        #expect(ScreeningCommand.run(input: invalidUTF8).stderr.contains("field 'input'"))
    }
}
