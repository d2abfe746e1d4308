import ScarCore
import Testing

@Suite("Patient details")
struct PatientDetailsTests {
    let today = CalendarDate("2026-11-21")!

    @Test func validDetailsAreTrimmed() throws {
        let input = PatientDetails.Input(givenName: "  Ivy ", familyName: "Boxcar", dateOfBirth: "1991-04-12", sex: "female", phone: " ")
        let d = try PatientDetails.validate(input, today: today).get()
        #expect(d.givenName == "Ivy")
        #expect(d.phone == nil)
        #expect(d.mrn == nil)
    }

    @Test func everyProblemIsReportedAtOnce() {
        let input = PatientDetails.Input(givenName: "", familyName: nil, dateOfBirth: "2027-01-01", sex: "robot", mrn: "a b",
                                         phone: "call me", email: "x@")
        guard case .failure(let f) = PatientDetails.validate(input, today: today) else { Issue.record("accepted"); return }
        #expect(f.errors.map(\.field) == ["givenName", "familyName", "dateOfBirth", "sex", "mrn", "phone", "email"])
    }

    @Test(arguments: ["2026-02-29", "1990-13-01", "1990-1-1", "19900101", "1899-12-31", "2026-11-22"])
    func impossibleOrFutureBirthDatesAreRefused(date: String) {
        let input = PatientDetails.Input(givenName: "A", familyName: "B", dateOfBirth: date)
        guard case .failure(let f) = PatientDetails.validate(input, today: today) else { Issue.record("accepted \(date)"); return }
        #expect(f.errors.map(\.field) == ["dateOfBirth"])
    }

    @Test func leapDayIsAValidBirthday() {
        #expect(CalendarDate("2024-02-29") != nil)
        #expect(CalendarDate("2100-02-29") == nil)
        #expect(CalendarDate("2000-02-29") != nil)
    }

    @Test func ageCountsWholeYears() throws {
        let p = Patient(id: .init(), clinicId: .init(), givenName: "A", familyName: "B", dateOfBirth: CalendarDate("1990-11-22")!, sex: .female,
                        mrn: "1", phone: nil, email: nil, createdAt: .init(), updatedAt: .init(), version: 1)
        #expect(p.age(on: today) == 35)
        #expect(p.age(on: CalendarDate("2026-11-22")!) == 36)
    }
}

@Suite("Search box")
struct PatientQueryTests {
    @Test func searchBoxUnderstandsDatesNamesAndNumbers() {
        #expect(PatientQuery.parse(nil) == .all)
        #expect(PatientQuery.parse("  ") == .all)
        #expect(PatientQuery.parse("1991-04-12") == .dateOfBirth(CalendarDate("1991-04-12")!))
        #expect(PatientQuery.parse("12.04.1991") == .dateOfBirth(CalendarDate("1991-04-12")!))
        #expect(PatientQuery.parse("12/04/1991") == .dateOfBirth(CalendarDate("1991-04-12")!))
        #expect(PatientQuery.parse("31.02.1991") == .text("31.02.1991"))
        #expect(PatientQuery.parse(" Boxcar ") == .text("Boxcar"))
    }

    /// Issue 11 item 9. Swift's `==` compares strings canonically ("Zoë" == "Zoe\u{308}"), the
    /// database compares bytes: these checks compare Unicode scalars.
    @Test func searchTermsAndNamesAreNFC() throws {
        let nfc = "Zo\u{EB}", nfd = "Zoe\u{308}"
        #expect(Array(nfc.unicodeScalars) != Array(nfd.unicodeScalars))
        guard case .text(let term) = PatientQuery.parse(" \(nfd) ") else { Issue.record("not a text query"); return }
        #expect(Array(term.unicodeScalars) == Array(nfc.unicodeScalars))
        let d = try PatientDetails.validate(.init(givenName: nfd, familyName: "A\u{30A}ngstro\u{308}m", dateOfBirth: "1990-01-01",
                                                  email: "zoe\u{308}@example.org"), today: CalendarDate("2026-01-01")!).get()
        #expect(Array(d.givenName.unicodeScalars) == Array(nfc.unicodeScalars))
        #expect(Array(d.familyName.unicodeScalars) == Array("\u{C5}ngstr\u{F6}m".unicodeScalars))
        #expect(Array(d.email!.unicodeScalars) == Array("zo\u{EB}@example.org".unicodeScalars))
    }

    @Test func pagesAreBounded() {
        #expect(PageRequest(page: 0, perPage: 1000).perPage == 100)
        #expect(PageRequest(page: -3).page == 1)
        #expect(PageRequest(page: 3, perPage: 10).offset == 20)
    }
}

@Suite("Password policy")
struct PasswordPolicyTests {
    @Test(arguments: ["short-pass", "password1234", "aaaaaaaaaaaa", "Password1234"])
    func weakPasswordsAreRefused(password: String) {
        #expect(!PasswordPolicy.problems(password).isEmpty)
    }

    @Test func passwordContainingTheEmailIsRefused() {
        #expect(!PasswordPolicy.problems("maria.lopez-2026!", email: "maria.lopez@clinic.example").isEmpty)
    }

    @Test func longUncommonPasswordIsAccepted() {
        #expect(PasswordPolicy.problems("Needle-Depth-0.5mm-ok").isEmpty)
    }
}
