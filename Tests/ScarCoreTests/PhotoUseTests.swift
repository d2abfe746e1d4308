import ScarCore
import Testing

@Suite("Photo use needs photo consent beyond care")
struct PhotoUseTests {
    @Test func careNeedsNoPhotoConsentButEveryOtherUseDoes() {
        let none = PhotoUsePolicy.Consents(photoUse: false, research: false)
        #expect(PhotoUsePolicy.refusal(for: .care, consents: none) == nil)
        #expect(PhotoUsePolicy.refusal(for: .teaching, consents: none) == "no photo-use consent")
        #expect(PhotoUsePolicy.refusal(for: .research, consents: none) == "no photo-use consent")
        #expect(PhotoUsePolicy.refusal(for: .research, consents: .init(photoUse: false, research: true)) == "no photo-use consent")
        #expect(PhotoUsePolicy.refusal(for: .research, consents: .init(photoUse: true, research: false)) == "no research consent")
        #expect(PhotoUsePolicy.refusal(for: .research, consents: .init(photoUse: true, research: true)) == nil)
        #expect(PhotoUsePolicy.refusal(for: .teaching, consents: .init(photoUse: true, research: false)) == nil)
    }

    @Test func sideViewsBelongToOneSide() {
        #expect(PhotoView.obliqueLeft.side == .left && PhotoView.lateralLeft.side == .left)
        #expect(PhotoView.obliqueRight.side == .right && PhotoView.lateralRight.side == .right)
        #expect(PhotoView.frontal.side == nil && PhotoView.closeUp.side == nil)
    }
}
