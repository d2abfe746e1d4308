import Foundation

/// What a consent covers: one per treatment modality, plus photo use and research (issue 5).
public enum ConsentKind: String, Sendable, Codable, CaseIterable, Hashable {
    case microneedling
    case rfMicroneedling = "rf-microneedling"
    case photoUse = "photo-use"
    case research

    public var label: String {
        switch self {
        case .microneedling: "Microneedling treatment"
        case .rfMicroneedling: "RF microneedling treatment"
        case .photoUse: "Use of clinical photographs"
        case .research: "Research participation"
        }
    }

    public init(_ modality: Modality) {
        self = modality == .rfMicroneedling ? .rfMicroneedling : .microneedling
    }
}

/// A clinic's consent template: the clinic writes and versions the wording.
public struct ConsentTemplateDetails: Sendable, Codable, Equatable {
    public var kind: ConsentKind
    public var title: String
    public var body: String

    public init(kind: ConsentKind, title: String, body: String) {
        self.kind = kind
        self.title = title
        self.body = body
    }

    public static func validate(kind: String?, title: String?, body: String?) -> Result<ConsentTemplateDetails, ValidationFailure> {
        var errors: [FieldError] = []
        let k = kind.flatMap(ConsentKind.init(rawValue:))
        if k == nil { errors.append(FieldError("kind", "must be one of " + ConsentKind.allCases.map(\.rawValue).joined(separator: ", "))) }
        let t = Text.trimmed(title)
        if t == nil { errors.append(FieldError("title", "is required")) } else if t!.count > 200 { errors.append(FieldError("title", "must be at most 200 characters")) }
        let b = Text.trimmed(body)
        if b == nil { errors.append(FieldError("body", "is required")) } else if b!.count > 20_000 { errors.append(FieldError("body", "must be at most 20000 characters")) }
        guard errors.isEmpty, let k, let t, let b else { return .failure(ValidationFailure(errors)) }
        return .success(ConsentTemplateDetails(kind: k, title: t, body: b))
    }
}

/// The signature a patient gives on the page.
public struct ConsentSignature: Sendable, Equatable {
    public var signerName: String
    /// A drawn signature as a PNG data URL, if one was drawn.
    public var drawnPNG: String?

    public init(signerName: String, drawnPNG: String?) {
        self.signerName = signerName
        self.drawnPNG = drawnPNG
    }

    public static func validate(signerName: String?, agreed: Bool, drawnPNG: String?) -> Result<ConsentSignature, ValidationFailure> {
        var errors: [FieldError] = []
        let name = Text.trimmed(signerName)
        if name == nil { errors.append(FieldError("signerName", "is required: the patient types their full name")) }
        if let name, name.count > 200 || Text.hasControlCharacters(name) { errors.append(FieldError("signerName", "must be one line of at most 200 characters")) }
        if !agreed { errors.append(FieldError("agreed", "must be ticked by the patient to consent")) }
        var png = Text.trimmed(drawnPNG)
        if let p = png {
            if !p.hasPrefix("data:image/png;base64,") || p.count > 400_000 { errors.append(FieldError("signaturePng", "must be a PNG data URL under 400 kB")) }
            if p == "data:image/png;base64," { png = nil }
        }
        guard errors.isEmpty, let name else { return .failure(ValidationFailure(errors)) }
        return .success(ConsentSignature(signerName: name, drawnPNG: png))
    }
}

/// Renders the signed document as a self-contained HTML fragment: this exact text is stored
/// and hashed, so what the patient saw can be shown again byte for byte.
public enum ConsentDocument {
    public static func escape(_ s: String) -> String {
        var out = ""
        for ch in s {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(ch)
            }
        }
        return out
    }

    public static func render(template: ConsentTemplateDetails, templateVersion: Int, clinicName: String, patientName: String,
                              patientMRN: String, signature: ConsentSignature, signedAt: String) -> String {
        let paragraphs = template.body.components(separatedBy: "\n\n").map { "<p>" + escape($0).replacingOccurrences(of: "\n", with: "<br>") + "</p>" }
        var html = """
            <article class="consent-document" data-kind="\(template.kind.rawValue)" data-version="\(templateVersion)">
            <h2>\(escape(template.title))</h2>
            <p class="consent-meta">\(escape(clinicName)) · \(escape(template.kind.label)) · template version \(templateVersion)</p>
            <p class="consent-meta">Patient: \(escape(patientName)) (\(escape(patientMRN)))</p>
            \(paragraphs.joined(separator: "\n"))
            <p class="consent-sign">I have read and understood this document and I consent. Signed by <strong>\(escape(signature.signerName))</strong> on \(escape(signedAt)).</p>
            """
        if let png = signature.drawnPNG { html += "\n<img class=\"consent-signature\" alt=\"Drawn signature\" src=\"\(escape(png))\">" }
        html += "\n</article>"
        return html
    }
}
