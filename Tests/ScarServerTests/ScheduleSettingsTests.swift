import Foundation
import HTTPTypes
import ScarCore
import ScarStore
import ScarTestSupport
import Testing

/// The schedule settings form: checked in ScarCore, refused values shown beside their fields
/// with what was typed, a save audited once through `ChangeScheduleSettings`.
@Suite("schedule settings")
struct ScheduleSettingsTests {
    static let valid = [("microneedlingMinutes", "45"), ("rfMicroneedlingMinutes", "60"), ("followUpMinutes", "20"),
                        ("minimumIntervalDays", "21"), ("windowDays", "5"), ("followUpMonths", "1, 3, 6, 12"),
                        ("retinoidPauseDays", "5"), ("antiviralLeadDays", "2")]

    /// The settings form's own version (the page has other forms with versions before it).
    static func settingsVersion(_ html: String) throws -> String {
        let form = try #require(html.range(of: "id=\"settings-form\""))
        return try #require(PageSession.hiddenValue("version", in: String(html[form.upperBound...])))
    }

    static func stored(_ h: Harness) async throws -> (minutes: Int?, audits: Int) {
        try await h.db.read { sql in
            let minutes = try await sql.raw("SELECT microneedling_minutes FROM schedule_settings WHERE clinic_id = \(bind: h.clinic.id)").first()
                .map { try $0.decode(column: "microneedling_minutes", as: Int.self) }
            let audits = try await sql.raw("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'schedule.settings.update'").first()!
                .decode(column: "n", as: Int.self)
            return (minutes, audits)
        }
    }

    @Test func outOfBoundsValuesAreShownBesideTheirFieldsKeptAndNothingIsSaved() async throws {
        try await Harness.run { h in
            let admin = try await PageSession.signIn(h, role: .admin)
            let version = try Self.settingsVersion(try await admin.get(h, "/schedule/admin").body)
            var fields = Dictionary(uniqueKeysWithValues: Self.valid)
            fields["microneedlingMinutes"] = "2"
            fields["followUpMonths"] = "1, 99"
            let refused = try await admin.post(h, "/schedule/admin/settings", fields.map { ($0.key, $0.value) } + [("version", version)])
            #expect(refused.status == .unprocessableContent)
            #expect(refused.body.contains("id=\"mn-min-error\"") && refused.body.contains("must be a whole number from 5 to 480"))
            #expect(refused.body.contains("id=\"fu-months-error\""))
            #expect(!refused.body.contains("id=\"rf-min-error\""), "a good value gets no message")
            #expect(refused.body.contains("value=\"2\"") && refused.body.contains("value=\"1, 99\""), "the typed values are kept")
            let after = try await Self.stored(h)
            #expect(after.minutes == nil && after.audits == 0, "nothing saved, nothing audited")
        }
    }

    @Test func aSaveIsWrittenAndAuditedOnceAndAStaleFormIsRefused() async throws {
        try await Harness.run { h in
            let admin = try await PageSession.signIn(h, role: .admin)
            let version = try Self.settingsVersion(try await admin.get(h, "/schedule/admin").body)
            let saved = try await admin.post(h, "/schedule/admin/settings", Self.valid + [("version", version)])
            #expect(saved.status == .seeOther)
            let after = try await Self.stored(h)
            #expect(after.minutes == 45 && after.audits == 1)
            let page = try await admin.get(h, "/schedule/admin")
            #expect(page.body.contains("value=\"1, 3, 6, 12\""))
            let stale = try await admin.post(h, "/schedule/admin/settings", Self.valid + [("version", version)])
            #expect(stale.status == .conflict)
            #expect(try await Self.stored(h).audits == 1)
        }
    }
}
