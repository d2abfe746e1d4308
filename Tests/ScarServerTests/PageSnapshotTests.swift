import Foundation
import ScarCore
import SnapshotTesting
import Testing

/// Off unless asked for: a missing or different snapshot fails, in CI and locally.
let snapshotRecording: SnapshotTestingConfiguration.Record =
    ProcessInfo.processInfo.environment["SCARTRACK_RECORD_SNAPSHOTS"] == "1" ? .failed : .never

/// The ten busiest pages as served over real HTTP by a real app on a real database, compared
/// line by line with the HTML committed under `__Snapshots__/PageSnapshotTests/`. They guard
/// refactors of the routes and views: a changed page fails here with a diff.
///
/// A missing snapshot fails and is never written silently. To record a new or intentionally
/// changed page, run once with `SCARTRACK_RECORD_SNAPSHOTS=1` (records what is missing or
/// differs), read the diff in git, and commit it.
@Suite("HTML snapshots of the busiest pages", .snapshots(record: snapshotRecording))
struct PageSnapshotTests {
    @Test func theBusiestPagesAreUnchanged() async throws {
        try await Harness.run { h in
            let clinic = try await SnapshotClinic.make(h)
            let practitioner = try await PageSession.signIn(h, role: .practitioner)
            let pages: [(name: String, path: String)] = [
                ("patient", "/patients/\(clinic.patient)"),
                ("patients-list", "/patients"),
                ("schedule-day", "/schedule?date=\(clinic.appointmentDay)"),
                ("appointment", "/appointments/\(clinic.appointment)"),
                ("session-form", "/patients/\(clinic.patient)/sessions/new"),
                ("session-signed", "/sessions/\(clinic.session)"),
                ("plan", "/plans/\(clinic.plan)"),
                ("assessment-form", "/patients/\(clinic.patient)/assessments/new"),
                ("progress", "/patients/\(clinic.patient)/progress"),
                ("analytics", "/analytics"),
            ]
            let normalise = HTMLNormaliser()
            for page in pages {
                let reply = try await practitioner.get(h, page.path)
                #expect(reply.status == .ok, "\(page.name): \(reply.status)")
                assertSnapshot(of: normalise(reply.body), as: .lines, named: page.name)
            }
        }
    }
}
