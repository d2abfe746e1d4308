import ScarClinic
import ScarStore

extension AppContext {
    /// The signed-in member of staff as the use cases take them. Only reached behind a staff
    /// route's policy, so a user is always signed in here.
    var clinician: Clinician {
        Clinician(user: signedInUser, today: today)
    }

    /// The signed-in patient as the portal's use cases take them: identity from the portal
    /// session only. Only reached behind a `.patient` route's policy.
    var portalPatient: PortalPatient {
        guard let session = signedInPatient else { preconditionFailure("a portal route ran without a signed-in patient") }
        return PortalPatient(patientId: session.patientId, clinicId: session.clinicId, today: today)
    }

    /// The audit actor of a portal request: the patient (`AuditActor.patient`), never a member of
    /// staff whose cookie the same browser may also carry.
    var portalActor: AuditActor {
        guard let session = signedInPatient else { preconditionFailure("a portal route ran without a signed-in patient") }
        return .patient(clinicId: session.clinicId, clientAddress: clientAddress)
    }
}
