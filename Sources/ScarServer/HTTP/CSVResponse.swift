import Hummingbird
import HTTPTypes
import NIOCore

/// A CSV download (rows built with `CSV.row`, which neutralises spreadsheet formulas).
enum CSVResponse {
    static func download(_ text: String, filename: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/csv; charset=utf-8"
        headers[.contentDisposition] = "attachment; filename=\"\(filename)\""
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
