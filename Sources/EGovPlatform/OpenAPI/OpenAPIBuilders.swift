/// Builders for the OpenAPI document, shared by the platform and the modules.
/// Small builders so each operation reads as one line of intent.
public enum OA {
    public static func ref(_ name: String) -> JSONValue { ["$ref": .string("#/components/schemas/\(name)")] }

    public static func json(_ schema: JSONValue) -> JSONValue { ["application/json": ["schema": schema]] }

    public static let problem: JSONValue = ["application/problem+json": ["schema": ref("Problem")]]

    public static func problems(_ codes: [Int]) -> [String: JSONValue] {
        let descriptions = [400: "Dữ liệu không hợp lệ", 401: "Chưa đăng nhập hoặc mã truy cập không hợp lệ", 403: "Không có quyền",
                            404: "Không tìm thấy", 409: "Xung đột dữ liệu", 413: "Dữ liệu gửi lên quá lớn",
                            429: "Quá nhiều yêu cầu hoặc tài khoản tạm khóa", 503: "Dịch vụ chưa sẵn sàng hoặc đang bận"]
        var responses: [String: JSONValue] = [:]
        for code in codes {
            responses[String(code)] = ["description": .string(descriptions[code] ?? "Lỗi"), "content": problem]
        }
        return responses
    }

    public static func operation(_ summary: String, tag: String, secured: Bool = true, parameters: [JSONValue] = [],
                          body: JSONValue? = nil, bodyMediaType: String = "application/json", alsoBodyMediaTypes: [String] = [],
                          ok: (Int, String, JSONValue?), alsoOk: [(Int, String, JSONValue?)] = [],
                          okMediaType: String = "application/json", errors: [Int]) -> JSONValue {
        var responses = problems(errors + (secured ? [401] : []))
        for ok in [ok] + alsoOk {
            var success: [String: JSONValue] = ["description": .string(ok.1)]
            if let schema = ok.2 { success["content"] = [okMediaType: ["schema": schema]] }
            responses[String(ok.0)] = .object(success)
        }
        var operation: [String: JSONValue] = ["summary": .string(summary), "tags": [.string(tag)], "responses": .object(responses)]
        if !parameters.isEmpty { operation["parameters"] = .array(parameters) }
        if let body {
            var content: [String: JSONValue] = [:]
            for type in [bodyMediaType] + alsoBodyMediaTypes { content[type] = ["schema": body] }
            operation["requestBody"] = ["required": true, "content": .object(content)]
        }
        if secured { operation["security"] = [["bearer": []]] }
        return .object(operation)
    }

    public static func pathParameter(_ name: String, _ description: String) -> JSONValue {
        ["name": .string(name), "in": "path", "required": true, "description": .string(description), "schema": ["type": "string"]]
    }

    public static func queryParameter(_ name: String, _ description: String, type: String = "string", required: Bool = false) -> JSONValue {
        ["name": .string(name), "in": "query", "required": .bool(required), "description": .string(description), "schema": ["type": .string(type)]]
    }

    /// An integer parameter with the bounds its parser enforces (400 outside them); a path parameter is always required.
    public static func integerParameter(_ name: String, _ description: String, minimum: Int, maximum: Int, in place: String = "query",
                                        required: Bool = false) -> JSONValue {
        ["name": .string(name), "in": .string(place), "required": .bool(required || place == "path"), "description": .string(description),
         "schema": ["type": "integer", "minimum": .int(minimum), "maximum": .int(maximum)]]
    }

    public static let paging: [JSONValue] = [
        integerParameter("limit", "Số mục mỗi trang (1–\(Paging.maxLimit), mặc định 50)", minimum: 1, maximum: Paging.maxLimit),
        integerParameter("offset", "Bỏ qua bao nhiêu mục (0–\(Paging.maxOffset), mặc định 0)", minimum: 0, maximum: Paging.maxOffset),
    ]

    public static func page(of item: String) -> JSONValue {
        ["type": "object", "required": ["items", "total"],
         "properties": ["items": ["type": "array", "items": ref(item)], "total": ["type": "integer"]]]
    }

    /// `{"items":[…]}`: a whole short list, without paging.
    public static func list(of item: String) -> JSONValue {
        ["type": "object", "required": ["items"], "properties": ["items": ["type": "array", "items": ref(item)]]]
    }

    public static func object(_ properties: [String: JSONValue], required: [String]) -> JSONValue {
        ["type": "object", "required": .array(required.map { .string($0) }), "properties": .object(properties)]
    }

    public static let string: JSONValue = ["type": "string"]
    public static let nullableString: JSONValue = ["type": ["string", "null"]]
    public static let integer: JSONValue = ["type": "integer"]
}
