/// Banners the edit forms share.
enum FormMessages {
    /// A save that lost a race: the form is re-shown with what is stored now.
    static let stale = "This record was changed by someone else while you were editing. The form now shows the saved values; re-apply your change and save again."
}
