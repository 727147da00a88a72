import EGovPlatform
import Foundation
import Vapor

/// `/openapi.json`: the OpenAPI 3.1 description of every `/api/v1` route. A test fails when a
/// registered route is missing here, so the contract cannot drift from the code.
public enum OpenAPIDocument {
    static func response(for app: Application) throws -> Response {
        Response(status: .ok, headers: ["Content-Type": "application/json; charset=utf-8"],
                 body: .init(data: try json(modules: app.egov.modules.map(\.id))))
    }

    /// The document as pretty JSON (`egov openapi` prints it without a server).
    public static func json(modules: [String] = BuiltInModules.all.map(\.id)) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return try encoder.encode(document(modules: modules))
    }

    static func document(modules: [String] = []) -> JSONValue {
        var paths: [String: JSONValue] = PlatformPaths.all
        for (path, item) in ModuleOpenAPI.paths { paths[path] = item }
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
                "schemas": .object(Schemas.all),
            ],
        ]
    }
}

/// Paths that modules add to the document; the one-stop-shop and later modules fill it.
enum ModuleOpenAPI {
    static var paths: [String: JSONValue] { [:] }
}

/// Small builders so each operation reads as one line of intent.
enum OA {
    static func ref(_ name: String) -> JSONValue { ["$ref": .string("#/components/schemas/\(name)")] }

    static func json(_ schema: JSONValue) -> JSONValue { ["application/json": ["schema": schema]] }

    static let problem: JSONValue = ["application/problem+json": ["schema": ref("Problem")]]

    static func problems(_ codes: [Int]) -> [String: JSONValue] {
        let descriptions = [400: "Dữ liệu không hợp lệ", 401: "Chưa đăng nhập hoặc mã truy cập không hợp lệ", 403: "Không có quyền",
                            404: "Không tìm thấy", 409: "Xung đột dữ liệu", 429: "Tài khoản tạm khóa"]
        var responses: [String: JSONValue] = [:]
        for code in codes {
            responses[String(code)] = ["description": .string(descriptions[code] ?? "Lỗi"), "content": problem]
        }
        return responses
    }

    static func operation(_ summary: String, tag: String, secured: Bool = true, parameters: [JSONValue] = [],
                          body: JSONValue? = nil, ok: (Int, String, JSONValue?), errors: [Int]) -> JSONValue {
        var responses = problems(errors + (secured ? [401] : []))
        var success: [String: JSONValue] = ["description": .string(ok.1)]
        if let schema = ok.2 { success["content"] = json(schema) }
        responses[String(ok.0)] = .object(success)
        var operation: [String: JSONValue] = ["summary": .string(summary), "tags": [.string(tag)], "responses": .object(responses)]
        if !parameters.isEmpty { operation["parameters"] = .array(parameters) }
        if let body { operation["requestBody"] = ["required": true, "content": json(body)] }
        if secured { operation["security"] = [["bearer": []]] }
        return .object(operation)
    }

    static func pathParameter(_ name: String, _ description: String) -> JSONValue {
        ["name": .string(name), "in": "path", "required": true, "description": .string(description), "schema": ["type": "string"]]
    }

    static func queryParameter(_ name: String, _ description: String, type: String = "string") -> JSONValue {
        ["name": .string(name), "in": "query", "required": false, "description": .string(description), "schema": ["type": .string(type)]]
    }

    static let paging: [JSONValue] = [
        queryParameter("limit", "Số mục mỗi trang (1–200, mặc định 50)", type: "integer"),
        queryParameter("offset", "Bỏ qua bao nhiêu mục (mặc định 0)", type: "integer"),
    ]

    static func page(of item: String) -> JSONValue {
        ["type": "object", "required": ["items", "total"],
         "properties": ["items": ["type": "array", "items": ref(item)], "total": ["type": "integer"]]]
    }

    static func object(_ properties: [String: JSONValue], required: [String]) -> JSONValue {
        ["type": "object", "required": .array(required.map { .string($0) }), "properties": .object(properties)]
    }

    static let string: JSONValue = ["type": "string"]
    static let nullableString: JSONValue = ["type": ["string", "null"]]
    static let integer: JSONValue = ["type": "integer"]
}
