import EGovPlatform
import EGovWeb
import Foundation
import Vapor

/// `/openapi.json`: the OpenAPI 3.1 description of every `/api/v1` route. A test fails when a
/// registered route is missing here, so the contract cannot drift from the code.
public enum OpenAPIDocument {
    static func response(for app: Application) throws -> Response {
        Response(status: .ok, headers: ["Content-Type": "application/json; charset=utf-8"],
                 body: .init(data: try json(modules: app.egov.modules)))
    }

    /// The document as pretty JSON (`egov openapi` prints it without a server).
    public static func json(modules: [any EGovModule]) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return try encoder.encode(document(modules: modules))
    }

    static func document(modules: [any EGovModule]) -> JSONValue {
        var paths: [String: JSONValue] = PlatformPaths.all
        var schemas: [String: JSONValue] = Schemas.all
        for module in modules {
            let contribution = module.openAPI()
            for (path, item) in contribution.paths { paths[path] = item }
            for (name, schema) in contribution.schemas { schemas[name] = schema }
        }
        return [
            "openapi": "3.1.0",
            "info": [
                "title": "Open eGov API",
                "version": "1.0.0",
                "description": "API của nền tảng chính quyền điện tử Open eGov. Lỗi trả về theo RFC 9457 (application/problem+json), trường `detail` bằng tiếng Việt (hoặc tiếng Anh khi `Accept-Language: en`).",
            ],
            "servers": [["url": "/"]],
            "paths": .object(paths),
            "components": [
                "securitySchemes": ["bearer": ["type": "http", "scheme": "bearer", "bearerFormat": "JWT"]],
                "schemas": .object(schemas),
            ],
        ]
    }
}

