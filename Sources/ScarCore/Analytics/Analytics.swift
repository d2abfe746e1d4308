import Foundation

/// A proportion with its Wilson score interval (Wilson 1927), the interval the dashboard
/// draws as whiskers. Defined to equal SciPy's `binomtest(k, n).proportion_ci(method="wilson")`
/// (and statsmodels' `proportion_confint(method="wilson")`) at 95 %.
public struct WilsonInterval: Sendable, Hashable, Codable {
    public var successes: Int
    public var trials: Int
    public var proportion: Double
    public var lower: Double
    public var upper: Double

    /// The two-sided 95 % normal quantile, as SciPy's `norm.ppf(0.975)` gives it.
    public static let z95 = 1.959963984540054

    /// Nil when there are no trials (no proportion to estimate).
    public static func of(successes k: Int, trials n: Int, z: Double = z95) -> WilsonInterval? {
        guard n > 0, k >= 0, k <= n else { return nil }
        let nd = Double(n), p = Double(k) / nd, z2 = z * z
        let denominator = 1 + z2 / nd
        let centre = (p + z2 / (2 * nd)) / denominator
        let half = z * (p * (1 - p) / nd + z2 / (4 * nd * nd)).squareRoot() / denominator
        // Clamp rounding noise at the ends (k = 0 gives exactly 0, k = n exactly 1).
        let lower = k == 0 ? 0 : max(0, centre - half)
        let upper = k == n ? 1 : min(1, centre + half)
        return WilsonInterval(successes: k, trials: n, proportion: p, lower: lower, upper: upper)
    }
}

/// What the dashboard, the API and the CSV are filtered by. Dates are inclusive calendar days.
public struct AnalyticsFilter: Sendable, Hashable {
    public var from: CalendarDate?
    public var to: CalendarDate?
    public var practitionerId: UUID?
    public var protocolTemplateId: UUID?

    public init(from: CalendarDate? = nil, to: CalendarDate? = nil, practitionerId: UUID? = nil, protocolTemplateId: UUID? = nil) {
        self.from = from
        self.to = to
        self.practitionerId = practitionerId
        self.protocolTemplateId = protocolTemplateId
    }

    /// The query parameter names, shared by the API, the page form and the CSV.
    public static let fields = ["from", "to", "practitioner", "protocol"]

    /// Reads the four raw values (empty means "not set"); every bad one named by its field.
    public static func parse(from: String?, to: String?, practitioner: String?, protocol template: String?)
        -> Result<AnalyticsFilter, ValidationFailure> {
        var errors: [FieldError] = []
        var filter = AnalyticsFilter()
        if let raw = Text.trimmed(from) {
            if let d = CalendarDate(raw) { filter.from = d } else { errors.append(FieldError("from", "must be a date as YYYY-MM-DD")) }
        }
        if let raw = Text.trimmed(to) {
            if let d = CalendarDate(raw) { filter.to = d } else { errors.append(FieldError("to", "must be a date as YYYY-MM-DD")) }
        }
        if let f = filter.from, let t = filter.to, t < f { errors.append(FieldError("to", "must be on or after the from date")) }
        if let raw = Text.trimmed(practitioner) {
            if let id = UUID(uuidString: raw) { filter.practitionerId = id } else { errors.append(FieldError("practitioner", "must be a staff id")) }
        }
        if let raw = Text.trimmed(template) {
            if let id = UUID(uuidString: raw) { filter.protocolTemplateId = id } else { errors.append(FieldError("protocol", "must be a protocol template id")) }
        }
        return errors.isEmpty ? .success(filter) : .failure(ValidationFailure(errors))
    }

    /// The filter as query items (for links such as the CSV download), set values only.
    public var queryItems: [(String, String)] {
        var items: [(String, String)] = []
        if let from { items.append(("from", from.description)) }
        if let to { items.append(("to", to.description)) }
        if let practitionerId { items.append(("practitioner", practitionerId.lower)) }
        if let protocolTemplateId { items.append(("protocol", protocolTemplateId.lower)) }
        return items
    }
}

/// Needle-depth bands for grouping patients by the deepest setting charted in their course.
/// **A product choice, not a clinical claim:** the domain reference gives no depth bands (§4.2:
/// "no consensus; sources conflict"), so the edges are clinic-configurable and shown on the dashboard.
public struct DepthBands: Sendable, Hashable {
    /// Ascending upper edges (inclusive) in hundredths of a millimetre; the last band is open.
    public let edges: [NeedleDepth]

