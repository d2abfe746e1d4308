import Foundation
import HTTPTypes
import Hummingbird
import ScarClinic
import ScarCore
import ScarStore

/// `/admin/clinic/set-up`: a new clinic made ready in one form — a treatment room, the first device,
/// its cartridge lot (a topical and an anesthetic lot when given) and the consent templates, prefilled
/// with the shipped example wording and editable. A refusal re-shows the form with what was typed and
/// the message beside each field.
struct ClinicSetUpController {
    let setUp: SetUpClinic
    let views: Views

    init(_ services: AppServices) {
        setUp = SetUpClinic(services.database)
        views = services.views
    }

    static func add(to routes: Routes, services: AppServices) {
        let c = Self(services)
        routes.page("/admin/clinic/set-up", .adminOnly, "First-run set-up: room, device, lots and consent templates in one form", c.form)
        routes.form("/admin/clinic/set-up", .adminOnly, "Make the clinic ready: room, device, lots and consent templates together", c.save)
    }

    static let deviceFields: [(name: String, label: String, required: Bool, type: String)] = [
        ("model", "Model", true, "text"), ("manufacturer", "Manufacturer", true, "text"), ("type", "Type", true, "select"),
        ("maxDepthMm", "Maximum penetration depth (mm)", true, "decimal"), ("needleGeometry", "Needle geometry", true, "text"),
        ("needleCount", "Needle count", true, "numeric"), ("punctureRate", "Puncture rate (where known)", false, "text"),
        ("serialNumber", "Serial number", true, "text"), ("lastServiceOn", "Last service", false, "date"),
        ("nextServiceDue", "Next service due", false, "date"),
    ]
    static let lotFields: [(name: String, label: String, type: String)] = [
        ("product", "Product", "text"), ("lotNumber", "Lot number", "text"), ("expiresOn", "Expires on", "date"), ("quantity", "Quantity", "numeric"),
    ]

    @Sendable func form(_ request: Request, _ context: AppContext) async throws -> Response {
        page(context, form: nil, errors: [:], done: request.uri.queryParameters.get("done") == "1", status: .ok,
             logoNotice: ClinicLogoBlock.notice(request))
    }

    @Sendable func save(_ request: Request, _ context: AppContext, _ form: FormBody) async throws -> Response {
        let device = DeviceDetails.Input(model: form["device.model"], manufacturer: form["device.manufacturer"], type: form["device.type"],
                                         maxDepthMm: form["device.maxDepthMm"].flatMap { Double($0) }, needleGeometry: form["device.needleGeometry"],
                                         needleCount: form["device.needleCount"].flatMap { Int($0) }, punctureRate: form["device.punctureRate"],
                                         serialNumber: form["device.serialNumber"], lastServiceOn: form["device.lastServiceOn"],
                                         nextServiceDue: form["device.nextServiceDue"])
        let lots = ClinicSetUp.lotKinds.map { kind in
            LotDetails.Input(kind: kind.rawValue, product: form["\(kind.rawValue).product"], lotNumber: form["\(kind.rawValue).lotNumber"],
                             expiresOn: form["\(kind.rawValue).expiresOn"], quantity: form["\(kind.rawValue).quantity"].flatMap { Int($0) },
                             receivedOn: context.today.description)
        }
        let consents = ExampleConsentWording.offered.map { kind in
            ClinicSetUp.ConsentInput(kind: kind, include: form["consent.\(kind.rawValue).include"] == "yes",
                                     title: form["consent.\(kind.rawValue).title"], body: form["consent.\(kind.rawValue).body"])
        }
        do {
            _ = try await setUp(.init(roomName: form["roomName"], device: device, lots: lots, consents: consents),
                                by: context.clinician, actor: context.auditActor, now: context.now)
            return Response.redirect(to: "/admin/clinic/set-up?done=1", type: .normal)
        } catch let refusal as Refusal {
            let errors = Dictionary(refusal.fields.map { ($0.field, $0.message) }, uniquingKeysWith: { a, _ in a })
            return page(context, form: form, errors: errors, done: false, status: refusal.kind == .conflict ? .conflict : .unprocessableContent)
        }
    }

    func page(_ context: AppContext, form: FormBody?, errors: [String: String], done: Bool, status: HTTPResponse.Status,
              logoError: String? = nil, logoNotice: String? = nil) -> Response {
        func field(_ name: String, _ label: String, required: Bool, type: String) -> ClinicSetUpPage.Field {
            let value = form?[name] ?? ""
            let options = type == "select"
                ? DeviceType.allCases.map { SelectOption(value: $0.rawValue, label: $0.label, selected: value == $0.rawValue) } : []
            return .init(name: name, id: "su-" + name.replacingOccurrences(of: ".", with: "-"), label: label, value: value, required: required,
                         isSelect: type == "select", isDate: type == "date", inputMode: ["decimal", "numeric"].contains(type) ? type : nil,
                         options: options, error: errors[name])
        }
        let lots = ClinicSetUp.lotKinds.enumerated().map { index, kind in
            ClinicSetUpPage.LotBlock(label: kind.label, required: index == 0, fields: Self.lotFields.map {
                field("\(kind.rawValue).\($0.name)", $0.label, required: index == 0, type: $0.type)
            })
        }
        let consents = ExampleConsentWording.offered.map { kind in
            let key = "consent.\(kind.rawValue)"
            return ClinicSetUpPage.ConsentBlock(kind: kind.rawValue, label: kind.label, include: form.map { $0["\(key).include"] == "yes" } ?? true,
                                                title: form?["\(key).title"] ?? ExampleConsentWording.title(kind),
                                                body: form?["\(key).body"] ?? ExampleConsentWording.body(kind),
                                                titleError: errors["\(key).title"], bodyError: errors["\(key).body"])
        }
        let page = ClinicSetUpPage(
            room: field("roomName", "Treatment room", required: true, type: "text"),
            device: Self.deviceFields.map { field("device.\($0.name)", $0.label, required: $0.required, type: $0.type) },
            lots: lots, consents: consents, note: ExampleConsentWording.note, errorCount: errors.count, hasErrors: !errors.isEmpty, done: done,
            logo: ClinicLogoBlock(context, next: "set-up", error: logoError, notice: logoNotice))
        return views.render(.clinicSetUp, title: "Set up the clinic", section: "clinic", page: page, context: context, status: status)
    }
}

/// The `clinic-set-up` page's view model.
struct ClinicSetUpPage {
    struct Field {
        var name: String
        var id: String
        var label: String
        var value: String
        var required: Bool
        var isSelect: Bool
        var isDate: Bool
        var inputMode: String?
        var options: [SelectOption]
        var error: String?
    }

    struct LotBlock {
        var label: String
        var required: Bool
        var fields: [Field]
    }

    struct ConsentBlock {
        var kind: String
        var label: String
        var include: Bool
        var title: String
        var body: String
        var titleError: String?
        var bodyError: String?
    }

    var room: Field
    var device: [Field]
    var lots: [LotBlock]
    var consents: [ConsentBlock]
    var note: String
    var errorCount: Int
    var hasErrors: Bool
    var done: Bool
    var logo: ClinicLogoBlock
}
