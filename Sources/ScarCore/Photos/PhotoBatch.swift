/// Several photos chosen at once (issue 13, item 4): the standard views are assigned in the order
/// the files were chosen, so a series of five is one step instead of five forms.
public enum PhotoBatch {
    /// The standard views of a series, in the order a batch takes them.
    public static let standardViews: [PhotoView] = [.frontal, .obliqueLeft, .obliqueRight, .lateralLeft, .lateralRight]

    /// The view of each of `count` files, or the field's error (none chosen, or more files than views).
    public static func views(count: Int, field: String = "photo") -> Result<[PhotoView], ValidationFailure> {
        guard count > 0 else { return .failure(ValidationFailure([FieldError(field, "is required: choose the standard views (one to five images)")])) }
        guard count <= standardViews.count else {
            return .failure(ValidationFailure([FieldError(field, "takes at most \(standardViews.count) images, one per standard view (\(count) chosen)")]))
        }
        return .success(Array(standardViews.prefix(count)))
    }
}