    /// Shipped default edges, 1.00 and 1.50 mm. Chosen so the middle band ends where acne-scar
    /// studies cluster (median needle length 1.5 mm, Harris 2015, domain reference §4.2); the
    /// 1.00 mm edge is a grouping choice with no clinical source.
    public static let productDefault = DepthBands(uncheckedEdges: [NeedleDepth(hundredths: 100), NeedleDepth(hundredths: 150)])
    public static let note = "Depth bands are a product choice for grouping, not a clinical claim: there is no published consensus on depth bands. Default edges 1.00 and 1.50 mm; 1.5 mm is where acne-scar studies cluster (median needle length in Harris, Naidoo & Murrell, Int J Womens Dermatol 2015). Administrators can change the edges."

    init(uncheckedEdges: [NeedleDepth]) { self.edges = uncheckedEdges }

    /// "1.0, 1.5" → bands; 1 to 4 ascending edges above 0 and at most 5 mm, in 0.05 mm steps.
    public static func parse(_ text: String?, field: String = "depthBandEdges") -> Result<DepthBands, ValidationFailure> {
        let parts = (text ?? "").split(whereSeparator: { $0 == "," || $0 == ";" || $0 == " " }).map(String.init)
        var edges: [NeedleDepth] = []
        for part in parts {
            guard let mm = Double(part), mm.isFinite, mm > 0, mm <= 5 else {
                return .failure(ValidationFailure([FieldError(field, "each edge must be a number of millimetres above 0 and at most 5, e.g. 1.0, 1.5")]))
            }
            let hundredths = Int((mm * 100).rounded())
            guard abs(Double(hundredths) - mm * 100) < 1e-6, hundredths % NeedleDepth.stepHundredths == 0 else {
                return .failure(ValidationFailure([FieldError(field, "each edge must be in 0.05 mm steps")]))
            }
            edges.append(NeedleDepth(hundredths: hundredths))
        }
        guard (1...4).contains(edges.count) else {
            return .failure(ValidationFailure([FieldError(field, "give 1 to 4 edges in millimetres, e.g. 1.0, 1.5")]))
        }
        guard zip(edges, edges.dropFirst()).allSatisfy({ $0 < $1 }) else {
            return .failure(ValidationFailure([FieldError(field, "edges must be in ascending order without repeats")]))
        }
        return .success(DepthBands(uncheckedEdges: edges))
    }

    /// Stored and shown form: "1.00, 1.50".
    public var text: String { edges.map(\.description).joined(separator: ", ") }

    /// Band keys in order: `b0` … `bN`, plus `none` for a course without a charted depth.
    public var keys: [String] { (0...edges.count).map { "b\($0)" } }

    public func label(_ key: String) -> String {
        guard key.hasPrefix("b"), let i = Int(key.dropFirst()), (0...edges.count).contains(i) else { return "No depth charted" }
        func mm(_ d: NeedleDepth) -> String { String(format: "%.2f mm", d.millimetres) }
        if i == 0 { return "≤ \(mm(edges[0]))" }
        if i == edges.count { return "> \(mm(edges[i - 1]))" }
        return String(format: "%.2f–", edges[i - 1].millimetres) + mm(edges[i])
    }

    /// The band of a depth in mm (for checking the SQL against).
    public func key(forMillimetres mm: Double?) -> String {
        guard let mm else { return "none" }
        let h = Int((mm * 100).rounded())
        for (i, e) in edges.enumerated() where h <= e.hundredths { return "b\(i)" }
        return "b\(edges.count)"
    }
}

/// Fitzpatrick groups I–III and IV–VI. Basis: domain reference §8 — resurfacing carries a
/// higher risk of dyspigmentation in Fitzpatrick IV–VI (Cohen & Elbuluk, J Am Acad Dermatol
/// 2016;74:348–55), and the product shows PIH-risk guidance for IV–VI.
public enum FitzpatrickGroup: String, Sendable, CaseIterable {
    case lighter = "I-III"
    case darker = "IV-VI"
    case unknown

    public static func of(_ type: Int?) -> FitzpatrickGroup {
        guard let type, (1...6).contains(type) else { return .unknown }
        return type <= 3 ? .lighter : .darker
    }

    public var label: String {
        switch self {
        case .lighter: "Fitzpatrick I–III"
        case .darker: "Fitzpatrick IV–VI"
        case .unknown: "Fitzpatrick not recorded"
        }
    }

    public static let source = "Higher dyspigmentation risk with resurfacing in Fitzpatrick IV–VI (Cohen & Elbuluk, J Am Acad Dermatol 2016;74:348–55)"
}

/// What responder rates are broken down by.
public enum AnalyticsDimension: String, Sendable, CaseIterable, Codable {
    case overall
    case dominantType
    case fitzpatrickGroup
    case fitzpatrickType
    case modality
    case prp
    case sessions
    case depthBand

    public var label: String {
        switch self {
        case .overall: "All patients"
        case .dominantType: "Dominant scar type at baseline"
        case .fitzpatrickGroup: "Fitzpatrick group"
        case .fitzpatrickType: "Fitzpatrick type"
        case .modality: "Modality"
        case .prp: "Adjunct: PRP"
        case .sessions: "Signed sessions"
        case .depthBand: "Deepest needle setting (band)"
        }
    }
}

