import Foundation
import ScarCore
import Synchronization

/// The harness's clock: it follows the system clock until a test pins it (`pin(at:)`), then
/// stays on that instant until moved (`advance(by:)`). Days falling due, windows opening and
/// closing and expiries are tested by moving it, not by waiting or editing stored dates.
public final class TestClock: Sendable {
    private let pinned = Mutex<Date?>(nil)

    public init() {}

    public var now: Date { pinned.withLock { $0 } ?? Date() }

    public func pin(at instant: Date) { pinned.withLock { $0 = instant } }

    /// Moves a pinned clock on (pinning it at now first when it was following the system clock).
    public func advance(by seconds: TimeInterval) {
        pinned.withLock { $0 = ($0 ?? Date()).addingTimeInterval(seconds) }
    }

    public var clinicClock: ClinicClock { ClinicClock { [self] in now } }
}
