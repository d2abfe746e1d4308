/// The patient page's cards, in the order they are read (and shown in the access log): each
/// feature offers its card; the Course and Charting cards are wrapped here as they stand.
enum PatientPageCards {
    static let registered: [PatientPageCard] = [
        ScreeningView.patientPageCard,
        AssessmentView.patientPageCard,
        PhotoStripView.patientPageCard,
        CheckInsView.patientPageCard,
        PatientView.accessLogCard,
        PatientPageCard(key: "course", order: 50) { id, context, services in
            try await ScheduleView.course(patientId: id, context: context, services: services)
        },
        PatientPageCard(key: "charting", order: 60) { id, context, services in
            try await ChartingPatientCard.data(patientId: id, context: context, services: services)
        },
        PlanView.patientPageCard,
        PortalInvitationController.patientPageCard,
    ]
}
