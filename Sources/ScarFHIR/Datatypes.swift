import Foundation
import ScarCore

// Small hand-written FHIR R4 (4.0.1) datatypes: only the elements ScarTrack fills. Every optional
// is left out of the JSON when nil, and arrays are nil rather than empty (FHIR forbids `[]`).

public struct Meta: Encodable, Sendable, Equatable {
    public var versionId: String
    /// An `instant`: seconds and a zone are required.
    public var lastUpdated: String
}

public struct Coding: Encodable, Sendable, Equatable {
    public var system: String
    public var version: String?
    public var code: String
    public var display: String?

    public init(system: String, version: String? = nil, code: String, display: String? = nil) {
        self.system = system
        self.version = version
        self.code = code
        self.display = display
    }
}

public struct CodeableConcept: Encodable, Sendable, Equatable {
    public var coding: [Coding]?
    public var text: String?

    public init(_ coding: Coding, text: String? = nil) {
        self.coding = [coding]
        self.text = text
    }

    public init(text: String) {
        self.coding = nil
        self.text = text
    }
}

public struct Reference: Encodable, Sendable, Equatable {
    public var reference: String
    public var display: String?

    public init(_ type: String, _ id: String, display: String? = nil) {
        self.reference = "\(type)/\(id)"
        self.display = display
    }
}

public struct Identifier: Encodable, Sendable, Equatable {
    public var system: String
    public var value: String
}

public struct HumanName: Encodable, Sendable, Equatable {
    public var use: String?
    public var text: String?
    public var family: String?
    public var given: [String]?
}

public struct ContactPoint: Encodable, Sendable, Equatable {
    public var system: String
    public var value: String
}

public struct Period: Encodable, Sendable, Equatable {
    public var start: String?
    public var end: String?
}

public struct Annotation: Encodable, Sendable, Equatable {
    public var text: String
}

public struct Attachment: Encodable, Sendable, Equatable {
    public var contentType: String?
    public var title: String?
    public var creation: String?
    /// Where the bytes are read (`Binary/{id}`): never inline data.
    public var url: String? = nil
    public var size: Int? = nil
}

public struct Extension: Encodable, Sendable, Equatable {
    public var url: String
    public var valueCodeableConcept: CodeableConcept?
    public var valueInteger: Int?
    public var valueString: String?
    public var valueDecimal: Double?

    public init(url: String, valueCodeableConcept: CodeableConcept? = nil, valueInteger: Int? = nil, valueString: String? = nil,
                valueDecimal: Double? = nil) {
        self.url = url
        self.valueCodeableConcept = valueCodeableConcept
        self.valueInteger = valueInteger
        self.valueString = valueString
        self.valueDecimal = valueDecimal
    }
}

/// FHIR's date and time forms. Instants and dateTimes with a time always carry a zone (UTC,
/// `Z`); a calendar day stays a date with no time, so no zone is invented for it.
public enum FHIRTime {
    /// `yyyy-MM-ddTHH:mm:ss.SSSZ` in UTC, cut to the millisecond (never rounded up): an instant
    /// shown is never later than the one stored, so `_lastUpdated=ge{shown}` finds the resource it
    /// was shown for. The day comes from `CalendarDate`'s civil-calendar arithmetic (the same text
    /// `ISO8601DateFormatter` gives with internet date-time and fractional seconds), because an
    /// export writes one for every resource and a formatter costs far more than the resource.
    public static func instant(_ date: Date) -> String {
        let millis = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        var (days, msOfDay) = millis.quotientAndRemainder(dividingBy: 86_400_000)
        if msOfDay < 0 { (days, msOfDay) = (days - 1, msOfDay + 86_400_000) }
        guard let day = Int(exactly: days).flatMap(CalendarDate.init(daysSinceEpoch:)) else { return formatted(date) }
        let seconds = Int(msOfDay / 1000)
        // Written into one string of 24 bytes: an export writes two or three for every resource.
        return String(unsafeUninitializedCapacity: 24) { out in
            day.write(into: out, at: 0)
            out[10] = 0x54
            CalendarDate.digits(seconds / 3600, 2, into: out, at: 11)
            out[13] = 0x3A
            CalendarDate.digits(seconds / 60 % 60, 2, into: out, at: 14)
            out[16] = 0x3A
            CalendarDate.digits(seconds % 60, 2, into: out, at: 17)
            out[19] = 0x2E
            CalendarDate.digits(Int(msOfDay % 1000), 3, into: out, at: 20)
            out[23] = 0x5A
            return 24
        }
    }

    /// Years outside 1…9999 (never a clinic's): the formatter.
    private static func formatted(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        f.timeZone = TimeZone(identifier: "UTC")
        return f.string(from: Date(timeIntervalSince1970: (date.timeIntervalSince1970 * 1000).rounded(.down) / 1000))
    }
}

extension Array {
    /// nil for an empty array: FHIR JSON never carries `[]`.
    var nonEmpty: Self? { isEmpty ? nil : self }
}
