import EGovPlatform

/// `/openapi.json` entries of the dossier API: a contract outside systems (the national portal,
/// mobile apps, other provinces) code against.
extension DossiersAPI {
    static var openAPI: OpenAPIContribution {
        let code = OA.pathParameter("code", "Mã hồ sơ, ví dụ 000.00.20.H99-260921-0001")
        let dateTime: JSONValue = ["type": "string", "format": "date-time"]
        let nullableDateTime: JSONValue = ["type": ["string", "null"], "format": "date-time"]
        let deadline: JSONValue = ["type": "string", "enum": ["not-started", "on-time", "at-risk", "late", "paused", "finished-on-time", "finished-late"]]
        let status: JSONValue = ["type": "string", "enum": .array(DossierStatus.allCases.map { .string($0.rawValue) })]
        return OpenAPIContribution(
            paths: [
                "/api/v1/dossiers": [
                    "post": OA.operation(
                        "Nộp hồ sơ trực tuyến (công dân, doanh nghiệp) hoặc nhận hồ sơ tại quầy (cán bộ một cửa)", tag: "dossiers",
                        body: OA.ref("DossierSubmission"), ok: (201, "Hồ sơ đã tạo, kèm mã hồ sơ", OA.ref("Dossier")), errors: [400, 403]),
                    "get": OA.operation(
                        "Danh sách hồ sơ: của chính người nộp; hoặc của các đơn vị cán bộ được xem, khẩn cấp nhất trước", tag: "dossiers",
                        parameters: OA.paging + [
                            OA.queryParameter("unit", "Mã đơn vị (cán bộ): hồ sơ tiếp nhận hoặc giải quyết trong đơn vị"),
                            OA.queryParameter("status", "Trạng thái hồ sơ"),
                            OA.queryParameter("deadline", "on-time, at-risk (còn dưới 1 ngày làm việc) hoặc late"),
                            OA.queryParameter("procedure", "Mã thủ tục"),
                        ],
                        ok: (200, "Một trang hồ sơ", OA.page(of: "DossierSummary")), errors: [400, 403]),
                ],
                "/api/v1/dossiers/{code}": ["get": OA.operation(
                    "Chi tiết hồ sơ (người nộp hoặc cán bộ có thẩm quyền): trạng thái, hạn, lịch sử xử lý", tag: "dossiers",
                    parameters: [code], ok: (200, "Hồ sơ", OA.ref("Dossier")), errors: [403, 404])],
                "/api/v1/dossiers/{code}/actions": ["get": OA.operation(
                    "Các thao tác người gọi được thực hiện trên hồ sơ lúc này", tag: "dossiers",
                    parameters: [code], ok: (200, "Danh sách thao tác", OA.page(of: "DossierAction")), errors: [403, 404])],
                "/api/v1/dossiers/{code}/actions/{action}": ["post": OA.operation(
                    "Thực hiện một thao tác (tiếp nhận, yêu cầu bổ sung, bổ sung, phân công, xử lý, phê duyệt, trả kết quả, từ chối, rút hồ sơ…)",
                    tag: "dossiers", parameters: [code, OA.pathParameter("action", "Mã thao tác, ví dụ receive")],
                    body: OA.ref("DossierActionInput"), ok: (200, "Hồ sơ sau thao tác", OA.ref("Dossier")), errors: [400, 403, 404, 409])],
                "/api/v1/dossiers/{code}/files/{file}": ["get": OA.operation(
                    "Tải một tệp của hồ sơ", tag: "dossiers", parameters: [code, OA.pathParameter("file", "Mã tệp")],
                    ok: (200, "Nội dung tệp", nil), errors: [403, 404])],
                "/api/v1/queue": ["get": OA.operation(
                    "Hồ sơ chờ cán bộ xử lý, sắp xếp theo mức độ khẩn cấp (hạn sớm nhất trước)", tag: "dossiers",
                    parameters: OA.paging, ok: (200, "Một trang hồ sơ", OA.page(of: "DossierSummary")), errors: [400, 403])],
                "/api/v1/public/dossiers/{code}": ["get": OA.operation(
                    "Tra cứu tình trạng hồ sơ theo mã (công khai, không có thông tin cá nhân)", tag: "dossiers", secured: false,
                    parameters: [code], ok: (200, "Tình trạng hồ sơ", OA.ref("PublicDossier")), errors: [404])],
                "/api/v1/me/files": ["get": OA.operation(
                    "Kho dữ liệu điện tử của người dùng: giấy tờ đã nộp và kết quả đã nhận, để dùng lại", tag: "dossiers",
                    parameters: OA.paging + [OA.queryParameter("kind", "submitted hoặc result"), OA.queryParameter("component", "Mã thành phần hồ sơ")],
                    ok: (200, "Một trang tệp", OA.page(of: "PersonalFile")), errors: [400]),
                 "post": OA.operation(
                    "Gửi một tệp lớn vào kho dữ liệu điện tử (nội dung tệp là thân yêu cầu, được ghi thẳng xuống đĩa), rồi dùng mã tệp làm storedFileId khi nộp hồ sơ",
                    tag: "dossiers",
                    parameters: [OA.queryParameter("fileName", "Tên tệp, ví dụ giay-to.pdf"), OA.queryParameter("component", "Mã thành phần hồ sơ (không bắt buộc)")],
                    body: ["type": "string", "format": "binary"], bodyMediaType: "application/octet-stream", ok: (201, "Tệp đã lưu", OA.ref("PersonalFile")), errors: [400, 403, 413])],
                "/api/v1/me/files/{file}": ["get": OA.operation(
                    "Tải một tệp trong kho dữ liệu điện tử", tag: "dossiers", parameters: [OA.pathParameter("file", "Mã tệp")],
                    ok: (200, "Nội dung tệp", nil), errors: [404])],
            ],
            schemas: [
                "Attachment": OA.object([
                    "componentId": OA.string, "fileName": OA.string, "contentType": OA.string,
                    "contentBase64": ["type": "string", "contentEncoding": "base64"],
                    "storedFileId": ["type": "string", "format": "uuid", "description": "Tệp trong kho dữ liệu điện tử (thay cho nội dung)"],
                ], required: []),
                "DossierSubmission": OA.object([
                    "procedureCode": OA.string, "unitCode": OA.string,
                    "receivingUnitCode": ["type": "string", "description": "UBND cấp xã nhận hồ sơ liên thông; quầy tiếp nhận của cán bộ"],
                    "resultDelivery": ["type": "string", "enum": ["counter", "post", "online"],
                                       "description": "Hình thức nhận kết quả (mặc định: online khi nộp trực tuyến, counter khi nộp tại quầy)"],
                    "applicant": OA.object(["fullName": OA.string, "idNumber": OA.string, "phone": OA.string, "email": OA.string,
                                            "address": OA.string], required: []),
                    "form": ["type": "object"],
                    "attachments": ["type": "array", "items": OA.ref("Attachment")],
                ], required: ["procedureCode", "unitCode"]),
                "DossierActionInput": OA.object([
                    "note": OA.string, "assignee": ["type": "string", "description": "Tên đăng nhập của cán bộ nhận bước tiếp theo"],
                    "unit": ["type": "string", "description": "Với thao tác consult: mã đơn vị được xin ý kiến"],
                    "attachments": ["type": "array", "items": OA.ref("Attachment"),
                                    "description": "Với thao tác ký số kết quả (sign không rỗng): các tệp kết quả PDF; bản đã ký thay bản gửi lên"],
                    "signingPin": ["type": "string", "maxLength": 64,
                                   "description": "Mã PIN ký số của người thực hiện, khi thao tác có sign chứa officer"],
                    "sealPin": ["type": "string", "maxLength": 64,
                                "description": "Mã PIN con dấu số của đơn vị giải quyết, khi thao tác có sign chứa seal"],
                ], required: []),
                "DossierAction": OA.object([
                    "id": OA.string, "name": OA.string, "needsNote": ["type": "boolean"],
                    "sign": ["type": "array", "items": ["type": "string", "enum": ["officer", "seal"]],
                             "description": "Chữ ký số thao tác đặt lên tệp kết quả, theo thứ tự: officer (người thực hiện), seal (con dấu số của đơn vị)"],
                ], required: ["id", "name", "needsNote", "sign"]),
                "DossierEvent": OA.object([
                    "seq": OA.integer, "action": OA.string, "actionName": OA.string, "step": OA.string, "stepName": OA.string,
                    "status": status, "actor": OA.string, "at": dateTime, "note": OA.nullableString, "assignee": OA.nullableString,
                    "files": ["type": "array", "items": OA.string], "stepOnTime": ["type": ["boolean", "null"]],
                ], required: ["seq", "action", "actionName", "step", "status", "actor", "at"]),
                "DossierFile": OA.object([
                    "id": OA.string, "componentId": OA.nullableString, "kind": ["type": "string", "enum": ["attachment", "result"]],
                    "name": OA.string, "contentType": OA.string, "size": OA.integer, "url": OA.string,
                    "verificationCode": ["type": "string", "description": "Mã kiểm tra của kết quả đã ký số: /kiem-tra-chu-ky?ma=…"],
                ], required: ["id", "kind", "name", "url"]),
                "Dossier": OA.object([
                    "code": OA.string, "status": status, "statusName": OA.string, "procedureCode": OA.string, "procedureName": OA.string,
                    "unitCode": OA.string, "receivingUnitCode": OA.string, "channel": ["type": "string", "enum": ["online", "counter"]],
                    "interLevel": ["type": "boolean"], "resultDelivery": ["type": "string", "enum": ["counter", "post", "online"]],
                    "consultedUnitCode": OA.nullableString,
                    "applicant": OA.object(["fullName": OA.string, "idNumber": OA.nullableString, "phone": OA.nullableString,
                                            "email": OA.nullableString, "address": OA.nullableString], required: ["fullName"]),
                    "form": ["type": "object"], "submittedAt": dateTime, "receivedAt": nullableDateTime, "dueAt": nullableDateTime,
                    "finishedAt": nullableDateTime, "deadline": deadline,
                    "currentStep": OA.object(["id": OA.string, "name": OA.string, "dueAt": nullableDateTime, "deadline": deadline,
                                              "assignee": OA.nullableString], required: ["id", "name"]),
                    "fee": OA.object(["amount": OA.integer, "paid": ["type": "boolean"], "paidAt": nullableDateTime], required: ["amount", "paid"]),
                    "supplementRequests": OA.integer,
                    "files": ["type": "array", "items": OA.ref("DossierFile")],
                    "history": ["type": "array", "items": OA.ref("DossierEvent")],
                ], required: ["code", "status", "receivedAt", "dueAt", "history"]),
                "DossierSummary": OA.object([
                    "code": OA.string, "procedureCode": OA.string, "procedureName": OA.string, "applicantName": OA.string,
                    "unitCode": OA.string, "receivingUnitCode": OA.string, "status": status, "statusName": OA.string,
                    "submittedAt": dateTime, "dueAt": nullableDateTime, "stepDueAt": nullableDateTime, "deadline": deadline,
                    "stepDeadline": deadline,
                ], required: ["code", "status", "dueAt", "deadline"]),
                "PublicDossier": OA.object([
                    "code": OA.string, "status": status, "statusName": OA.string, "dueAt": nullableDateTime, "currentStep": OA.string,
                    "procedureName": OA.string, "receivedAt": nullableDateTime, "finishedAt": nullableDateTime,
                ], required: ["code", "status", "statusName", "dueAt", "currentStep"]),
                "PersonalFile": OA.object([
                    "id": OA.string, "name": OA.string, "label": OA.string, "kind": ["type": "string", "enum": ["submitted", "result"]],
                    "contentType": OA.string, "size": OA.integer, "componentId": OA.nullableString, "source": OA.string, "usedAt": dateTime,
                ], required: ["id", "name", "kind"]),
            ])
    }
}

extension OpenAPIContribution {
    /// Several contributions as one (later ones win on a clash).
    static func merged(_ parts: [OpenAPIContribution]) -> OpenAPIContribution {
        var result = OpenAPIContribution()
        for part in parts {
            result.paths.merge(part.paths) { _, new in new }
            result.schemas.merge(part.schemas) { _, new in new }
        }
        return result
    }
}
