import Foundation
import ScarCore
import ScarStore

/// Signing a session's chart: one write transaction that locks the patient, saves the chart as it
/// stands on the clinician's screen when one is given, re-checks the chart against today's devices and lots, evaluates the pre-session checklist, signs, completes the
/// linked appointment (moving a late series) and appends one `session.sign` audit entry. A
/// consent withdrawn or a screening changed by someone else is either seen here or waits until
/// this signature has landed; it can never slip in between the check and the signature.
public struct SignSession: Sendable {
    public struct Request: Sendable {
        public var sessionId: UUID
        public var expectedVersion: Int
        public var dayAnswers: DayAnswers?
        /// The chart as the clinician sees it when signing from the chart form; saved in the same
        /// transaction (a refusal saves nothing). Nil signs the draft as stored.
        public var onScreen: OnScreenChart?

        public init(sessionId: UUID, expectedVersion: Int, dayAnswers: DayAnswers?, onScreen: OnScreenChart? = nil) {
            self.sessionId = sessionId
            self.expectedVersion = expectedVersion
            self.dayAnswers = dayAnswers
            self.onScreen = onScreen
        }
    }

    /// A chart read from the form, with what the form could not read ("must be a number").
    public struct OnScreenChart: Sendable {
        public var chart: SessionChart.Input
        public var inputErrors: [FieldError]

        public init(chart: SessionChart.Input, inputErrors: [FieldError]) {
            self.chart = chart
            self.inputErrors = inputErrors
        }
    }

    public struct Signed: Sendable {
        public var session: SessionRecord
        /// The linked appointment, completed, and what moved in its series.
        public var completion: ScheduleRepository.Completion?
    }

    let database: ScarDatabase
    /// Runs inside the transaction after the decision and before the write; tests use it to try
    /// a concurrent change at the worst moment. Nil in the product.
    let decided: (@Sendable () async -> Void)?

    public init(_ database: ScarDatabase, decided: (@Sendable () async -> Void)? = nil) {
        self.database = database
        self.decided = decided
    }

    /// The signed session, or a `Refusal` naming each failed checklist item or chart field.
    /// A stale `expectedVersion` throws `StoreError.versionConflict`, a signed session `Refusal.sessionSigned`.
    public func callAsFunction(_ request: Request, by clinician: Clinician, actor: AuditActor, now: Date) async throws -> Signed {
        let decided = self.decided
        return try await database.write(unitOfWork: { tx in
            let clinicId = clinician.clinicId
            let draft = try await tx.session(id: request.sessionId, clinicId: clinicId)
            try await tx.lockPatient(draft.patientId, clinicId: clinicId)
            var session = try await tx.session(id: request.sessionId, clinicId: clinicId)
            guard session.status == .draft else { throw Refusal.sessionSigned }
            guard session.version == request.expectedVersion else { throw StoreError.versionConflict(current: session.version) }
            // The chart is checked again on the day of signing: a lot may have expired since the draft.
            let (limits, _) = try await tx.chartLimits(clinicId: clinicId, today: clinician.today)
            var edited: [String] = []
            if let onScreen = request.onScreen {
                let checked = try SessionDrafts.checked(onScreen.chart, limits: limits, linkErrors: onScreen.inputErrors)
                edited = SessionChart.changedFields(session.chart, checked.chart)
                if !edited.isEmpty {
                    try await tx.writeDraft(checked, over: session, now: now)
                    session = try await tx.session(id: session.id, clinicId: clinicId)
                }
            }
            if case .failure(let failure) = SessionChart.validate(SessionChart.Input(session.chart), limits: limits) {
                throw Refusal.invalid(failure.errors)
            }
            let gate = try await SessionChecklistReading.evaluate(session, dayAnswers: request.dayAnswers, today: clinician.today, in: tx)
            guard gate.result.passed, let consent = gate.consent else {
                throw Refusal(.conflict, "The pre-session checklist did not pass",
                              detail: gate.result.failures.map { "\($0.title): \($0.reason)" }.joined(separator: " | "),
                              fields: gate.result.failures.map { FieldError("checklist.\($0.id)", $0.reason) })
            }
            let postcare = try await tx.currentPostCare(for: session.chart.modality, clinicId: clinicId)
            await decided?()
            let completion = try await tx.signSession(id: session.id, clinicId: clinicId, expectedVersion: session.version,
                                                      checklist: gate.result, consentId: consent.id, postcareVersion: postcare.versionId,
                                                      planVersionId: gate.planVersionId, signerId: clinician.user.id, edited: edited,
                                                      by: actor, now: now)
            return Signed(session: try await tx.session(id: session.id, clinicId: clinicId), completion: completion)
        })
    }
}

/// The pre-session checklist as it stands, with today's answers (the preview before signing);
/// reads only, on one connection, and is not audited beyond the page or API read that shows it.
public struct CheckSession: Sendable {
    public struct Checked: Sendable {
        public var session: SessionRecord
        public var result: PreSessionChecklist.Result
    }

    let database: ScarDatabase
    public init(_ database: ScarDatabase) { self.database = database }

    public func callAsFunction(sessionId: UUID, dayAnswers: DayAnswers?, by clinician: Clinician) async throws -> Checked {
        try await database.read(unitOfWork: { tx in
            let session = try await tx.session(id: sessionId, clinicId: clinician.clinicId)
            let gate = try await SessionChecklistReading.evaluate(session, dayAnswers: dayAnswers, today: clinician.today, in: tx)
            return Checked(session: session, result: gate.result)
        })
    }
}
