import Foundation
import HTTPTypes
import Hummingbird
import ScarClinic
import ScarCore
import ScarStore

struct DeviceJSON: Encodable {
    var id: String
    var model: String
    var manufacturer: String
    var type: String
    var maxDepthMm: Double
    var needleGeometry: String
    var needleCount: Int
    var punctureRate: String?
    var serialNumber: String
    var lastServiceOn: String?
    var nextServiceDue: String?
    var active: Bool
    var version: Int

    init(_ d: Device) {
        id = d.id.lower
        model = d.details.model
        manufacturer = d.details.manufacturer
        type = d.details.type.rawValue
        maxDepthMm = d.details.maxDepthMm
        needleGeometry = d.details.needleGeometry
        needleCount = d.details.needleCount
        punctureRate = d.details.punctureRate
        serialNumber = d.details.serialNumber
        lastServiceOn = d.details.lastServiceOn?.description
        nextServiceDue = d.details.nextServiceDue?.description
        active = d.details.active
        version = d.version
    }
}

struct LotJSON: Encodable {
    var id: String
    var kind: String
    var product: String
    var lotNumber: String
    var expiresOn: String
    var quantity: Int
    var receivedOn: String
    var expired: Bool
    var version: Int

    init(_ l: Lot, today: CalendarDate) {
        id = l.id.lower
        kind = l.details.kind.rawValue
        product = l.details.product
        lotNumber = l.details.lotNumber
        expiresOn = l.details.expiresOn.description
        quantity = l.details.quantity
        receivedOn = l.details.receivedOn.description
        expired = l.isExpired(on: today)
        version = l.version
    }
}

struct AmendmentJSON: Encodable {
    var id: String
    var author: String
    var at: Date
    var reason: String
    var changedFields: [String]
    var before: SessionChart
    var after: SessionChart
}

struct SessionJSON: Encodable {
    var id: String
    var patientId: String
    var status: String
    var chart: SessionChart
    var currentChart: SessionChart
    var warnings: [ChartWarning]
    var appointmentId: String?
    var planVersionId: String?
    var practitioner: String
    var consentId: String?
    var checklist: PreSessionChecklist.Result?
    var postCareVersion: String?
    var createdAt: Date
    var updatedAt: Date
    var signedAt: Date?
    var signedBy: String?
    var version: Int
    var amendments: [AmendmentJSON]
    /// Only in the answer to signing: the linked appointment completed and what moved in its series.
    var appointmentCompletion: CompletionJSON?

    struct CompletionJSON: Encodable {
        var appointmentId: String
        var moved: [AppointmentJSON]
        var note: String?
    }

    init(_ s: SessionRecord, completion: ScheduleRepository.Completion?) {
        self.init(s)
        appointmentCompletion = completion.map {
            CompletionJSON(appointmentId: $0.appointmentId.lower, moved: $0.moved.map(AppointmentJSON.init), note: $0.note)
        }
    }

    init(_ s: SessionRecord) {
        id = s.id.lower
        patientId = s.patientId.lower
        status = s.status.rawValue
        chart = s.chart
        currentChart = s.currentChart
        warnings = s.warnings
        appointmentId = s.appointmentId?.lower
        planVersionId = s.planVersionId?.lower
        practitioner = s.practitionerName
        consentId = s.consentId?.lower
        checklist = s.checklist
        postCareVersion = s.postcareVersion
        createdAt = s.createdAt
        updatedAt = s.updatedAt
        signedAt = s.signedAt
        signedBy = s.signedByName
        version = s.version
        amendments = s.amendments.map {
            AmendmentJSON(id: $0.id.lower, author: $0.authorName, at: $0.at, reason: $0.reason, changedFields: $0.changedFields,
                          before: $0.before, after: $0.after)
        }
    }
}

struct ConsentJSON: Encodable {
    var id: String
    var patientId: String
    var kind: String
    var templateVersion: Int
    var sha256: String
    var signerName: String
    var signedAt: Date
    var clientAddress: String
    var valid: Bool
    var withdrawnAt: Date?
    var withdrawalReason: String?
    var renderedHtml: String

    init(_ c: ConsentRepository.SignedConsent) {
        id = c.id.lower
        patientId = c.patientId.lower
        kind = c.kind.rawValue
        templateVersion = c.templateVersion
        sha256 = c.sha256
        signerName = c.signerName
        signedAt = c.signedAt
        clientAddress = c.clientAddress
        valid = c.isValid
        withdrawnAt = c.withdrawnAt
        withdrawalReason = c.withdrawalReason
        renderedHtml = c.renderedHTML
    }
}

struct AdverseEventJSON: Encodable {
    var id: String
    var patientId: String
    var term: String
    var termLabel: String
    var onsetOn: String
    var grade: Int
    var serious: Bool
    var relatedness: String
    var actionTaken: String?
    var outcome: String
    var resolvedOn: String?
    var sessionId: String?
    var lotIds: [String]
    var products: String?
    var durationHours: Double?
    var notes: String?
    var open: Bool
    var version: Int

    init(_ r: AdverseEventRepository.Record) {
        let d = r.details
        id = r.id.lower
        patientId = r.patientId.lower
        term = d.term
        termLabel = AETerm.find(d.term)?.label ?? d.term
        onsetOn = d.onsetOn.description
        grade = d.grade.rawValue
        serious = d.serious
        relatedness = d.relatedness.rawValue
        actionTaken = d.actionTaken
        outcome = d.outcome.rawValue
        resolvedOn = d.resolvedOn?.description
        sessionId = d.sessionId?.lower
        lotIds = d.lotIds.map(\.lower)
        products = d.products
        durationHours = d.durationHours
        notes = d.notes
        open = r.isOpen
        version = r.version
    }
}

struct RecallJSON: Encodable {
    var sessionId: String
    var patientId: String
    var patientName: String
    var mrn: String
    var performedOn: String
    var status: String
    var practitioner: String
    var deviceModel: String
    var deviceSerial: String
    var lotNumber: String?
    var product: String?
    var role: String?

    init(_ r: RecallRow) {
        sessionId = r.sessionId.lower
        patientId = r.patientId.lower
        patientName = r.patientName
        mrn = r.mrn
        performedOn = r.performedOn
        status = r.status
        practitioner = r.practitioner
        deviceModel = r.deviceModel
        deviceSerial = r.deviceSerial
        lotNumber = r.lotNumber
        product = r.product
        role = r.role
    }
}
