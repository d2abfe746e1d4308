import Foundation
import HTTPTypes
import Hummingbird
import ScarClinic
import ScarCore
import ScarStore

extension ChartingPageRoutes {
    /// Devices and consumable lots (admin registers, everyone reads).
    static func addInventory(to routes: Routes, services: AppServices) {
        let charting = ChartingServices(services)
        let views = services.views
        @Sendable func inventoryPage(_ context: AppContext, deviceErrors: [FieldError] = [], lotErrors: [FieldError] = [], form: FormBody? = nil,
                           status: HTTPResponse.Status = .ok) async throws -> Response {
            let clinicId = context.user!.clinicId
            let today = context.today
            let devices = try await charting.devices.devices(clinicId: clinicId)
            let lots = try await charting.devices.lots(clinicId: clinicId)
            return views.render("charting-inventory", title: "Devices and lots", section: "inventory", data: [
                "devices": devices.map { d in
                    ["model": d.details.model, "manufacturer": d.details.manufacturer, "type": d.details.type.label,
                     "maxDepth": SessionChart.mm(d.details.maxDepthMm), "needles": "\(d.details.needleCount) · \(d.details.needleGeometry)",
                     "punctureRate": d.details.punctureRate ?? "—", "serial": d.details.serialNumber,
                     "service": [d.details.lastServiceOn.map { "last \($0)" }, d.details.nextServiceDue.map { "due \($0)" }].compactMap { $0 }.joined(separator: ", "),
                     "problem": d.unusableReason(on: today) ?? "", "hasProblem": d.unusableReason(on: today) != nil] as [String: Any]
                },
                "hasDevices": !devices.isEmpty,
                "lots": lots.map { l in
                    ["kind": l.details.kind.label, "product": l.details.product, "lotNumber": l.details.lotNumber, "expiresOn": l.details.expiresOn.description,
                     "quantity": l.details.quantity, "receivedOn": l.details.receivedOn.description, "expired": l.isExpired(on: today),
                     "recallURL": "/recall?lot=\(l.details.lotNumber.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"] as [String: Any]
                },
                "hasLots": !lots.isEmpty,
                "deviceTypes": DeviceType.allCases.map { ["value": $0.rawValue, "label": $0.label, "selected": form?["type"] == $0.rawValue] },
                "kinds": ConsumableKind.allCases.map { ["value": $0.rawValue, "label": $0.label, "selected": form?["kind"] == $0.rawValue] },
                "v": form?.values.mapValues { $0.first ?? "" } ?? [:],
                "hasDeviceErrors": !deviceErrors.isEmpty, "deviceErrors": deviceErrors.map { ["field": $0.field, "message": $0.message] },
                "hasLotErrors": !lotErrors.isEmpty, "lotErrors": lotErrors.map { ["field": $0.field, "message": $0.message] },
                "today": today.description,
            ], context: context, status: status)
        }
        routes.page("/devices", .clinicalStaff, "Devices and consumable lots") { _, context in try await inventoryPage(context) }
        routes.form("/devices", .adminOnly, "Register a device") { _, context, form in
            let input = DeviceDetails.Input(model: form["model"], manufacturer: form["manufacturer"], type: form["type"],
                                            maxDepthMm: form["maxDepthMm"].flatMap { Double($0) }, needleGeometry: form["needleGeometry"],
                                            needleCount: form["needleCount"].flatMap { Int($0) }, punctureRate: form["punctureRate"],
                                            serialNumber: form["serialNumber"], lastServiceOn: form["lastServiceOn"], nextServiceDue: form["nextServiceDue"])
            switch DeviceDetails.validate(input) {
            case .failure(let f): return try await inventoryPage(context, deviceErrors: f.errors, form: form, status: .unprocessableContent)
            case .success(let d):
                do {
                    _ = try await charting.devices.addDevice(d, clinicId: context.user!.clinicId, by: context.auditActor)
                } catch StoreError.duplicate(let field) {
                    return try await inventoryPage(context, deviceErrors: [FieldError(field, "is already registered")], form: form, status: .conflict)
                }
                return Response.redirect(to: "/devices", type: .normal)
            }
        }
        routes.form("/lots", .adminOnly, "Receive a consumable lot") { _, context, form in
            let input = LotDetails.Input(kind: form["kind"], product: form["product"], lotNumber: form["lotNumber"], expiresOn: form["expiresOn"],
                                         quantity: form["quantity"].flatMap { Int($0) }, receivedOn: form["receivedOn"])
            switch LotDetails.validate(input, today: context.today) {
            case .failure(let f): return try await inventoryPage(context, lotErrors: f.errors, form: form, status: .unprocessableContent)
            case .success(let d):
                do {
                    _ = try await charting.devices.addLot(d, clinicId: context.user!.clinicId, by: context.auditActor)
                } catch StoreError.duplicate(let field) {
                    return try await inventoryPage(context, lotErrors: [FieldError(field, "is already registered")], form: form, status: .conflict)
                }
                return Response.redirect(to: "/devices#lots", type: .normal)
            }
        }
    }
}
