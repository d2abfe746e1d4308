import ScarClinic

extension AppContext {
    /// The signed-in member of staff as the use cases take them. Only reached behind a staff
    /// route's policy, so a user is always signed in here.
    var clinician: Clinician {
        guard let user else { preconditionFailure("a staff route ran without a signed-in user") }
        return Clinician(user: user, today: today)
    }
}
