import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The OpenAPI 3.1 description of the JSON API, and the static files pages use. Both are
/// read once at start from the bundled resources.
enum DocsRoutes {
    static func add(to routes: Routes) {
        routes.api(.get, "/openapi.json", .anyone, "This API's OpenAPI 3.1 description") { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "application/json"
            headers[.cacheControl] = "no-cache"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: OpenAPIDocument.data)))
        }
    }
}

enum OpenAPIDocument {
    static let data: Data = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json", subdirectory: "API"),
              let data = try? Data(contentsOf: url) else { return Data("{}".utf8) }
        return data
    }()
}

enum StaticRoutes {
    static let files: [(name: String, type: String)] = [("app.css", "text/css; charset=utf-8"), ("app.js", "text/javascript; charset=utf-8")]

    static func add(to routes: Routes) throws {
        for file in files {
            guard let url = Bundle.module.url(forResource: file.name, withExtension: nil, subdirectory: "Static") else {
                throw ConfigurationError("Static file \(file.name) is missing from the build")
            }
            let bytes = try Data(contentsOf: url)
            routes.asset("/static/\(file.name)", "Static file \(file.name)") { _, _ in
                var headers = HTTPFields()
                headers[.contentType] = file.type
                headers[.cacheControl] = "public, max-age=3600"
                return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
            }
        }
    }
}
