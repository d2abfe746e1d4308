import ScarClinic

extension AppContext {
    /// The signed-in member of staff as the use cases take them. Only reached behind a staff
    /// route's policy, so a user is always signed in here.
    var clinician: Clinician {
        Clinician(user: signedInUser, today: today)
    }
}
