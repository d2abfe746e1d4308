import Foundation
import ScarCore
import ScarStore

/// An admin changes what the clinic's portal offers: photos side by side, the notice a patient
/// must give to ask for a change, and the ACNE-Q items from the clinic's licensed copy asked at
/// follow-ups. One write, one `portal-settings.update` audit entry.
public struct ChangePortalSettings: Sendable {
    let database: ScarDatabase
    public init(_ database: ScarDatabase) { self.database = database }

    public static let noticeHours = 0...336

    public struct Input: Sendable {
        public var showPhotos: Bool
        public var changeNoticeHours: Int
        public var outcomeVersion: String?
        public var outcomeItems: [FollowUpQuestions.Item]
        public init(showPhotos: Bool, changeNoticeHours: Int, outcomeVersion: String?, outcomeItems: [FollowUpQuestions.Item]) {
            self.showPhotos = showPhotos
            self.changeNoticeHours = changeNoticeHours
            self.outcomeVersion = outcomeVersion
            self.outcomeItems = outcomeItems
        }
    }

    public func callAsFunction(_ input: Input, clinicId: UUID, actor: AuditActor, now: Date) async throws -> UnitOfWork.PortalSettings {
        var errors: [FieldError] = []
        if !Self.noticeHours.contains(input.changeNoticeHours) {
            errors.append(FieldError("changeNoticeHours", "must be a whole number of hours from 0 to 336"))
        }
        let lines = input.outcomeItems.map { "\($0.id) = \($0.text)" }.joined(separator: "\n")
        let idCharacters = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
        if input.outcomeItems.contains(where: { $0.id.unicodeScalars.contains { !idCharacters.contains($0) } || $0.text.contains(where: \.isNewline) }) {
            errors.append(FieldError("outcomeItems", "an item id is letters, digits, . _ or - only, and wording has no line break"))
        }
        if (input.outcomeVersion ?? "").contains(where: \.isNewline) { errors.append(FieldError("outcomeVersion", "must be one line")) }
        var setup = FollowUpQuestions.Setup(version: "", items: [])
        switch FollowUpQuestions.Setup.parse(version: input.outcomeVersion, lines: lines) {
        case .success(let s): setup = s
        case .failure(let f): errors += f.errors
        }
        guard errors.isEmpty else { throw Refusal.invalid(errors) }
        let settings = UnitOfWork.PortalSettings(showPhotos: input.showPhotos, changeNoticeHours: input.changeNoticeHours, outcomes: setup)
        return try await database.write(unitOfWork: { tx in
            try await tx.write(portalSettings: settings, clinicId: clinicId)
            try await tx.audit(AuditEvent(action: "portal-settings.update", recordType: "clinic", recordId: clinicId.uuidString,
                                          details: ["showPhotos": String(settings.showPhotos), "changeNoticeHours": String(settings.changeNoticeHours),
                                                    "outcomeItems": String(settings.outcomes.items.count)]), by: actor, now: now)
            return settings
        })
    }
}