/// One group's responder count: patients in the group, those with a baseline and at least one
/// later assessment (evaluable), and those whose latest follow-up is ≥ 1 Goodman & Baron
/// qualitative grade better than baseline (domain reference, Decision 7).
public struct ResponderGroup: Sendable, Hashable {
    public var dimension: AnalyticsDimension
    public var key: String
    public var label: String
    public var patients: Int
    public var evaluable: Int
    public var responders: Int
    public var interval: WilsonInterval? { WilsonInterval.of(successes: responders, trials: evaluable) }

    public init(dimension: AnalyticsDimension, key: String, label: String, patients: Int, evaluable: Int, responders: Int) {
        self.dimension = dimension
        self.key = key
        self.label = label
        self.patients = patients
        self.evaluable = evaluable
        self.responders = responders
    }

    /// Readable label of a group key as the SQL returns it.
    public static func label(dimension: AnalyticsDimension, key: String, bands: DepthBands) -> String {
        switch dimension {
        case .overall: return "All patients"
        case .dominantType:
            switch key {
            case "mixed": return "Tie (two or more types)"
            case "none": return "No scars counted"
            case "unassessed": return "No baseline assessment"
            default: return ScarType(rawValue: key)?.label ?? key
            }
        case .fitzpatrickGroup: return FitzpatrickGroup(rawValue: key)?.label ?? key
        case .fitzpatrickType:
            let roman = ["1": "I", "2": "II", "3": "III", "4": "IV", "5": "V", "6": "VI"]
            return roman[key].map { "Type \($0)" } ?? "Not recorded"
        case .modality:
            switch key {
            case "mixed": return "Both modalities"
            case Modality.microneedling.rawValue: return "Microneedling"
            case Modality.rfMicroneedling.rawValue: return "RF microneedling"
            default: return key
            }
        case .prp: return key == "1" ? "With PRP" : "Without PRP"
        case .sessions: return key == "1" ? "1 session" : "\(key) sessions"
        case .depthBand: return bands.label(key)
        }
    }
}

/// The mean change from baseline to the latest follow-up in one scale (negative is better for
/// every scale ScarTrack records).
public struct ScaleChangeSummary: Sendable, Hashable {
    public var scale: String
    public var label: String
    public var patients: Int
    public var sum: Double
    public var mean: Double? { patients > 0 ? sum / Double(patients) : nil }

    public init(scale: String, label: String, patients: Int, sum: Double) {
        self.scale = scale
        self.label = label
        self.patients = patients
        self.sum = sum
    }
}

/// Days from baseline to the first assessment that met the responder rule, as a histogram
/// (days → patients) computed in the database; mean and median derived here.
public struct TimeToResponse: Sendable, Hashable {
    public var histogram: [(days: Int, patients: Int)]

    public init(histogram: [(days: Int, patients: Int)]) { self.histogram = histogram.sorted { $0.days < $1.days } }

    public var patients: Int { histogram.reduce(0) { $0 + $1.patients } }
    public var mean: Double? {
        patients > 0 ? Double(histogram.reduce(0) { $0 + $1.days * $1.patients }) / Double(patients) : nil
    }
    /// The median of the expanded list (the mean of the two middle values when even).
    public var median: Double? {
        let n = patients
        guard n > 0 else { return nil }
        func value(at index: Int) -> Int {
            var seen = 0
            for bin in histogram {
                seen += bin.patients
                if index < seen { return bin.days }
            }
            return histogram.last!.days
        }
        return n % 2 == 1 ? Double(value(at: n / 2)) : Double(value(at: n / 2 - 1) + value(at: n / 2)) / 2
    }

    public static func == (a: TimeToResponse, b: TimeToResponse) -> Bool {
        a.histogram.map(\.days) == b.histogram.map(\.days) && a.histogram.map(\.patients) == b.histogram.map(\.patients)
    }
    public func hash(into hasher: inout Hasher) {
        for bin in histogram { hasher.combine(bin.days); hasher.combine(bin.patients) }
    }
}

/// Adverse events: patients with at least one AE among the patients treated, and signed
/// sessions with at least one AE linked to them among the signed sessions.
public struct AdverseEventRates: Sendable, Hashable {
    public var events: Int
    public var patients: Int
    public var patientsWithEvent: Int
    public var sessions: Int
    public var sessionsWithEvent: Int
    public var perPatient: WilsonInterval? { WilsonInterval.of(successes: patientsWithEvent, trials: patients) }
    public var perSession: WilsonInterval? { WilsonInterval.of(successes: sessionsWithEvent, trials: sessions) }

