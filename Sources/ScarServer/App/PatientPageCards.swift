/// The patient page's cards, in the order they are filled: each feature offers its card; the
/// Course and Charting cards are wrapped here as they stand.
enum PatientPageCards {
    static let registered: [PatientPageCard] = [
        CourseBannerCard.patientPageCard,
        ScreeningView.patientPageCard,
        AssessmentView.patientPageCard,
        PhotoStripView.patientPageCard,
        CheckInsView.patientPageCard,
        PatientView.accessLogCard,
        PatientPageCard(key: "course", order: 50) { page, context in
            ScheduleView.courseCard(page.records.appointments, patientId: page.patient.id, feedLinks: page.records.calendarFeedLinks,
                                    zone: ScheduleView.zone(context), plans: page.records.plans)
        },
        PatientPageCard(key: "charting", order: 60) { page, context in
            ChartingPatientCard.data(page.records, context: context)
        },
        PlanView.patientPageCard,
        PortalInvitationController.patientPageCard,
    ]
}
