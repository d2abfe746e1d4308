/// One `<option>` of a form's select as the templates read it (`{{value}}`, `{{label}}`, `{{#selected}}`).
struct SelectOption {
    var value: String
    var label: String
    var selected: Bool
}
