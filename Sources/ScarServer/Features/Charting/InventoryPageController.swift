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
        try await page(context)
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
            return Response.redirect(to: "/devices#lots", type: .normal)
        }
    }

    func page(_ context: AppContext, deviceErrors: [FieldError] = [], lotErrors: [FieldError] = [], form: FormBody? = nil,
              status: HTTPResponse.Status = .ok) async throws -> Response {
        let clinicId = context.signedInUser.clinicId
        let today = context.today
        let devices = try await self.devices.devices(clinicId: clinicId)
        let lots = try await self.devices.lots(clinicId: clinicId)
        return views.render("charting-inventory", title: "Devices and lots", section: "inventory", data: [
            "devices": devices.map { Self.deviceRow($0, today: today) },
            "hasDevices": !devices.isEmpty,
            "lots": lots.map { Self.lotRow($0, today: today) },
            "hasLots": !lots.isEmpty,
            "deviceTypes": DeviceType.allCases.map { ["value": $0.rawValue, "label": $0.label, "selected": form?["type"] == $0.rawValue] },
            "kinds": ConsumableKind.allCases.map { ["value": $0.rawValue, "label": $0.label, "selected": form?["kind"] == $0.rawValue] },
            "v": form?.values.mapValues { $0.first ?? "" } ?? [:],
            "hasDeviceErrors": !deviceErrors.isEmpty, "deviceErrors": deviceErrors.map { ["field": $0.field, "message": $0.message] },
            "hasLotErrors": !lotErrors.isEmpty, "lotErrors": lotErrors.map { ["field": $0.field, "message": $0.message] },
            "today": today.description,
        ], context: context, status: status)
    }

    static func deviceRow(_ d: Device, today: CalendarDate) -> [String: Any] {
        ["model": d.details.model, "manufacturer": d.details.manufacturer, "type": d.details.type.label,
         "maxDepth": SessionChart.mm(d.details.maxDepthMm), "needles": "\(d.details.needleCount) · \(d.details.needleGeometry)",
         "punctureRate": d.details.punctureRate ?? "—", "serial": d.details.serialNumber,
         "service": [d.details.lastServiceOn.map { "last \($0)" }, d.details.nextServiceDue.map { "due \($0)" }].compactMap { $0 }.joined(separator: ", "),
         "problem": d.unusableReason(on: today) ?? "", "hasProblem": d.unusableReason(on: today) != nil]
    }

    static func lotRow(_ l: Lot, today: CalendarDate) -> [String: Any] {
        ["kind": l.details.kind.label, "product": l.details.product, "lotNumber": l.details.lotNumber, "expiresOn": l.details.expiresOn.description,
         "quantity": l.details.quantity, "receivedOn": l.details.receivedOn.description, "expired": l.isExpired(on: today),
         "recallURL": "/recall?lot=\(l.details.lotNumber.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"]
    }
}
