/// Isotretinoin exposure as captured at intake (reference §6.1): never, current, or stopped on
/// a date. Encoded as `{"status":"stopped","stoppedOn":"YYYY-MM-DD"}`, the same shape as the
/// command-line input.
public enum IsotretinoinStatus: Sendable, Hashable, Codable {
    case never
    case current
    case stopped(on: CalendarDate)

    private enum CodingKeys: String, CodingKey { case status, stoppedOn }

    public var statusName: String {
        switch self {
        case .never: "never"
        case .current: "current"
        case .stopped: "stopped"
        }
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        switch try c.decode(String.self, forKey: .status) {
        case "never": self = .never
        case "current": self = .current
        case "stopped": self = .stopped(on: try c.decode(CalendarDate.self, forKey: .stoppedOn))
        default:
            throw DecodingError.dataCorruptedError(forKey: .status, in: c,
                                                   debugDescription: "must be one of never, current, stopped")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(statusName, forKey: .status)
        if case .stopped(let on) = self { try c.encode(on, forKey: .stoppedOn) }
    }
}
