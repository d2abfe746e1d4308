import Foundation
import HTTPTypes
import Hummingbird
import ScarCore

/// A stored photo's bytes as an answer: its own type, shown inline, never cached (patient data).
enum ImageResponse {
    static func make(_ bytes: [UInt8], type: ImageMediaType) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = type.rawValue
        headers[.cacheControl] = "no-store"
        headers[.contentDisposition] = "inline"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
