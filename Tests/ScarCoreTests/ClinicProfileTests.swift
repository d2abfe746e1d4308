import ScarCore
import Testing

@Suite("clinic profile")
struct ClinicProfileTests {
    static func input(name: String? = "Harbour Skin Clinic", address: String? = "12 Harbour Road\r\nPortsmouth PO1 2AB\n\n",
                      phone: String? = "+44 23 9200 0000", email: String? = "desk@harbour.example", zone: String? = "Europe/London") -> ClinicProfile.Input {
        ClinicProfile.Input(name: name, address: address, phone: phone, email: email, timeZone: zone)
    }

    @Test func aCompleteProfileKeepsAddressLinesAndReadsAsOneFooterLine() throws {
        let p = try ClinicProfile.validate(Self.input()).get()
        #expect(p.address == "12 Harbour Road\nPortsmouth PO1 2AB")
        #expect(p.isComplete)
        #expect(p.contactLine == "12 Harbour Road, Portsmouth PO1 2AB · +44 23 9200 0000 · desk@harbour.example")
        #expect(!ClinicProfile(name: "New", timeZone: "UTC").isComplete, "a clinic made by the installer asks for the rest")
        #expect((try? ClinicProfile.validate(Self.input(zone: "UTC")).get()) != nil, "the installer's default zone is a zone")
    }

    @Test(arguments: [
        (input(name: "", zone: "Mars/Olympus"), ["name", "timeZone"]),
        (input(phone: "call us maybe", email: "not-an-address"), ["phone", "email"]),
        (input(address: (1...7).map { "Line \($0)" }.joined(separator: "\n")), ["address"]),
        (input(name: "Two\u{0007}Lines"), ["name"]),
    ])
    func eachBadFieldIsNamed(_ input: ClinicProfile.Input, _ fields: [String]) {
        guard case .failure(let f) = ClinicProfile.validate(input) else {
            Issue.record("accepted \(input)")
            return
        }
        #expect(f.errors.map(\.field) == fields)
    }
}
