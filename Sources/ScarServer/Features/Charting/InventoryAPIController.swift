import Foundation
import HTTPTypes
import Hummingbird
import ScarClinic
import ScarCore
import ScarStore

/// `/api/v1/devices`, `/lots`, `/charting-settings` and `/recall`: the clinic's devices and
/// consumable lots, its charting settings, and which patients a lot or device was used on.
struct InventoryAPIController {
    let database: ScarDatabase
    let devices: DeviceLotRepository
    let sessions: SessionRepository
    let limit: Int

    init(_ services: AppServices) {
        database = services.database
        devices = DeviceLotRepository(services.database)
        sessions = SessionRepository(services.database)
        limit = services.configuration.maxJSONBodyBytes
    }

    static func add(to routes: Routes, services: AppServices) {
        let c = Self(services)
        routes.api(.get, "/api/v1/devices", .clinicalStaff, "List the clinic's devices", c.listDevices)
        routes.api(.post, "/api/v1/devices", .adminOnly, "Register a device", c.registerDevice)
        routes.api(.patch, "/api/v1/devices/:id", .adminOnly, "Edit a device (merge patch, If-Match required)", c.editDevice)
        routes.api(.get, "/api/v1/lots", .clinicalStaff, "List the clinic's consumable lots", c.listLots)
        routes.api(.post, "/api/v1/lots", .adminOnly, "Receive a consumable lot", c.receiveLot)
        routes.api(.patch, "/api/v1/lots/:id", .adminOnly, "Correct a lot's quantity on hand (If-Match required)", c.correctLot)
        routes.api(.get, "/api/v1/charting-settings", .clinicalStaff, "The clinic's charting settings", c.settings)
        routes.api(.put, "/api/v1/charting-settings", .adminOnly, "Change the clinic's charting settings (If-Match required)", c.saveSettings)
    }

    static func addRecall(to routes: Routes, services: AppServices) {
        let c = Self(services)
        routes.api(.get, "/api/v1/recall", AccessPolicy.clinicians, "Which patients were treated with a lot (?lot=) or a device (?serial=), when, by whom",
                   c.recall)
    }

    @Sendable func listDevices(_ request: Request, _ context: AppContext) async throws -> Response {
        try JSON.response(try await devices.devices(clinicId: context.signedInUser.clinicId).map(DeviceJSON.init))
    }

    @Sendable func registerDevice(_ request: Request, _ context: AppContext) async throws -> Response {
        let input = try await JSONRequest.decode(DeviceDetails.Input.self, from: request, limit: limit)
        let details = try ChartingHTTP.validated(DeviceDetails.validate(input))
        let device = try await devices.addDevice(details, clinicId: context.signedInUser.clinicId, by: context.auditActor)
        return try JSON.response(DeviceJSON(device), status: .created, headers: ChartingHTTP.etagHeaders(device.version))
    }

    @Sendable func editDevice(_ request: Request, _ context: AppContext) async throws -> Response {
        let id = try context.apiUUID()
        let expected = try ChartingHTTP.ifMatch(request)
        let patch = try await JSONRequest.decode(DeviceDetails.Input.self, from: request, limit: limit)
        let device = try await devices.updateDevice(id: id, clinicId: context.signedInUser.clinicId, expectedVersion: expected,
                                                    by: context.auditActor) { current in
            try ChartingHTTP.validated(DeviceDetails.validate(Self.merged(patch, over: current.details)))
        }
        return try JSON.response(DeviceJSON(device), headers: ChartingHTTP.etagHeaders(device.version))
    }

    /// A merge patch: every field not sent keeps its stored value.
    static func merged(_ patch: DeviceDetails.Input, over d: DeviceDetails) -> DeviceDetails.Input {
        DeviceDetails.Input(
            model: patch.model ?? d.model, manufacturer: patch.manufacturer ?? d.manufacturer, type: patch.type ?? d.type.rawValue,
            maxDepthMm: patch.maxDepthMm ?? d.maxDepthMm, needleGeometry: patch.needleGeometry ?? d.needleGeometry,
            needleCount: patch.needleCount ?? d.needleCount, punctureRate: patch.punctureRate ?? d.punctureRate,
            serialNumber: patch.serialNumber ?? d.serialNumber, lastServiceOn: patch.lastServiceOn ?? d.lastServiceOn?.description,
            nextServiceDue: patch.nextServiceDue ?? d.nextServiceDue?.description, active: patch.active ?? d.active)
    }

    @Sendable func listLots(_ request: Request, _ context: AppContext) async throws -> Response {
        let today = context.today
        return try JSON.response(try await devices.lots(clinicId: context.signedInUser.clinicId).map { LotJSON($0, today: today) })
    }

