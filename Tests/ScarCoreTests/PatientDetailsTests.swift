import ScarCore
import Testing

@Suite("Patient details")
struct PatientDetailsTests {
    let today = ISODate("2026-11-21")!

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
        #expect(ISODate("2024-02-29") != nil)
        #expect(ISODate("2100-02-29") == nil)
        #expect(ISODate("2000-02-29") != nil)
    }

    @Test func ageCountsWholeYears() throws {
        let p = Patient(id: .init(), clinicId: .init(), givenName: "A", familyName: "B", dateOfBirth: ISODate("1990-11-22")!, sex: .female,
                        mrn: "1", phone: nil, email: nil, createdAt: .init(), updatedAt: .init(), version: 1)
        #expect(p.age(on: today) == 35)
        #expect(p.age(on: ISODate("2026-11-22")!) == 36)
    }
}

@Suite("Search box")
struct PatientQueryTests {
    @Test func searchBoxUnderstandsDatesNamesAndNumbers() {
        #expect(PatientQuery.parse(nil) == .all)
        #expect(PatientQuery.parse("  ") == .all)
        #expect(PatientQuery.parse("1991-04-12") == .dateOfBirth(ISODate("1991-04-12")!))
        #expect(PatientQuery.parse("12.04.1991") == .dateOfBirth(ISODate("1991-04-12")!))
        #expect(PatientQuery.parse("12/04/1991") == .dateOfBirth(ISODate("1991-04-12")!))
        #expect(PatientQuery.parse("31.02.1991") == .text("31.02.1991"))
        #expect(PatientQuery.parse(" Boxcar ") == .text("Boxcar"))
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
