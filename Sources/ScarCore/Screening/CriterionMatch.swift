/// What a criterion found in an intake: optional wording for the reason, and for dated facts
/// the end of the rule's window (the lift date of a `defer` rule).
struct CriterionMatch: Sendable, Equatable {
    var detail: String?
    var windowEnd: CalendarDate?
}

extension ScreeningCriterion {
    /// Nil when the fact is absent, or when a dated fact's window ended on or before `asOf`
    /// (on the end date itself the rule no longer applies).
    func match(_ intake: Intake, asOf: CalendarDate, parameters: RuleParameters) -> CriterionMatch? {
        func when(_ condition: Bool, _ detail: String? = nil) -> CriterionMatch? {
            condition ? CriterionMatch(detail: detail) : nil
        }
        switch self {
        case .activeAcneInArea: return when(intake.activeAcneInArea)
        case .localInfectionInArea: return when(intake.localInfectionInArea)
        case .activeHerpesLabialis: return when(intake.activeHerpesLabialis)
        case .herpesHistory:
            return when(intake.herpesHistory,
                        "Antiviral prophylaxis planned: \(intake.antiviralProphylaxisPlanned ? "yes" : "not recorded").")
        case .eczemaPsoriasisModerateOrSevere:
            return when(intake.eczemaPsoriasisInArea >= .moderate, "Recorded severity: \(intake.eczemaPsoriasisInArea.rawValue).")
        case .anticoagulants: return when(intake.anticoagulants)
        case .bleedingDisorder: return when(intake.bleedingDisorder)
        case .immunosuppressed: return when(intake.immunosuppressed)
        case .chemotherapy: return when(intake.chemotherapy)
        case .pregnantOrBreastfeeding: return when(intake.pregnantOrBreastfeeding)
        case .keloidHistory: return when(intake.keloidHistory)
        case .isotretinoinCurrentOrRecent:
            switch intake.isotretinoin {
            case .never: return nil
            case .current: return CriterionMatch(detail: "Isotretinoin is current.")
            case .stopped(let on): return dated("Isotretinoin stopped on \(on)", on: on, asOf: asOf, parameters: parameters)
            }
        case .pacemakerOrImplantedDevice: return when(intake.pacemakerOrImplantedDevice)
        case .metalImplantsInArea: return when(intake.metalImplantsInArea)
        case .metalAllergy: return when(intake.metalAllergy, intake.metalAllergyDetail.map { "Metal: \($0)." })
        case .anestheticAllergy: return when(intake.anestheticAllergy, intake.anestheticAllergyDetail.map { "Agent: \($0)." })
        case .recentSunburn: return when(intake.recentSunburn)
        case .retinoidRecentlyStopped:
            guard let on = intake.retinoidStoppedOn else { return nil }
            return dated("Topical retinoid stopped on \(on)", on: on, asOf: asOf, parameters: parameters)
        case .recentChemicalPeel: return procedures(.chemicalPeel, intake, asOf: asOf, parameters: parameters)
        case .recentLaser: return procedures(.laser, intake, asOf: asOf, parameters: parameters)
        case .recentFiller: return procedures(.filler, intake, asOf: asOf, parameters: parameters)
        case .recentNeuromodulator: return procedures(.neuromodulator, intake, asOf: asOf, parameters: parameters)
        case .recentWaxing: return procedures(.waxing, intake, asOf: asOf, parameters: parameters)
        case .uncontrolledDiabetes: return when(intake.uncontrolledDiabetes)
        case .autoimmuneDisease: return when(intake.autoimmuneDisease)
        case .skinCancerInArea: return when(intake.skinCancerInArea)
        case .systemicInfection: return when(intake.systemicInfection)
        case .fitzpatrickIVtoVI:
            guard let type = intake.fitzpatrick, type >= .iv else { return nil }
            let method = intake.fitzpatrickMethod.map { " (\($0.rawValue))" } ?? ""
            return CriterionMatch(detail: "Recorded type: \(type.roman)\(method).")
        case .fitzpatrickNotRecorded: return when(intake.fitzpatrick == nil)
        case .fitzpatrickSelfReported:
            return when(intake.fitzpatrick != nil && intake.fitzpatrickMethod == .selfReported)
        }
    }

    /// A fact with a date: inside the window it matches and carries the window's end; with no
    /// window configured it always matches, with no end (the clinician judges "recent").
    private func dated(_ what: String, on: CalendarDate, asOf: CalendarDate,
                       parameters: RuleParameters) -> CriterionMatch? {
        guard let end = parameters.windowEnd(after: on), let window = parameters.windowDescription else {
            return CriterionMatch(detail: "\(what); no window is configured, so no end date is computed.")
        }
        guard asOf < end else { return nil }
        return CriterionMatch(detail: "\(what); the window of \(window) ends on \(end).", windowEnd: end)
    }

    /// Every procedure of one kind still inside the window; the latest window end wins.
    private func procedures(_ kind: RecentProcedure.Kind, _ intake: Intake, asOf: CalendarDate,
                            parameters: RuleParameters) -> CriterionMatch? {
        let matches = intake.recentProcedures.filter { $0.kind == kind }
            .compactMap { dated("Recorded \(kind.rawValue) on \($0.on)", on: $0.on, asOf: asOf, parameters: parameters) }
        guard !matches.isEmpty else { return nil }
        let detail = matches.compactMap(\.detail).joined(separator: " ")
        let ends = matches.map(\.windowEnd)
        // Any match without an end means the finding has no computable end either.
        let end: CalendarDate? = ends.contains(where: { $0 == nil }) ? nil : ends.compactMap { $0 }.max()
        return CriterionMatch(detail: detail, windowEnd: end)
    }
}
