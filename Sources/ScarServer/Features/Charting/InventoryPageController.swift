import Foundation
import HTTPTypes
import Hummingbird
import ScarClinic
import ScarCore
import ScarStore

/// `/devices` and `/lots`: the clinic's devices and consumable lots (admins register, everyone reads).
struct InventoryPageController {
    let devices: DeviceLotRepository
    let views: Views

    init(_ services: AppServices) {
        devices = DeviceLotRepository(services.database)
        views = services.views
    }

    static func add(to routes: Routes, services: AppServices) {
        let c = Self(services)
        routes.page("/devices", .clinicalStaff, "Devices and consumable lots", c.show)
        routes.form("/devices", .adminOnly, "Register a device", c.registerDevice)
        routes.form("/lots", .adminOnly, "Receive a consumable lot", c.receiveLot)
    }

    @Sendable func show(_ request: Request, _ context: AppContext) async throws -> Response {
        try await page(context, lotReceived: request.uri.queryParameters.get("received") == "1")
    }

    @Sendable func registerDevice(_ request: Request, _ context: AppContext, _ form: FormBody) async throws -> Response {
        let input = DeviceDetails.Input(model: form["model"], manufacturer: form["manufacturer"], type: form["type"],
                                        maxDepthMm: form["maxDepthMm"].flatMap { Double($0) }, needleGeometry: form["needleGeometry"],
                                        needleCount: form["needleCount"].flatMap { Int($0) }, punctureRate: form["punctureRate"],
                                        serialNumber: form["serialNumber"], lastServiceOn: form["lastServiceOn"], nextServiceDue: form["nextServiceDue"])
        switch DeviceDetails.validate(input) {
        case .failure(let f): return try await page(context, deviceErrors: f.errors, form: form, status: .unprocessableContent)
        case .success(let d):
            do {
                _ = try await devices.addDevice(d, clinicId: context.signedInUser.clinicId, by: context.auditActor)
            } catch StoreError.duplicate(let field) {
                return try await page(context, deviceErrors: [FieldError(field, "is already registered")], form: form, status: .conflict)
            }
            return Response.redirect(to: "/devices", type: .normal)
        }
    }

    @Sendable func receiveLot(_ request: Request, _ context: AppContext, _ form: FormBody) async throws -> Response {
        let input = LotDetails.Input(kind: form["kind"], product: form["product"], lotNumber: form["lotNumber"], expiresOn: form["expiresOn"],
                                     quantity: form["quantity"].flatMap { Int($0) }, receivedOn: form["receivedOn"])
        switch LotDetails.validate(input, today: context.today) {
        case .failure(let f): return try await page(context, lotErrors: f.errors, form: form, status: .unprocessableContent)
        case .success(let d):
            do {
                _ = try await devices.addLot(d, clinicId: context.signedInUser.clinicId, by: context.auditActor)
            } catch StoreError.duplicate(let field) {
                return try await page(context, lotErrors: [FieldError(field, "is already registered")], form: form, status: .conflict)
            }
            return Response.redirect(to: "/devices?received=1#lots", type: .normal)
        }
    }

    /// The forms start open when there is nothing yet, when refused, and (lots) right after a lot was received.
    func page(_ context: AppContext, deviceErrors: [FieldError] = [], lotErrors: [FieldError] = [], form: FormBody? = nil, lotReceived: Bool = false,
              status: HTTPResponse.Status = .ok) async throws -> Response {
        let clinicId = context.signedInUser.clinicId
        let today = context.today
        let devices = try await self.devices.devices(clinicId: clinicId)
        let lots = try await self.devices.lots(clinicId: clinicId)
        let page = InventoryPage(
            devices: devices.map { .init($0, today: today) }, lots: lots.map { .init($0, today: today) },
            deviceTypes: DeviceType.allCases.map { .init(value: $0.rawValue, label: $0.label, selected: form?["type"] == $0.rawValue) },
            kinds: ConsumableKind.allCases.map { .init(value: $0.rawValue, label: $0.label, selected: form?["kind"] == $0.rawValue) },
            v: form?.values.mapValues { $0.first ?? "" } ?? [:], deviceErrors: deviceErrors, lotErrors: lotErrors, today: today.description,
            openDeviceForm: devices.isEmpty || !deviceErrors.isEmpty, openLotForm: lots.isEmpty || lotReceived || !lotErrors.isEmpty)
        return views.render(.chartingInventory, title: "Devices and lots", section: "inventory", page: page, context: context, status: status)
    }
}

/// The `charting-inventory` page's view model: devices and lots, and the forms to register them
/// (re-shown with what was typed in `v` and the errors when refused).
struct InventoryPage {
    struct DeviceRow {
        var model: String
        var manufacturer: String
        var type: String
        var maxDepth: String
        var needles: String
        var punctureRate: String
        var serial: String
        var service: String
        /// Why the device cannot be used today, when it cannot.
        var problem: String?

        init(_ d: Device, today: CalendarDate) {
            (model, manufacturer, type) = (d.details.model, d.details.manufacturer, d.details.type.label)
            maxDepth = SessionChart.mm(d.details.maxDepthMm)
            needles = "\(d.details.needleCount) · \(d.details.needleGeometry)"
            (punctureRate, serial) = (d.details.punctureRate ?? "—", d.details.serialNumber)
            service = [d.details.lastServiceOn.map { "last \($0)" }, d.details.nextServiceDue.map { "due \($0)" }].compactMap { $0 }.joined(separator: ", ")
            problem = d.unusableReason(on: today)
        }
    }

    struct LotRow {
        var kind: String
        var product: String
        var lotNumber: String
        var expiresOn: String
        var quantity: Int
        var receivedOn: String
        var expired: Bool
        var recallURL: String

        init(_ l: Lot, today: CalendarDate) {
            (kind, product, lotNumber) = (l.details.kind.label, l.details.product, l.details.lotNumber)
            (expiresOn, quantity, receivedOn) = (l.details.expiresOn.description, l.details.quantity, l.details.receivedOn.description)
            expired = l.isExpired(on: today)
            recallURL = "/recall?lot=\(l.details.lotNumber.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
        }
    }

    typealias Option = SelectOption

    var devices: [DeviceRow]
    var lots: [LotRow]
    var deviceTypes: [Option]
    var kinds: [Option]
    /// The refused form's values by field name.
    var v: [String: String]
    var deviceErrors: [FieldError]
    var lotErrors: [FieldError]
    var today: String
    var openDeviceForm: Bool
    var openLotForm: Bool
}