    @Sendable func receiveLot(_ request: Request, _ context: AppContext) async throws -> Response {
        let input = try await JSONRequest.decode(LotDetails.Input.self, from: request, limit: limit)
        let details = try ChartingHTTP.validated(LotDetails.validate(input, today: context.today))
        let lot = try await devices.addLot(details, clinicId: context.signedInUser.clinicId, by: context.auditActor)
        return try JSON.response(LotJSON(lot, today: context.today), status: .created, headers: ChartingHTTP.etagHeaders(lot.version))
    }

    struct QuantityInput: Decodable {
        var quantity: Int?
    }

    @Sendable func correctLot(_ request: Request, _ context: AppContext) async throws -> Response {
        let id = try context.apiUUID()
        let expected = try ChartingHTTP.ifMatch(request)
        let input = try await JSONRequest.decode(QuantityInput.self, from: request, limit: limit)
        guard let q = input.quantity, q >= 0, q <= 1_000_000 else { throw AppError.validation([FieldError("quantity", "must be from 0 to 1000000")]) }
        let lot = try await devices.updateLotQuantity(id: id, clinicId: context.signedInUser.clinicId, expectedVersion: expected, quantity: q,
                                                      by: context.auditActor)
        return try JSON.response(LotJSON(lot, today: context.today), headers: ChartingHTTP.etagHeaders(lot.version))
    }

    @Sendable func settings(_ request: Request, _ context: AppContext) async throws -> Response {
        let s = try await devices.settings(clinicId: context.signedInUser.clinicId)
        return try JSON.response(ChartingSettingsJSON(s), headers: ChartingHTTP.etagHeaders(s.version))
    }

    @Sendable func saveSettings(_ request: Request, _ context: AppContext) async throws -> Response {
        let expected = try ChartingHTTP.ifMatch(request)
        let input = try await JSONRequest.decode(ChartingSettingsJSON.Input.self, from: request, limit: limit)
        let s = try await ChangeChartingSettings(database)(input.settings, expectedVersion: expected, by: context.clinician,
                                                         actor: context.auditActor, now: context.now)
        return try JSON.response(ChartingSettingsJSON(s), headers: ChartingHTTP.etagHeaders(s.version))
    }

    @Sendable func recall(_ request: Request, _ context: AppContext) async throws -> Response {
        try JSON.response(try await Self.recall(request, context: context, sessions: sessions).map(RecallJSON.init))
    }

    /// `?lot=` or `?serial=` (one is required), normalised as they were stored.
    static func recall(_ request: Request, context: AppContext, sessions: SessionRepository) async throws -> [RecallRow] {
        let q = request.uri.queryParameters
        let lot = Text.normalized(q.get("lot"))
        let serial = Text.normalized(q.get("serial"))
        guard lot != nil || serial != nil else {
            throw AppError.validation([FieldError("lot", "or serial is required")])
        }
        return try await sessions.recall(lotNumber: lot, serialNumber: serial, clinicId: context.signedInUser.clinicId, by: context.auditActor)
    }
}

/// The charting settings as the API reads and writes them, with the sources of the defaults.
struct ChartingSettingsJSON: Encodable {
    var maxDepthMm: Double?
    var beforePhotoCount: Int
    var beforePhotoViews: [String]
    var erythemaHours: Int
    var edemaHours: Int
    var checkInDays: [Int]
    var thresholdSource: String
    var photoSource: String
    var checkInSource: String
    var version: Int

    init(_ s: ChartingSettings) {
        maxDepthMm = s.maxDepthMm
        beforePhotoCount = s.beforePhotos.count
        beforePhotoViews = s.beforePhotos.views.map(\.rawValue)
        erythemaHours = s.thresholds.erythemaHours
        edemaHours = s.thresholds.edemaHours
        checkInDays = s.checkInDays.days
        thresholdSource = SequelaThresholds.source
        photoSource = BeforePhotoRequirement.source
        checkInSource = CheckInDays.source
        version = s.version
    }

    struct Input: Decodable {
        var maxDepthMm: Double?
        var beforePhotoCount: Int?
        var beforePhotoViews: [String]?
        var erythemaHours: Int?
        var edemaHours: Int?
        var checkInDays: [Int]?

        /// A value not sent takes its literature default; ScarCore checks the bounds.
        var settings: ChartingSettings.Input {
            ChartingSettings.Input(maxDepthMm: maxDepthMm, beforePhotoCount: beforePhotoCount, beforePhotoViews: beforePhotoViews,
                                   erythemaHours: erythemaHours, edemaHours: edemaHours, checkInDays: checkInDays)
        }
    }
}
