import Foundation
import ScarFHIR
import Testing

/// `FHIRTime.instant` writes its text by calendar arithmetic (an export writes one per resource);
/// it must give exactly what `ISO8601DateFormatter` gave, cut (never rounded) to the millisecond.
@Suite("FHIR instants")
struct FHIRTimeTests {
    static func formatter(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        f.timeZone = TimeZone(identifier: "UTC")
        return f.string(from: Date(timeIntervalSince1970: (date.timeIntervalSince1970 * 1000).rounded(.down) / 1000))
    }

    @Test func instantsEqualTheISO8601FormattersTextAcrossCenturiesLeapDaysAndMilliseconds() {
        var seconds: [Double] = [0, -1, -0.0005, 0.9999, 951_782_400, 951_868_799.999, 4_107_542_400, -2_208_988_800,
                                 1_798_761_599.9996, 1_767_225_600.123, 1_709_164_800.5]  // 2000-02-29, 2100-03-01, 1900, 2026
        var state: UInt64 = 15
        for _ in 0..<5000 {  // a fixed pseudo-random walk over 1900…2100 with milliseconds
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            seconds.append(-2_208_988_800 + Double(state >> 11 % 6_311_390_400_000) / 1000)
        }
        for s in seconds {
            let date = Date(timeIntervalSince1970: s)
            #expect(FHIRTime.instant(date) == Self.formatter(date), "at \(s)")
        }
        #expect(FHIRTime.instant(Date(timeIntervalSince1970: 951_782_400.0159)) == "2000-02-29T00:00:00.015Z")
    }
}
