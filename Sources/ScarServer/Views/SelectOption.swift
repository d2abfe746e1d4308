/// One `<option>` of a select in a page's view model: the value sent, the words shown, and
/// whether it is the one chosen.
struct SelectOption {
    var value: String
    var label: String
    var selected: Bool
}
