import Foundation
import ScarCore

/// The signed-in patient a portal use case acts for: taken from the portal session only, never
/// from an id in the URL or body. Their clinic's today decides dates, as a clinician's does.
public struct PortalPatient: Sendable, Equatable {
    public var patientId: UUID
    public var clinicId: UUID
    public var today: CalendarDate

    public init(patientId: UUID, clinicId: UUID, today: CalendarDate) {
        self.patientId = patientId
        self.clinicId = clinicId
        self.today = today
    }
}

extension PortalSecret {
    /// A fresh secret from the system's secure generator.
    public static func fresh() -> PortalSecret {
        var rng = SystemRandomNumberGenerator()
        return make(using: &rng)
    }
}
