/// Another aesthetic procedure the patient had, and when. Each kind has its own deferral rule.
public struct RecentProcedure: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Codable, CaseIterable, Hashable {
        case chemicalPeel = "chemical-peel"
        case laser
        case filler
        case neuromodulator
        case waxing
    }

    public var kind: Kind
    public var on: CalendarDate

    public init(kind: Kind, on: CalendarDate) {
        self.kind = kind
        self.on = on
    }
}
