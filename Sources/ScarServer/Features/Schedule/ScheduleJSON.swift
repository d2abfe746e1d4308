import Foundation
import ScarCore
import ScarStore

/// Appointments and series proposals as the schedule API answers them.
struct AppointmentJSON: Encodable {
    var id: String
    var patientId: String
    var seriesId: String
    var kind: String
    var number: Int
    var modality: String
    var practitionerId: String
    var practitionerName: String
    var roomId: String
    var roomName: String
    var deviceId: String?
    var deviceName: String?
    var start: Date
    var end: Date
    var status: String
    var planId: String?
    var planVersionId: String?
    var sequence: Int
    var version: Int
    var completedOn: String?
    var sessionId: String?

    init(_ a: Appointment) {
        id = a.id.lower
        patientId = a.patientId.lower
        seriesId = a.seriesId.lower
        kind = a.kind.rawValue
        number = a.number
        modality = a.modality.rawValue
        practitionerId = a.practitionerId.lower
        practitionerName = a.practitionerName
        roomId = a.roomId.lower
        roomName = a.roomName
        deviceId = a.deviceId?.lower
        deviceName = a.deviceName
        start = a.startsAt
        end = a.endsAt
        status = a.status.rawValue
        planId = a.planId?.lower
        planVersionId = a.planVersionId?.lower
        sequence = a.icalSequence
        version = a.version
        completedOn = a.completedOn?.description
        sessionId = a.sessionId?.lower
    }
}

struct ProposalJSON: Encodable {
    struct Item: Encodable {
        var kind: String
        var number: Int
        var start: Date
        var end: Date
        var targetDay: String
        var shiftDays: Int
        init(_ p: ProposedAppointment) {
            kind = p.kind.rawValue
            number = p.number
            start = p.start
            end = p.end
            targetDay = p.targetDay.description
            shiftDays = p.shiftDays
        }
    }
    struct Unplaced: Encodable {
        var kind: String
        var number: Int
        var reason: String
    }
    var placed: Bool
    var appointments: [Item]
    var unplaced: Unplaced?

    init(_ outcome: PlacementOutcome) {
        switch outcome {
        case .placed(let items):
            placed = true
            appointments = items.map(Item.init)
        case .unplaceable(let kind, let number, let reason, let items):
            placed = false
            appointments = items.map(Item.init)
            unplaced = Unplaced(kind: kind.rawValue, number: number, reason: reason)
        }
    }
}

