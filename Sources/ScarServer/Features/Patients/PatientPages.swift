import Foundation

/// The patient templates' view models: the `patients` list, the `patient-form` page and the
/// patient page's access log card (the page itself is `PatientPage.Model`).
enum PatientPages {
    /// The `patients` page: the search, one page of rows and the pager (a link is nil at either end).
    struct List {
        var q: String
        var patients: [PatientHeader.Row]
        var total: Int
        var singular: Bool
        var page: Int
        var pageCount: Int
        var previousURL: String?
        var nextURL: String?
        var searching: Bool
    }

    struct Field {
        var name: String
        var label: String
        var type: String
        var required: Bool
        var hint: String?
        var value: String
        var error: String?
    }

    /// A value the user typed, listed after a conflicting edit.
    struct Entry {
        var label: String
        var value: String
    }

    /// The `patient-form` page (register and edit).
    struct Form {
        var formTitle: String
        var action: String
        var cancelURL: String
        var fields: [Field]
        var sexOptions: [SelectOption]
        var sexError: String?
        var version: Int?
        var banner: String?
        var yourEntries: [Entry]
    }

    /// One line of the patient page's "Who opened this record".
    struct AccessLogEntry {
        var at: String
        var actor: String
        var action: String
        var code: String
    }
}
