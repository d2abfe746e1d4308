import Foundation
import ScarCore
import Testing

/// The charting and schedule settings' bounds, decided in ScarCore.
@Suite("clinic settings bounds")
struct ClinicSettingsBoundsTests {
    @Test func chartingSettingsTakeTheLiteratureDefaultsForWhatIsNotSent() throws {
        let s = try ChartingSettings.validate(ChartingSettings.Input()).get()
        #expect(s.beforePhotos == BeforePhotoRequirement.default)
        #expect(s.thresholds == SequelaThresholds.default)
        #expect(s.maxDepthMm == nil)
    }

    @Test func chartingSettingsReportEveryBadFieldAtOnce() {
        let input = ChartingSettings.Input(maxDepthMm: 2.03, beforePhotoCount: 21, beforePhotoViews: ["frontal", "ceiling"], erythemaHours: 0,
                                           edemaHours: 1441)
        guard case .failure(let f) = ChartingSettings.validate(input) else { Issue.record("accepted"); return }
        #expect(Set(f.errors.map(\.field)) == ["maxDepthMm", "beforePhotoCount", "beforePhotoViews[1]", "erythemaHours", "edemaHours"])
    }

    @Test func scheduleSettingsReadAFormAndNameEachFieldOutOfBounds() throws {
        let good = ["microneedlingMinutes": "60", "rfMicroneedlingMinutes": "60", "followUpMinutes": "30", "minimumIntervalDays": "7",
                    "windowDays": "7", "followUpMonths": "12, 1, 3", "retinoidPauseDays": "7", "antiviralLeadDays": "1"]
        let s = try ScheduleSettings.validate(good, version: 4).get()
        #expect(s.followUpMonths == [1, 3, 12] && s.version == 4)
        var bad = good
        bad["windowDays"] = "61"
        bad["antiviralLeadDays"] = "soon"
        bad["followUpMonths"] = "3, 3"
        guard case .failure(let f) = ScheduleSettings.validate(bad, version: 4) else { Issue.record("accepted"); return }
        #expect(f.errors.map(\.field) == ["windowDays", "antiviralLeadDays", "followUpMonths"])
    }
}
