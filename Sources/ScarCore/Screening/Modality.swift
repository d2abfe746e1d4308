/// The procedure being screened for. Some rules apply to one modality only (an implanted
/// pacemaker matters for radiofrequency energy, not for mechanical needling).
public enum Modality: String, Sendable, Codable, CaseIterable, Hashable {
    case microneedling
    case rfMicroneedling = "rf-microneedling"
}