    public init(events: Int, patients: Int, patientsWithEvent: Int, sessions: Int, sessionsWithEvent: Int) {
        self.events = events
        self.patients = patients
        self.patientsWithEvent = patientsWithEvent
        self.sessions = sessions
        self.sessionsWithEvent = sessionsWithEvent
    }
}

/// The literature figure the dashboard shows beside the clinic's AE rate per patient.
public enum LiteratureAdverseEvents {
    public static let patientsWithEvent = 18
    public static let patients = 246
    /// Cited as a reader would; the figure is attributed to the review but not stated in its abstract.
    public static let source = "18 of 246 patients in 10 studies reported any adverse event, as attributed to Harris, Naidoo & Murrell, Int J Womens Dermatol 2015;1:77–81 (the figure is not stated in the article's abstract)"
    public static var interval: WilsonInterval { WilsonInterval.of(successes: patientsWithEvent, trials: patients)! }
}

/// Everything the dashboard, the API and the CSV show for one filter.
public struct ClinicAnalytics: Sendable, Hashable {
    public var filter: AnalyticsFilter
    public var bands: DepthBands
    public var patientsTreated: Int
    public var sessionsSigned: Int
    public var completedCourses: Int
    public var groups: [ResponderGroup]
    public var scaleChanges: [ScaleChangeSummary]
    public var timeToResponse: TimeToResponse
    public var adverseEvents: AdverseEventRates

    public init(filter: AnalyticsFilter, bands: DepthBands, patientsTreated: Int, sessionsSigned: Int, completedCourses: Int,
                groups: [ResponderGroup], scaleChanges: [ScaleChangeSummary], timeToResponse: TimeToResponse, adverseEvents: AdverseEventRates) {
        self.filter = filter
        self.bands = bands
        self.patientsTreated = patientsTreated
        self.sessionsSigned = sessionsSigned
        self.completedCourses = completedCourses
        self.groups = groups
        self.scaleChanges = scaleChanges
        self.timeToResponse = timeToResponse
        self.adverseEvents = adverseEvents
    }

    public func groups(_ dimension: AnalyticsDimension) -> [ResponderGroup] { groups.filter { $0.dimension == dimension } }
    public var overall: ResponderGroup? { groups(.overall).first }

    public static let responderRule = "Responder: latest follow-up at least one Goodman & Baron qualitative grade better than baseline (the clinic analytics' definition)"

    /// The long-format CSV: one metric per row, the same numbers the API returns.
    public var csv: String {
        var out = CSV.row(["metric", "dimension", "group", "label", "numerator", "denominator", "value", "ci_low", "ci_high"])
        func n(_ d: Double?) -> String { d.map { String(format: "%.6f", $0) } ?? "" }
        out += CSV.row(["patients_treated", "overall", "all", "Patients treated", "", "", String(patientsTreated), "", ""])
        out += CSV.row(["sessions_signed", "overall", "all", "Signed sessions", "", "", String(sessionsSigned), "", ""])
        out += CSV.row(["completed_courses", "overall", "all", "Completed courses", "", "", String(completedCourses), "", ""])
        for g in groups {
            let ci = g.interval
            out += CSV.row(["responder_rate", g.dimension.rawValue, g.key, g.label, String(g.responders), String(g.evaluable),
                            n(ci?.proportion), n(ci?.lower), n(ci?.upper)])
        }
        for s in scaleChanges {
            out += CSV.row(["mean_change", "scale", s.scale, s.label, "", String(s.patients), n(s.mean), "", ""])
        }
        out += CSV.row(["time_to_response_mean_days", "overall", "all", "Mean days from baseline to first response", "",
                        String(timeToResponse.patients), n(timeToResponse.mean), "", ""])
        out += CSV.row(["time_to_response_median_days", "overall", "all", "Median days from baseline to first response", "",
                        String(timeToResponse.patients), n(timeToResponse.median), "", ""])
        let ae = adverseEvents
        out += CSV.row(["adverse_events", "overall", "all", "Adverse events recorded", "", "", String(ae.events), "", ""])
        out += CSV.row(["ae_rate_per_patient", "overall", "all", "Patients with at least one adverse event", String(ae.patientsWithEvent),
                        String(ae.patients), n(ae.perPatient?.proportion), n(ae.perPatient?.lower), n(ae.perPatient?.upper)])
        out += CSV.row(["ae_rate_per_session", "overall", "all", "Signed sessions with at least one adverse event", String(ae.sessionsWithEvent),
                        String(ae.sessions), n(ae.perSession?.proportion), n(ae.perSession?.lower), n(ae.perSession?.upper)])
        let lit = LiteratureAdverseEvents.interval
        out += CSV.row(["ae_rate_per_patient_literature", "literature", "harris-2015", LiteratureAdverseEvents.source,
                        String(lit.successes), String(lit.trials), n(lit.proportion), n(lit.lower), n(lit.upper)])
        return out
    }
}
