import Foundation
import HTTPTypes
import Hummingbird
import ScarClinic
import ScarCore
import ScarStore

/// `/admin/clinic`: the clinic's name, address, phone, e-mail and time zone, which every page,
/// handout and report shows. An administrator sets them once at first run (the day page asks
/// until they are set) and changes them here.
struct ClinicSettingsController {
    let read: ReadClinicProfile
    let update: UpdateClinicProfile
    let views: Views

    init(_ services: AppServices) {
        read = ReadClinicProfile(services.database)
        update = UpdateClinicProfile(services.database)
        views = services.views
    }

    static func add(to routes: Routes, services: AppServices) {
        let c = Self(services)
        routes.page("/admin/clinic", .adminOnly, "The clinic's name, address, phone, e-mail and time zone", c.form)
        routes.form("/admin/clinic", .adminOnly, "Save the clinic's details (version-checked)", c.save)
    }

    static let fields: [(name: String, label: String, hint: String)] = [
        ("name", "Clinic name", "As on the letterhead."),
        ("address", "Address", "One line per line of the postal address."),
        ("phone", "Phone", "The number patients call."),
        ("email", "E-mail", "Shown on handouts; optional."),
        ("timeZone", "Time zone", "The clinic's day, appointments and reports run in this zone, e.g. Europe/London."),
    ]

    @Sendable func form(_ request: Request, _ context: AppContext) async throws -> Response {
        let saved = try await read(by: context.clinician)
        return page(context, values: Self.values(saved.profile), version: saved.version, errors: [:], banner: nil,
                    done: request.uri.queryParameters.get("saved") == "1", status: .ok, logoNotice: ClinicLogoBlock.notice(request))
    }

    @Sendable func save(_ request: Request, _ context: AppContext, _ form: FormBody) async throws -> Response {
        let values = Dictionary(uniqueKeysWithValues: Self.fields.map { ($0.name, form[$0.name] ?? "") })
        guard let version = form["version"].flatMap(Int.init) else {
            throw AppError.badRequest("The form has no record version; reload the page.", field: "version")
        }
        let input = ClinicProfile.Input(name: values["name"], address: values["address"], phone: values["phone"], email: values["email"],
                                        timeZone: values["timeZone"])
        do {
            _ = try await update(input, expectedVersion: version, by: context.clinician, actor: context.auditActor, now: context.now)
            return Response.redirect(to: "/admin/clinic?saved=1", type: .normal)
        } catch let refusal as Refusal {
            let errors = Dictionary(refusal.fields.map { ($0.field, $0.message) }, uniquingKeysWith: { a, _ in a })
            return page(context, values: values, version: version, errors: errors, banner: "The clinic's details were not saved.",
                        done: false, status: .unprocessableContent)
        } catch StoreError.versionConflict(let current) {
            return page(context, values: values, version: current, errors: [:],
                        banner: "Someone else changed the clinic's details meanwhile. Check them and save again.", done: false, status: .conflict)
        }
    }

    static func values(_ p: ClinicProfile) -> [String: String] {
        ["name": p.name, "address": p.address, "phone": p.phone, "email": p.email, "timeZone": p.timeZone]
    }

    func page(_ context: AppContext, values: [String: String], version: Int, errors: [String: String], banner: String?, done: Bool,
              status: HTTPResponse.Status, logoError: String? = nil, logoNotice: String? = nil) -> Response {
        let page = ClinicSettingsPage(
            fields: Self.fields.map { f in
                .init(name: f.name, label: f.label, hint: f.hint, value: values[f.name] ?? "", isAddress: f.name == "address",
                      isZone: f.name == "timeZone", required: f.name == "name" || f.name == "timeZone", error: errors[f.name])
            },
            version: version, banner: banner, saved: done,
            logo: ClinicLogoBlock(context, next: "settings", error: logoError, notice: logoNotice))
        return views.render(.clinicSettings, title: "Clinic details", section: "clinic", page: page, context: context, status: status)
    }
}

/// The `clinic-settings` page's view model.
struct ClinicSettingsPage {
    struct Field {
        var name: String
        var label: String
        var hint: String
        var value: String
        var isAddress: Bool
        var isZone: Bool
        var required: Bool
        var error: String?
    }

    var fields: [Field]
    var version: Int
    var banner: String?
    var saved: Bool
    var logo: ClinicLogoBlock
    var zones = TimeZone.knownTimeZoneIdentifiers.sorted()
}
