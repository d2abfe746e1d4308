import Foundation
import ScarCore
import ScarStore
import ScarTestSupport
import Testing

@Suite("Patients in the store")
struct PatientRepositoryTests {
    let actor = AuditActor(clinicId: nil, userId: nil, label: "store-test", clientAddress: "127.0.0.1")

    @Test func registeredPatientGetsNextRecordNumberAndVersionOne() async throws {
        try await TestDatabase.with { db in
            let clinic = try await Fixtures.clinic(db)
            let repo = PatientRepository(db)
            let first = try await repo.register(Fixtures.details(), clinicId: clinic.id, by: actor)
            let second = try await repo.register(Fixtures.details(given: "Ola"), clinicId: clinic.id, by: actor)
            #expect(first.mrn == "ST-000001")
            #expect(second.mrn == "ST-000002")
            #expect(first.version == 1)
        }
    }

    @Test func assignedNumberSkipsOneTypedInByStaff() async throws {
        try await TestDatabase.with { db in
            let clinic = try await Fixtures.clinic(db)
            let repo = PatientRepository(db)
            _ = try await repo.register(Fixtures.details(mrn: "ST-000001"), clinicId: clinic.id, by: actor)
            let next = try await repo.register(Fixtures.details(given: "Ola"), clinicId: clinic.id, by: actor)
            #expect(next.mrn == "ST-000002")
        }
    }

    @Test func duplicateRecordNumberInSameClinicIsRefusedAndNothingIsWritten() async throws {
        try await TestDatabase.with { db in
            let clinic = try await Fixtures.clinic(db)
            let repo = PatientRepository(db)
            _ = try await repo.register(Fixtures.details(mrn: "A-1"), clinicId: clinic.id, by: actor)
            await #expect(throws: StoreError.duplicate(field: "mrn")) {
                _ = try await repo.register(Fixtures.details(given: "Other", mrn: "A-1"), clinicId: clinic.id, by: actor)
            }
            #expect(try await repo.count(clinicId: clinic.id) == 1)
            #expect(try await AuditRepository(db).verify().intact)
        }
    }

    @Test func searchFindsByNamePrefixDateOfBirthAndRecordNumber() async throws {
        try await TestDatabase.with { db in
            let clinic = try await Fixtures.clinic(db)
            let repo = PatientRepository(db)
            let ivy = try await repo.register(Fixtures.details(given: "Ivy", family: "Boxcar", dob: "1991-04-12", mrn: "R-77"), clinicId: clinic.id, by: actor)
            _ = try await repo.register(Fixtures.details(given: "Rolf", family: "Icepick", dob: "1985-01-30"), clinicId: clinic.id, by: actor)
            let page = PageRequest()
            #expect(try await repo.search(.text("box"), page: page, clinicId: clinic.id, by: actor).items.map(\.id) == [ivy.id])
            #expect(try await repo.search(.text("IVY"), page: page, clinicId: clinic.id, by: actor).items.map(\.id) == [ivy.id])
            #expect(try await repo.search(.parse("12.04.1991"), page: page, clinicId: clinic.id, by: actor).items.map(\.id) == [ivy.id])
            #expect(try await repo.search(.text("r-77"), page: page, clinicId: clinic.id, by: actor).items.map(\.id) == [ivy.id])
            #expect(try await repo.search(.text("%"), page: page, clinicId: clinic.id, by: actor).items.isEmpty)
            #expect(try await repo.search(.all, page: page, clinicId: clinic.id, by: actor).total == 2)
        }
    }

    @Test func searchPagesAreOrderedByFamilyName() async throws {
        try await TestDatabase.with { db in
            let clinic = try await Fixtures.clinic(db)
            let repo = PatientRepository(db)
            for family in ["Cobb", "Abel", "Baker", "Dunn", "Eades"] {
                _ = try await repo.register(Fixtures.details(family: family), clinicId: clinic.id, by: actor)
            }
            let second = try await repo.search(.all, page: PageRequest(page: 2, perPage: 2), clinicId: clinic.id, by: actor)
            #expect(second.items.map(\.familyName) == ["Cobb", "Dunn"])
            #expect(second.total == 5)
            #expect(second.pageCount == 3)
        }
    }

    @Test func otherClinicsPatientIsNotFound() async throws {
        try await TestDatabase.with { db in
            let mine = try await Fixtures.clinic(db)
            let theirs = try await Fixtures.clinic(db, name: "Other Clinic")
            let repo = PatientRepository(db)
            let patient = try await repo.register(Fixtures.details(), clinicId: theirs.id, by: actor)
            await #expect(throws: StoreError.notFound) {
                _ = try await repo.find(id: patient.id, clinicId: mine.id, by: actor)
            }
            #expect(try await repo.search(.all, page: PageRequest(), clinicId: mine.id, by: actor).total == 0)
        }
    }

    @Test func staleVersionIsRejectedAndStoredRecordIsUnchanged() async throws {
        try await TestDatabase.with { db in
            let clinic = try await Fixtures.clinic(db)
            let repo = PatientRepository(db)
            let p = try await repo.register(Fixtures.details(), clinicId: clinic.id, by: actor)
            let edited = try await repo.update(id: p.id, clinicId: clinic.id, expectedVersion: 1, by: actor) { _ in Fixtures.details(phone: "+44 20 1111 0001") }
            #expect(edited.version == 2)
            await #expect(throws: StoreError.versionConflict(current: 2)) {
                _ = try await repo.update(id: p.id, clinicId: clinic.id, expectedVersion: 1, by: actor) { _ in Fixtures.details(phone: "+44 20 9999 0002") }
            }
            let now = try await repo.find(id: p.id, clinicId: clinic.id, by: actor)
            #expect(now.phone == "+44 20 1111 0001")
            #expect(now.version == 2)
        }
    }

    @Test func concurrentEditsOfOneVersionLetExactlyOneWin() async throws {
        try await TestDatabase.with { db in
            let clinic = try await Fixtures.clinic(db)
            let repo = PatientRepository(db)
            let p = try await repo.register(Fixtures.details(), clinicId: clinic.id, by: actor)
            let actor = self.actor
            let outcomes = await withTaskGroup(of: Bool.self) { group in
                for i in 0..<8 {
                    group.addTask {
                        do {
                            _ = try await repo.update(id: p.id, clinicId: clinic.id, expectedVersion: 1, by: actor) { _ in
                                Fixtures.details(phone: "+44 20 7000 000\(i)")
                            }
                            return true
                        } catch { return false }
                    }
                }
                return await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 }.count == 1)
            #expect(try await repo.find(id: p.id, clinicId: clinic.id, by: actor).version == 2)
        }
    }
}
