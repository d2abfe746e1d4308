import Foundation

/// Where "now" comes from. Serving reads the system clock; a test harness pins it or moves it,
/// so a check-in window, an isotretinoin wash-out or a follow-up falling due can be tested
/// without waiting or writing dates into the database by hand.
public struct ClinicClock: Sendable {
    private let read: @Sendable () -> Date

    public init(_ read: @escaping @Sendable () -> Date) { self.read = read }

    public func now() -> Date { read() }

    public static let system = ClinicClock { Date() }

    public static func fixed(_ instant: Date) -> ClinicClock { ClinicClock { instant } }
}
