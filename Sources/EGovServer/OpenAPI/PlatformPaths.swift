import EGovCore
import EGovPlatform
import EGovWeb

/// The platform's own API operations.
enum PlatformPaths {
    static var all: [String: JSONValue] {
        [
            "/api/v1/auth/token": ["post": OA.operation(
                "Cấp mã truy cập (đăng nhập bằng tên đăng nhập, số định danh hoặc thư điện tử)", tag: "auth", secured: false,
                body: OA.ref("TokenRequest"), ok: (200, "Cặp mã truy cập và mã làm mới", OA.ref("TokenPair")), errors: [400, 401, 429])],
            "/api/v1/auth/refresh": ["post": OA.operation(
                "Đổi mã làm mới lấy cặp mã mới (mã cũ bị thu hồi)", tag: "auth", secured: false,
                body: OA.ref("RefreshRequest"), ok: (200, "Cặp mã mới", OA.ref("TokenPair")), errors: [400, 401])],
            "/api/v1/me": ["get": OA.operation(
                "Tài khoản đang đăng nhập, chức vụ và quyền theo đơn vị", tag: "auth",
                ok: (200, "Tài khoản", OA.ref("Me")), errors: [])],
            "/api/v1/me/password": ["post": OA.operation(
                "Đổi mật khẩu của chính mình; mọi phiên đăng nhập và mã truy cập cũ của tài khoản kết thúc", tag: "auth",
                body: OA.ref("PasswordChange"), ok: (204, "Đã đổi mật khẩu", nil), errors: [400, 429])],
            "/api/v1/units": ["get": OA.operation(
                "Danh sách đơn vị trong phạm vi quyền của người gọi", tag: "units",
                parameters: OA.paging + [OA.queryParameter("type", "Lọc theo loại đơn vị"), OA.queryParameter("parent", "Chỉ các đơn vị trực thuộc mã này")],
                ok: (200, "Một trang đơn vị", OA.page(of: "Unit")), errors: [400, 403, 404])],
            "/api/v1/units/{code}": ["get": OA.operation(
                "Một đơn vị theo mã định danh điện tử", tag: "units",
                parameters: [OA.pathParameter("code", "Mã định danh điện tử, ví dụ 000.00.00.H99")],
                ok: (200, "Đơn vị", OA.ref("Unit")), errors: [403, 404])],
            "/api/v1/users": [
                "get": OA.operation(
                    "Danh sách cán bộ trong phạm vi quyền của người gọi", tag: "users",
                    parameters: OA.paging + [OA.queryParameter("unit", "Chỉ cán bộ giữ chức vụ trong đơn vị (và đơn vị trực thuộc) có mã này")],
                    ok: (200, "Một trang người dùng", OA.page(of: "User")), errors: [400, 403, 404]),
                "post": OA.operation(
                    "Tạo tài khoản cán bộ tại một đơn vị (cần quyền users.manage trên đơn vị đó)", tag: "users",
                    body: OA.ref("CreateUser"), ok: (201, "Đã tạo", OA.ref("CreatedUser")), errors: [400, 403, 404, 409]),
            ],
            "/api/v1/users/{username}": ["get": OA.operation(
                "Một người dùng theo tên đăng nhập", tag: "users",
                parameters: [OA.pathParameter("username", "Tên đăng nhập")],
                ok: (200, "Người dùng", OA.ref("User")), errors: [403, 404])],
            "/api/v1/calendar/{year}": ["get": OA.operation(
                "Lịch ngày làm việc của một năm: mọi ngày thường được nghỉ (holiday, dayOff) và mọi ngày cuối tuần phải làm việc (workingDay)",
                tag: "calendar", secured: false,
                parameters: [OA.integerParameter("year", "Năm", minimum: RequestNumbers.years.lowerBound, maximum: RequestNumbers.years.upperBound,
                                                 in: "path")],
                ok: (200, "Các ngày khác tuần làm việc thông thường", OA.ref("CalendarYear")), errors: [400])],
            "/api/v1/calendar/due": ["get": OA.operation(
                "Ngày hẹn sau một số ngày làm việc, theo cùng quy tắc tính hạn hồ sơ", tag: "calendar", secured: false,
                parameters: [OA.queryParameter("from", "Thời điểm bắt đầu, ISO 8601 có múi giờ (ví dụ 2025-04-25T09:00:00+07:00)", required: true),
                             OA.integerParameter("days", "Số ngày làm việc", minimum: 0, maximum: CalendarAPI.maxDays, required: true),
                             OA.integerParameter("cutoffHour", "Giờ sau đó tính từ ngày làm việc kế tiếp (0–23)", minimum: 0, maximum: 23)],
                ok: (200, "Ngày hẹn", OA.ref("CalendarDue")), errors: [400])],
            "/api/v1/pki/ca.pem": ["get": OA.operation(
                "Chuỗi chứng thư của tổ chức chứng thực (CA) địa phương: CA cấp chứng thư ký số, rồi CA gốc (PEM)",
                tag: "pki", secured: false, ok: (200, "PEM", ["type": "string"]), okMediaType: "application/x-pem-file", errors: [409])],
            "/api/v1/pki/crl.pem": ["get": OA.operation(
                "Danh sách chứng thư số bị thu hồi (CRL) hiện hành của CA cấp chứng thư (PEM)", tag: "pki", secured: false,
                ok: (200, "PEM", ["type": "string"]), okMediaType: "application/x-pem-file", errors: [409])],
            "/api/v1/pki/tsa.pem": ["get": OA.operation(
                "Chứng thư số của dịch vụ cấp dấu thời gian (TSA, RFC 3161) của địa phương (PEM)", tag: "pki", secured: false,
                ok: (200, "PEM", ["type": "string"]), okMediaType: "application/x-pem-file", errors: [404])],
            "/api/v1/pki/tsa": ["post": OA.operation(
                "Cấp dấu thời gian (RFC 3161): thân yêu cầu là TimeStampReq (DER, băm SHA-256), trả về TimeStampResp (DER); yêu cầu không hợp lệ được trả lời bằng TimeStampResp trạng thái rejection kèm lý do",
                tag: "pki", secured: false, body: ["type": "string", "format": "binary"], bodyMediaType: "application/timestamp-query",
                ok: (200, "TimeStampResp", ["type": "string", "format": "binary"]), okMediaType: "application/timestamp-reply",
                errors: [400, 413, 429])],
            "/api/v1/pki/certificates/{serial}/revoke": ["post": OA.operation(
                "Thu hồi một chứng thư số (cần quyền users.manage trên đơn vị của người giữ và mật khẩu CA)", tag: "pki",
                parameters: [OA.pathParameter("serial", "Số sê-ri (hệ 16)")],
                body: OA.object(["reason": ["type": "string", "enum": .array(RevocationList.Reason.allCases.map { .string($0.rawValue) })],
                                 "caPassphrase": OA.string], required: ["reason", "caPassphrase"]),
                ok: (200, "Chứng thư đã thu hồi", OA.ref("SigningCertificate")), errors: [400, 403, 404, 409])],
            "/api/v1/pki/certificates": [
                "get": OA.operation(
                    "Chứng thư ký số của một cán bộ (cho chính cán bộ và người được xem tài khoản)", tag: "pki",
                    parameters: [OA.queryParameter("user", "Tên đăng nhập", required: true)],
                    ok: (200, "Các chứng thư", OA.ref("SigningCertificates")), errors: [400, 403, 404]),
                "post": OA.operation(
                    "Cấp chứng thư và khóa ký mới cho một cán bộ (user) hoặc con dấu số của một đơn vị (unit): cấp lần đầu, gia hạn, hoặc cấp lại khi khóa bị khóa / quên PIN; chứng thư đang dùng bị thu hồi (superseded). Cần quyền users.manage và mật khẩu CA; không gửi pin thì hệ thống tạo mã 6 số và trả về một lần",
                    tag: "pki",
                    body: OA.object(["user": OA.string, "unit": OA.string, "pin": ["type": "string", "minLength": 6, "maxLength": 64],
                                     "keyType": ["type": "string", "enum": .array(SigningKeyType.allCases.map { .string($0.rawValue) }),
                                                 "description": "Loại khóa: rsa-2048 (mặc định) hoặc ecdsa-p256"],
                                     "caPassphrase": OA.string], required: ["caPassphrase"]),
                    ok: (201, "Chứng thư đã cấp", OA.ref("IssuedCertificate")), errors: [400, 403, 404]),
            ],
            "/api/v1/pki/trusted/crl": ["post": OA.operation(
                "Nạp danh sách thu hồi (CRL, DER hoặc PEM) của một CA bên ngoài đã được tin cậy: chữ ký do chứng thư bị thu hồi trước thời điểm ký sẽ là “revoked” (quyền pki.manage ở đơn vị cấp cao nhất)",
                tag: "pki", body: ["type": "string", "format": "binary"], bodyMediaType: "application/pkix-crl",
                ok: (201, "CRL đã nạp", OA.object(["issuer": OA.string, "thisUpdate": ["type": "string", "format": "date-time"],
                                                   "nextUpdate": ["type": ["string", "null"], "format": "date-time"], "revoked": ["type": "integer"]],
                                                  required: ["issuer", "thisUpdate", "revoked"])),
                errors: [400, 403, 409, 413])],
            "/api/v1/pki/certificates/{serial}/pin": ["post": OA.operation(
                "Đổi mã PIN của khóa ký đang dùng (chính cán bộ; con dấu số: người được dùng con dấu). Sai PIN hiện tại được tính vào 5 lần khóa",
                tag: "pki", parameters: [OA.pathParameter("serial", "Số sê-ri (hệ 16)")],
                body: OA.object(["pin": OA.string, "newPin": ["type": "string", "minLength": 6, "maxLength": 64]], required: ["pin", "newPin"]),
                ok: (200, "Chứng thư (khóa đã đổi PIN)", OA.ref("SigningCertificate")), errors: [400, 403, 404, 409])],
            "/api/v1/pki/trusted": [
                "get": OA.operation("Các tổ chức chứng thực (CA) bên ngoài được tin cậy khi kiểm tra chữ ký", tag: "pki", secured: false,
                                    ok: (200, "Các CA", OA.ref("TrustedAuthorities")), errors: []),
                "post": OA.operation("Tin cậy thêm chứng thư CA bên ngoài (PEM, tối đa 20; cần quyền pki.manage ở đơn vị cấp cao nhất)",
                                     tag: "pki", body: ["type": "string"], bodyMediaType: "application/x-pem-file",
                                     ok: (201, "Các CA đã thêm", OA.ref("TrustedAuthorities")), errors: [400, 403, 413]),
            ],
            "/api/v1/signatures/pdf": ["post": OA.operation(
                "Ký số một tệp PDF bằng khóa ký từ xa của người gọi (PAdES, ETSI.CAdES.detached); mỗi lần ký cần mã PIN ký, sai 5 lần thì khóa. Chữ ký được gắn dấu thời gian (PAdES B-T) của dịch vụ cấp dấu thời gian của địa phương, hoặc của dịch vụ bên ngoài khi cấu hình EGOV_TSA_URL; dịch vụ đó không cấp được dấu thời gian hợp lệ thì trả 503 và không ký",
                tag: "signatures",
                parameters: [["name": "X-Signing-Pin", "in": "header", "required": true, "description": "Mã PIN ký",
                              "schema": ["type": "string", "minLength": 1, "maxLength": 64]],
                             OA.queryParameter("reason", "Lý do ký (tối đa 200 ký tự)"), OA.queryParameter("location", "Nơi ký (tối đa 200 ký tự)"),
                             OA.queryParameter("seal", "Mã đơn vị: ký bằng con dấu số của đơn vị (văn thư, lãnh đạo đơn vị; X-Signing-Pin là mã PIN của con dấu)"),
                             OA.queryParameter("visible", "Chữ ký hiển thị: true đặt ô chữ ký (người ký, đơn vị, thời gian) ở góc dưới bên phải trang cuối", type: "boolean")],
                body: ["type": "string", "format": "binary"], bodyMediaType: "application/pdf",
                ok: (200, "Tệp PDF đã ký", ["type": "string", "format": "binary"]), okMediaType: "application/pdf",
                errors: [400, 403, 404, 413, 503])],
            "/api/v1/signatures/xml": ["post": OA.operation(
                "Ký số một tài liệu XML (gói tin edXML) bằng chữ ký XML-DSig bao trong (enveloped, Canonical XML, RSA-SHA256, kèm chứng thư số); tài liệu có DOCTYPE hoặc đã có chữ ký bị từ chối",
                tag: "signatures",
                parameters: [["name": "X-Signing-Pin", "in": "header", "required": true, "description": "Mã PIN ký",
                              "schema": ["type": "string", "minLength": 1, "maxLength": 64]],
                             OA.queryParameter("seal", "Mã đơn vị: ký bằng con dấu số của đơn vị (X-Signing-Pin là mã PIN của con dấu)")],
                body: ["type": "string"], bodyMediaType: "application/xml",
                ok: (200, "Tài liệu XML đã ký", ["type": "string"]), okMediaType: "application/xml",
                errors: [400, 403, 404, 409, 413])],
            "/api/v1/signatures/verify": ["post": OA.operation(
                "Kiểm tra chữ ký số trên một tệp PDF (của hệ thống này hoặc công cụ ký khác, adbe.pkcs7.detached) hoặc một tài liệu XML (XML-DSig; signedAt là null, chứng thư được kiểm tra tại thời điểm hiện tại)",
                tag: "signatures",
                secured: false, body: ["type": "string", "format": "binary"], bodyMediaType: "application/pdf", alsoBodyMediaTypes: ["application/xml"],
                ok: (200, "Kết quả kiểm tra", OA.ref("SignatureVerification")), errors: [400, 413])],
            "/api/v1/citizens": ["post": OA.operation(
                "Công dân, doanh nghiệp tự đăng ký tài khoản", tag: "citizens", secured: false,
                body: OA.ref("CitizenRegistration"), ok: (201, "Đã đăng ký", OA.ref("User")), errors: [400, 409])],
        ]
    }
}

enum Schemas {
    static var all: [String: JSONValue] {
        [
            "Problem": OA.object([
                "type": OA.string, "title": OA.string, "status": OA.integer, "detail": OA.string,
                "errors": ["type": "array", "items": OA.object(["field": OA.string, "message": OA.string], required: ["field", "message"])],
            ], required: ["type", "title", "status", "detail"]),
            "PasswordChange": OA.object(["currentPassword": OA.string, "newPassword": OA.string],
                                        required: ["currentPassword", "newPassword"]),
            "TokenRequest": OA.object(["username": OA.string, "password": OA.string], required: ["username", "password"]),
            "RefreshRequest": OA.object(["refresh_token": OA.string], required: ["refresh_token"]),
            "TokenPair": OA.object([
                "access_token": OA.string, "refresh_token": OA.string, "token_type": ["type": "string", "const": "Bearer"],
                "expires_in": OA.integer,
            ], required: ["access_token", "refresh_token", "token_type", "expires_in"]),
            "CalendarYear": OA.object([
                "year": OA.integer,
                "days": ["type": "array", "items": OA.object([
                    "date": ["type": "string", "format": "date"],
                    "kind": ["type": "string", "enum": ["holiday", "dayOff", "workingDay"]],
                    "name": OA.string,
                ], required: ["date", "kind", "name"])],
            ], required: ["year", "days"]),
            "SigningCertificate": OA.object([
                "serial": OA.string, "subject": OA.string,
                "notBefore": ["type": "string", "format": "date-time"], "notAfter": ["type": "string", "format": "date-time"],
                "status": ["type": "string", "enum": ["valid", "revoked"]], "pem": OA.string,
            ], required: ["serial", "subject", "notBefore", "notAfter", "status", "pem"]),
            "TrustedAuthorities": OA.object(["items": ["type": "array", "items": OA.object([
                "subject": OA.string, "fingerprint": OA.string, "notAfter": ["type": "string", "format": "date-time"], "pem": OA.string,
            ], required: ["subject", "fingerprint", "notAfter", "pem"])]], required: ["items"]),
            "SignatureVerification": OA.object([
                "valid": ["type": "boolean"],
                "signatures": ["type": "array", "items": OA.object([
                    "signer": OA.nullableString, "unit": OA.nullableString,
                    "signedAt": ["type": ["string", "null"], "format": "date-time"], "intact": ["type": "boolean"],
                    "timeStamped": ["type": "boolean", "description": "signedAt lấy từ dấu thời gian hợp lệ (RFC 3161, PAdES B-T), không phải thời điểm người ký tự khai"],
                    "certificateStatus": ["type": "string", "enum": ["valid", "revoked", "expired", "untrusted", "unknown"]],
                    "subFilter": OA.nullableString, "coversWholeDocument": ["type": "boolean"],
                ], required: ["signer", "unit", "signedAt", "timeStamped", "intact", "certificateStatus", "coversWholeDocument"])],
            ], required: ["valid", "signatures"]),
            "IssuedCertificate": OA.object([
                "serial": OA.string, "subject": OA.string,
                "notBefore": ["type": "string", "format": "date-time"], "notAfter": ["type": "string", "format": "date-time"],
                "status": ["type": "string", "enum": ["valid", "revoked"]], "pem": OA.string,
                "pin": ["type": ["string", "null"], "description": "Mã PIN hệ thống tạo (chỉ khi không gửi pin), trả về một lần"],
                "superseded": ["type": "array", "items": OA.string],
            ], required: ["serial", "subject", "notBefore", "notAfter", "status", "pem", "superseded"]),
            "SigningCertificates": OA.object(["items": ["type": "array", "items": OA.ref("SigningCertificate")]], required: ["items"]),
            "CalendarDue": OA.object(["dueAt": ["type": "string", "format": "date-time"]], required: ["dueAt"]),
            "Unit": OA.object([
                "code": OA.string, "name": OA.string, "shortName": OA.string,
                "type": ["type": "string", "enum": ["province", "district", "commune", "department", "serviceCentre", "counter", "division"]],
                "parentCode": OA.nullableString,
            ], required: ["code", "name", "shortName", "type"]),
            "Position": OA.object([
                "unitCode": OA.string,
                "position": ["type": "string", "enum": .array(Position.allCases.map { .string($0.rawValue) })],
            ], required: ["unitCode", "position"]),
            "User": OA.object([
                "username": OA.string, "fullName": OA.string, "kind": ["type": "string", "enum": ["officer", "applicant"]],
                "email": OA.nullableString, "phone": OA.nullableString,
                "positions": ["type": "array", "items": OA.ref("Position")],
            ], required: ["username", "fullName", "kind", "positions"]),
            "Me": OA.object([
                "username": OA.string, "fullName": OA.string, "kind": OA.string,
                "positions": ["type": "array", "items": OA.ref("Position")],
                "permissions": ["type": "object", "additionalProperties": ["type": "array", "items": OA.string]],
            ], required: ["username", "fullName", "kind", "positions", "permissions"]),
            "CreateUser": OA.object([
                "username": OA.string, "fullName": OA.string, "email": OA.nullableString, "phone": OA.nullableString,
                "unitCode": OA.string, "positions": ["type": "array", "items": OA.string], "password": OA.nullableString,
            ], required: ["username", "fullName", "unitCode", "positions"]),
            "CreatedUser": OA.object(["user": OA.ref("User"), "initialPassword": OA.nullableString], required: ["user"]),
            "CitizenRegistration": OA.object([
                "fullName": OA.string, "idNumber": ["type": "string", "pattern": "^[0-9]{12}$"], "phone": OA.string,
                "email": OA.string, "password": OA.string,
            ], required: ["fullName", "idNumber", "phone", "email", "password"]),
        ]
    }
}
