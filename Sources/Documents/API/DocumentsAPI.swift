import EGovCore
import EGovPlatform
import EGovWeb
import Fluent
import Vapor

/// The documents API (issue 14 §7): the document types, drafting an outgoing document, reading it with its
/// history, what the caller may do with it now, and taking an action (`submit`, `approve`, `return`, `issue`).
struct DocumentsAPI: RouteCollection {
    /// The largest edXML message taken: its attachments travel inside it in base64.
    static let maxEdXMLBytes = 100 * 1024 * 1024

    func boot(routes: any RoutesBuilder) throws {
        routes.get("document-types", use: types)
        routes.grouped(RequirePrincipal()).get("document-templates", use: templates)
        let documents = routes.grouped("documents").grouped(RequirePrincipal())
        // Attachments travel as base64 inside the JSON: up to 10 files of the upload limit each.
        documents.on(.POST, body: .collect(maxSize: "80mb"), use: create)
        documents.get { try await DocumentList.list($0) }
        documents.get("dashboard") { try await DocumentDashboard.show($0) }
        documents.get("registers", ":unit", ":book") { try await DocumentRegisters.csv($0) }
        // An edXML message with its attachments in base64: larger than a draft's JSON.
        documents.on(.POST, "incoming", body: .collect(maxSize: "80mb"), use: registerPaper)
        documents.on(.POST, "scans", body: .collect(maxSize: ByteCount(value: Self.maxEdXMLBytes)), use: receiveScan)
        documents.on(.POST, "incoming", "edxml", body: .collect(maxSize: ByteCount(value: Self.maxEdXMLBytes)), use: importEdXML)
        documents.get(":id", use: show)
        documents.get(":id", "files", ":file", use: file)
        documents.get(":id", "edxml", use: edXML)
        documents.get(":id", "actions", use: actions)
        documents.on(.POST, ":id", "actions", ":action", body: .collect(maxSize: "64kb"), use: take)
    }

    func types(_ req: Request) async throws -> ListDTO<DocumentTypeDTO> {
        let types = try await DocumentTypeModel.query(on: req.db).sort(\.$sortOrder).all()
        return ListDTO(items: types.map { DocumentTypeDTO(id: $0.id ?? "", name: $0.name, abbreviation: $0.abbreviation) })
    }

    func templates(_ req: Request) async throws -> ListDTO<DocumentTemplateDTO> {
        let templates = try await DocumentTemplateModel.query(on: req.db).sort(\.$sortOrder).all()
        return ListDTO(items: templates.map { DocumentTemplateDTO(id: $0.id ?? "", name: $0.name, type: $0.typeID, subject: $0.subject, body: $0.body) })
    }

    func create(_ req: Request) async throws -> Response {
        let principal = try req.principal()
        let input = try req.content.decode(DraftInput.self)
        let document = try await DocumentDrafting(services: req.egov, db: req.db).draft(input, by: principal, clientAddress: req.clientAddress)
        return try await created(document, req)
    }

    func registerPaper(_ req: Request) async throws -> Response {
        let principal = try req.principal()
        let input = try req.content.decode(PaperInput.self)
        let document = try await PaperRegistration.register(input, by: principal, clientAddress: req.clientAddress, services: req.egov, on: req.db)
        return try await created(document, req)
    }

    func created(_ document: DocumentModel, _ req: Request) async throws -> Response {
        let response = try await DocumentDTO.make(document, on: req.db).encodeResponse(status: .created, for: req)
        response.headers.replaceOrAdd(name: .location, value: "/api/v1/documents/\(try document.requireID().uuidString.lowercased())")
        return response
    }

    func importEdXML(_ req: Request) async throws -> Response {
        let principal = try req.principal()
        guard let body = req.body.data, body.readableBytes > 0 else {
            throw DocumentImport.refused(LocalizedText(vi: "Chưa gửi gói tin edXML.", en: "No edXML message was sent."))
        }
        guard body.readableBytes <= Self.maxEdXMLBytes else { throw EGovError.payloadTooLarge(maxBytes: Self.maxEdXMLBytes) }
        let (document, isNew) = try await DocumentImport.register(Data(body.readableBytesView), by: principal, clientAddress: req.clientAddress,
                                                                  services: req.egov, on: req.db)
        // A recall or a status message registers nothing: the document it names (the copy now waiting for the
        // clerk's answer, or the document sent from here with its recipients' statuses).
        guard isNew else { return try await DocumentDTO.make(document, on: req.db).encodeResponse(status: .ok, for: req) }
        return try await created(document, req)
    }

    /// `POST /api/v1/documents/scans?unit=CODE`, the scan as the body: a clerk digitises a paper document.
    func receiveScan(_ req: Request) async throws -> Response {
        let principal = try req.principal()
        guard let ext = ScanIntake.ext(contentType: req.headers.contentType?.serialize()) else {
            throw EGovError.validation([ValidationError(field: "Content-Type",
                vi: "Bản quét phải là application/pdf, image/png, image/jpeg hoặc image/tiff.",
                en: "A scan is application/pdf, image/png, image/jpeg or image/tiff.")])
        }
        let unit = try await PaperRegistration.receivingUnit(req.query[String.self, at: "unit"], of: principal, on: req.db)
        let limit = req.egov.configuration.maxUploadBytes
        guard let body = req.body.data else { throw ScanIntake.refused("Bản quét rỗng.", "The scan is empty.") }
        guard body.readableBytes <= limit else { throw EGovError.payloadTooLarge(maxBytes: limit) }
        let scan = try await ScanIntake.receive(Data(body.readableBytesView), ext: ext, fileName: req.headers.contentDisposition?.filename,
                                                at: unit, by: ActingParty(principal: principal, clientAddress: req.clientAddress),
                                                maxBytes: limit, services: req.egov, on: req.db)
        return try await created(scan, req)
    }

    func show(_ req: Request) async throws -> DocumentDTO {
        try await DocumentDTO.make(try await DocumentDrafting.readable(req), on: req.db)
    }

    func file(_ req: Request) async throws -> Response {
        try await DocumentFiles.download(req.parameters.get("file"), of: try await DocumentDrafting.readable(req), req)
    }

    /// The edXML message of an issued outgoing document, as it went (or goes) to its recipients.
    func edXML(_ req: Request) async throws -> Response {
        let document = try await DocumentDrafting.readable(req)
        // As it went, under the seal; a document issued before messages were kept is written again.
        let xml: String
        if let sha256 = document.edXMLSHA256 {
            xml = String(decoding: try req.egov.files.read(sha256: sha256), as: UTF8.self)
        } else {
            xml = EdXMLWriter.write(try await DocumentDelivery.message(for: document, services: req.egov, on: req.db),
                                    sentAt: document.issuedAt ?? req.egov.clock.now())
        }
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(type: "application", subType: "xml", parameters: ["charset": "utf-8"])
        return Response(status: .ok, headers: headers, body: .init(string: xml))
    }

    func actions(_ req: Request) async throws -> ListDTO<DocumentActionDTO> {
        let document = try await DocumentDrafting.readable(req)
        let process = try await DocumentDrafting.process(document.processID, on: req.db)
        let available = try DocumentDrafting.actions(on: document, for: try req.principal(), in: process)
        return ListDTO(items: available.map { DocumentActionDTO(id: $0.id, name: $0.name) })
    }

    func take(_ req: Request) async throws -> DocumentDTO {
        let document = try await DocumentDrafting.readable(req)
        let input = req.body.data == nil ? ActionInput() : try req.content.decode(ActionInput.self)
        try await DocumentDrafting(services: req.egov, db: req.db)
            .take(req.parameters.get("action") ?? "", on: document, input: input, by: try req.principal(), clientAddress: req.clientAddress)
        return try await DocumentDTO.make(document, on: req.db)
    }

    static var openAPI: OpenAPIContribution {
        let id = OA.pathParameter("id", "Mã (UUID) của văn bản")
        return OpenAPIContribution(
            paths: [
                "/api/v1/document-types": ["get": OA.operation(
                    "Danh mục loại văn bản hành chính (Nghị định 30/2020) với tên viết tắt; công văn và thư công không có tên viết tắt (null)",
                    tag: "documents", secured: false, ok: (200, "Các loại văn bản", OA.list(of: "DocumentType")), errors: [])],
                "/api/v1/document-templates": ["get": OA.operation(
                    "Mẫu văn bản của địa phương để soạn thảo: loại văn bản, trích yếu và nội dung gợi ý; gửi \"template\" khi tạo dự thảo để dùng nội dung của mẫu",
                    tag: "documents", ok: (200, "Các mẫu văn bản", OA.list(of: "DocumentTemplate")), errors: [])],
                "/api/v1/documents": ["get": OA.operation(
                    "Danh sách và tìm kiếm văn bản người gọi được xem (không phân biệt dấu, theo trích yếu, số ký hiệu và nội dung nhận dạng của bản quét; mỗi từ tìm phải là một từ trọn vẹn), mới nhất trước; lọc theo sổ của đơn vị, loại, trạng thái, cơ quan gửi",
                    tag: "documents",
                    parameters: OA.paging + [
                        ["name": "box", "in": "query", "description": "incoming (văn bản đến) hoặc outgoing (văn bản đi)",
                         "schema": ["type": "string", "enum": ["incoming", "outgoing"]]],
                        ["name": "q", "in": "query", "description": "Từ khóa: mỗi từ là một từ trọn vẹn của văn bản (“hoi nghi” tìm thấy “Hội nghị”, không thấy “thời gian nghỉ”)", "schema": ["type": "string", "maxLength": 200]],
                        ["name": "from", "in": "query", "description": "Từ ngày (2026-10-05)", "schema": ["type": "string", "format": "date"]],
                        ["name": "to", "in": "query", "description": "Đến ngày", "schema": ["type": "string", "format": "date"]],
                        ["name": "deadline", "in": "query", "description": "Theo hạn xử lý: on-time, at-risk (còn dưới 1 ngày làm việc), late (quá hạn)",
                         "schema": ["type": "string", "enum": ["on-time", "at-risk", "late"]]],
                        ["name": "unit", "in": "query", "description": "Theo sổ của đơn vị (mã định danh): cơ quan ban hành của văn bản đi, đơn vị nhận của văn bản đến",
                         "schema": ["type": "string", "maxLength": 40]],
                        ["name": "type", "in": "query", "description": "Theo loại văn bản (mã trong /api/v1/document-types)",
                         "schema": ["type": "string", "maxLength": 40, "pattern": "^[a-z0-9-]+$"]],
                        ["name": "status", "in": "query", "description": "Theo trạng thái: drafting, reviewing, approving, issuing, issued, recalled, registering, assigning, handling, done, refused, sent-on, recall-requested, update-requested",
                         "schema": ["type": "string", "maxLength": 40, "pattern": "^[a-z0-9-]+$"]],
                        ["name": "sender", "in": "query", "description": "Theo cơ quan gửi (mã định danh điện tử) của văn bản đến",
                         "schema": ["type": "string", "maxLength": 40]],
                    ],
                    ok: (200, "Một trang văn bản; khi tìm theo từ khóa mà có hơn \(DocumentSearch.countCap) văn bản, total là \(DocumentSearch.countCap) và totalExact là false",
                          OA.object(["items": ["type": "array", "items": OA.ref("DocumentItem")], "total": OA.integer,
                                     "totalExact": ["type": "boolean"]], required: ["items", "total", "totalExact"])), errors: [400]),
                    "post": OA.operation(
                    "Soạn dự thảo văn bản đi: loại, trích yếu, nơi nhận; văn bản đi theo quy trình soạn thảo → trưởng phòng → lãnh đạo → văn thư phát hành",
                    tag: "documents", body: OA.ref("DocumentDraft"), ok: (201, "Dự thảo đã tạo", OA.ref("Document")), errors: [400, 403, 404, 409, 413])],
                "/api/v1/documents/dashboard": ["get": OA.operation(
                    "Bảng điều hành của lãnh đạo: văn bản chờ mình xử lý; theo từng đơn vị được xem trong kỳ: văn bản đến (điện tử), đã phát hành, đang xử lý, quá hạn, tỷ lệ văn bản trao đổi điện tử",
                    tag: "documents",
                    parameters: [["name": "from", "in": "query", "description": "Từ ngày (mặc định: đầu năm)", "schema": ["type": "string", "format": "date"]],
                                 ["name": "to", "in": "query", "description": "Đến ngày (mặc định: hôm nay)", "schema": ["type": "string", "format": "date"]]],
                    ok: (200, "Bảng điều hành", OA.ref("DocumentDashboard")), errors: [400])],
                "/api/v1/documents/registers/{unit}/{book}": ["get": OA.operation(
                    "Sổ văn bản đi (outgoing.csv) hoặc sổ văn bản đến (incoming.csv) của một đơn vị trong năm, dạng CSV (UTF-8) để in hoặc mở bằng bảng tính (Phụ lục IV Nghị định 30/2020)",
                    tag: "documents",
                    parameters: [OA.pathParameter("unit", "Mã định danh của đơn vị"), OA.pathParameter("book", "outgoing.csv hoặc incoming.csv"),
                                 OA.integerParameter("year", "Năm (mặc định: năm nay)", minimum: 2000, maximum: 2100)],
                    ok: (200, "Sổ văn bản", ["type": "string"]), okMediaType: "text/csv", errors: [400, 404])],
                "/api/v1/documents/incoming": ["post": OA.operation(
                    "Văn thư vào sổ một văn bản đến bản giấy: số đến tự cấp theo sổ văn bản đến của đơn vị trong năm; có mã cơ quan gửi và ngày văn bản thì bản giấy và bản điện tử của cùng văn bản chỉ vào sổ một lần",
                    tag: "documents", body: OA.ref("PaperDocument"), ok: (201, "Văn bản đến đã vào sổ", OA.ref("Document")),
                    errors: [400, 403, 409, 413, 503])],
                "/api/v1/documents/scans": ["post": OA.operation(
                    "Văn thư số hóa một văn bản giấy: tải bản quét (PDF hoặc ảnh, nhiều trang) làm thân yêu cầu; bản quét được giữ nguyên, chờ vào sổ trong hộp văn bản đến của đơn vị; máy chủ nhận dạng chữ (OCR, Tesseract tiếng Việt) ở chế độ nền rồi tìm được theo nội dung; ocr.status: pending, done, failed hoặc off (máy chủ chưa cài Tesseract)",
                    tag: "documents",
                    parameters: [["name": "unit", "in": "query", "description": "Đơn vị nhận (mặc định: đơn vị mà người gọi làm văn thư)",
                                  "schema": ["type": "string", "maxLength": 40]]],
                    body: ["type": "string", "format": "binary"], bodyMediaType: "application/pdf", alsoBodyMediaTypes: ["image/png", "image/jpeg", "image/tiff"],
                    ok: (201, "Văn bản số hóa đã tiếp nhận", OA.ref("Document")), errors: [400, 403, 413])],
                "/api/v1/documents/incoming/edxml": ["post": OA.operation(
                    "Văn thư vào sổ một gói tin edXML (QCVN 102:2016) gửi cho đơn vị của mình: không nhập lại gì, số đến tự cấp; gói tin hỏng, cụt, quá lớn, có DOCTYPE/ENTITY hoặc đã nhận rồi bị từ chối kèm lý do và không có gì được lưu. Gói tin thu hồi (BussinessDocType 1) không vào sổ gì mới: văn bản đã nhận chuyển cho văn thư đồng ý (15) hoặc từ chối (16) thu hồi; gói tin thay thế (3) vào sổ văn bản mới và yêu cầu thu hồi văn bản được thay thế; gói tin cập nhật (2) không vào sổ gì mới: văn bản đã nhận chuyển cho văn thư đồng ý (15: nhận trích yếu, nội dung, độ khẩn, loại và tệp mới, tệp cũ giữ làm phiên bản) hoặc từ chối (16) cập nhật. Gói tin trạng thái (StatusCode 01–06, 15, 16; ResponseFor/DocumentId) của cơ quan ngoài hệ thống về văn bản đã gửi cho họ do văn thư cơ quan ban hành đưa vào: thành trạng thái mới nhất của nơi nhận đó trên văn bản đi (gói tin cũ hơn trạng thái đã ghi không thay đổi gì)",
                    tag: "documents", body: ["type": "string"], bodyMediaType: "application/xml",
                    ok: (201, "Văn bản đến đã vào sổ", OA.ref("Document")),
                    alsoOk: [(200, "Gói tin thu hồi hoặc cập nhật: văn bản đã nhận, đang chờ văn thư xem xét; gói tin trạng thái: văn bản đi với trạng thái của các nơi nhận", OA.ref("Document"))],
                    errors: [400, 403, 409, 413, 503])],
                "/api/v1/documents/{id}": ["get": OA.operation(
                    "Chi tiết văn bản: số, ký hiệu (khi đã phát hành), trạng thái và lịch sử xử lý", tag: "documents",
                    parameters: [id], ok: (200, "Văn bản", OA.ref("Document")), errors: [404])],
                "/api/v1/documents/{id}/files/{file}": ["get": OA.operation(
                    "Tải một tệp của văn bản (mọi phiên bản được giữ; bản đã ký là bản hiện hành)", tag: "documents",
                    parameters: [id, OA.pathParameter("file", "Mã (UUID) của tệp")],
                    ok: (200, "Nội dung tệp", ["type": "string", "format": "binary"]), okMediaType: "application/octet-stream", errors: [404])],
                "/api/v1/documents/{id}/edxml": ["get": OA.operation(
                    "Gói tin edXML (QCVN 102:2016/BTTTT) của văn bản đi đã phát hành, như đã gửi: kèm tệp (base64), có chữ ký số (XML-DSig) con dấu của cơ quan ban hành trong edXMLHeader", tag: "documents",
                    parameters: [id], ok: (200, "Gói tin edXML", ["type": "string"]), okMediaType: "application/xml", errors: [404, 409])],
                "/api/v1/documents/{id}/actions": ["get": OA.operation(
                    "Các thao tác người gọi được thực hiện trên văn bản lúc này", tag: "documents",
                    parameters: [id], ok: (200, "Thao tác", OA.list(of: "DocumentAction")), errors: [404])],
                "/api/v1/documents/{id}/actions/{action}": ["post": OA.operation(
                    "Thực hiện một thao tác: submit (trình), approve (duyệt), return (trả lại, cần ghi chú), issue (văn thư cho số, ký hiệu, đóng dấu và gửi); với văn bản đến: register (vào sổ; văn bản số hóa cần details: loại, trích yếu, cơ quan gửi, số ký hiệu), refuse (từ chối tiếp nhận, cần ghi chú), assign (giao xử lý: assignees, người đầu là xử lý chính; watchers; dueAt), report (báo cáo tiến độ, cần ghi chú), forward (chuyển người xử lý: assignees, cần ghi chú), complete (hoàn thành, cần ghi chú); recall (thu hồi văn bản đã phát hành, cần lý do: nơi nhận thấy trạng thái 13), accept-recall (đồng ý thu hồi, 15), refuse-recall (từ chối thu hồi, cần lý do, 16)",
                    tag: "documents", parameters: [id, OA.pathParameter("action", "Mã thao tác")], body: OA.ref("DocumentActionInput"),
                    ok: (200, "Văn bản sau thao tác", OA.ref("Document")), errors: [400, 403, 404, 409, 413])],
            ],
            schemas: [
                "DocumentType": OA.object(["id": OA.string, "name": OA.string, "abbreviation": OA.nullableString],
                                          required: ["id", "name", "abbreviation"]),
                "DocumentAction": OA.object(["id": OA.string, "name": OA.string], required: ["id", "name"]),
                "DocumentItem": OA.object([
                    "id": ["type": "string", "format": "uuid"], "direction": OA.string, "type": OA.string, "subject": OA.string,
                    "notation": OA.nullableString, "senderNotation": OA.nullableString, "arrivalNumber": ["type": ["integer", "null"]],
                    "status": OA.string, "step": OA.string, "urgency": OA.string, "createdAt": ["type": "string", "format": "date-time"],
                    "issuedAt": ["type": ["string", "null"], "format": "date-time"], "dueAt": ["type": ["string", "null"], "format": "date-time"],
                    "deadline": OA.string,
                ], required: ["id", "direction", "type", "subject", "notation", "senderNotation", "arrivalNumber", "status", "step", "urgency",
                              "createdAt", "issuedAt", "dueAt", "deadline"]),
                "DocumentDraft": OA.object([
                    "type": ["type": "string", "description": "Mã loại văn bản (GET /api/v1/document-types)", "maxLength": 40],
                    "subject": ["type": "string", "minLength": 1, "maxLength": .int(DraftInput.maxSubject)],
                    "body": ["type": "string", "maxLength": .int(DraftInput.maxBody)],
                    "recipientCodes": ["type": "array", "maxItems": .int(DraftInput.maxRecipients),
                                       "items": ["type": "string", "description": "Mã định danh điện tử của đơn vị hoặc cơ quan nhận"]],
                    "urgency": ["type": "string", "enum": .array(DocumentUrgency.allCases.map { .string($0.rawValue) })],
                    "confidentiality": ["type": "string", "enum": .array(DocumentConfidentiality.allCases.map { .string($0.rawValue) })],
                    "unit": ["type": "string", "description": "Đơn vị soạn thảo (mặc định: đơn vị của người soạn)"],
                    "replaces": ["type": "string", "format": "uuid",
                                 "description": "Văn bản đi đã phát hành của cùng cơ quan ban hành mà văn bản này thay thế: khi văn bản này phát hành, văn bản cũ bị thu hồi"],
                    "template": ["type": "string", "maxLength": 60,
                                 "description": "Mẫu văn bản (GET /api/v1/document-templates) cùng loại: nội dung của mẫu khi không gửi body"],
                    "attachments": ["type": "array", "maxItems": .int(DocumentFiles.maxFiles), "description": "Tệp của văn bản (PDF để ký số) và phụ lục",
                                    "items": OA.object(["fileName": OA.string, "contentType": OA.string,
                                                        "contentBase64": ["type": "string", "contentEncoding": "base64"]],
                                                       required: ["fileName", "contentBase64"])],
                ], required: ["type", "subject", "recipientCodes"]),
                "DocumentTemplate": OA.object(["id": OA.string, "name": OA.string, "type": OA.string, "subject": OA.string, "body": OA.string],
                                              required: ["id", "name", "type", "subject", "body"]),
                "DocumentDashboard": OA.object([
                    "waiting": OA.integer, "from": ["type": "string", "format": "date-time"], "to": ["type": "string", "format": "date-time"],
                    "units": ["type": "array", "items": OA.object([
                        "code": OA.string, "name": OA.string, "incoming": OA.integer, "incomingElectronic": OA.integer, "issued": OA.integer,
                        "open": OA.integer, "overdue": OA.integer, "electronicShare": ["type": ["number", "null"]],
                    ], required: ["code", "name", "incoming", "incomingElectronic", "issued", "open", "overdue", "electronicShare"])],
                ], required: ["waiting", "from", "to", "units"]),
                "PaperDocument": OA.object([
                    "type": ["type": "string", "maxLength": 40], "subject": ["type": "string", "minLength": 1, "maxLength": .int(DraftInput.maxSubject)],
                    "senderName": ["type": "string", "minLength": 1, "maxLength": 300],
                    "senderCode": ["type": "string", "description": "Mã định danh điện tử của cơ quan gửi"],
                    "senderNotation": ["type": "string", "description": "Số, ký hiệu như in trên văn bản: 15/QĐ-UBND"],
                    "documentDate": ["type": "string", "format": "date"],
                    "urgency": ["type": "string", "enum": .array(DocumentUrgency.allCases.map { .string($0.rawValue) })],
                    "confidentiality": ["type": "string", "enum": .array(DocumentConfidentiality.allCases.map { .string($0.rawValue) })],
                    "unit": ["type": "string", "description": "Đơn vị nhận (mặc định: đơn vị mà người gọi làm văn thư)"],
                    "attachments": ["type": "array", "maxItems": .int(DocumentFiles.maxFiles), "description": "Bản quét và phụ lục",
                                    "items": OA.object(["fileName": OA.string, "contentType": OA.string,
                                                        "contentBase64": ["type": "string", "contentEncoding": "base64"]],
                                                       required: ["fileName", "contentBase64"])],
                ], required: ["type", "subject", "senderName", "senderNotation"]),
                "DocumentActionInput": OA.object([
                    "note": ["type": "string", "maxLength": .int(CaseHistory.maxNote)],
                    "assignees": ["type": "array", "maxItems": 20, "items": OA.string,
                                  "description": "Với assign (giao xử lý) và forward (chuyển người xử lý): người đầu là xử lý chính, sau đó là người phối hợp"],
                    "watchers": ["type": "array", "maxItems": 20, "items": OA.string,
                                 "description": "Với assign và forward: người theo dõi (được xem văn bản, không xử lý)"],
                    "dueAt": ["type": "string", "format": "date-time", "description": "Chỉ dùng với thao tác assign (văn bản đến)"],
                    "signingPin": ["type": "string", "maxLength": 64, "description": "Mã PIN ký số của người thực hiện, khi thao tác ký số (lãnh đạo duyệt)"],
                    "sealPin": ["type": "string", "maxLength": 64, "description": "Mã PIN con dấu số của cơ quan ban hành, khi thao tác đóng dấu (văn thư phát hành)"],
                    "details": OA.ref("PaperDocument"),
                    "changes": OA.object(["subject": ["type": "string", "maxLength": 1000,
                                                      "description": "Chỉ dùng với thao tác update (văn bản đi đã phát hành): trích yếu mới"],
                                          "body": ["type": "string", "maxLength": 200_000, "description": "Nội dung mới"]],
                                         required: []),
                    "recipientCodes": ["type": "array", "maxItems": 20, "items": ["type": "string", "maxLength": 40],
                                       "description": "Chỉ dùng với thao tác send-on (văn bản đến): mã các đơn vị khác trong hệ thống nhận văn bản chuyển tiếp"],
                ], required: []),
                "Document": OA.object([
                    "id": ["type": "string", "format": "uuid"], "direction": OA.string, "type": OA.string, "typeName": OA.string,
                    "subject": OA.string, "body": OA.nullableString, "urgency": OA.string, "confidentiality": OA.string,
                    "recipientCodes": ["type": "array", "items": OA.string], "draftingUnit": OA.string, "issuer": OA.string,
                    "number": ["type": ["integer", "null"]], "notation": OA.nullableString, "status": OA.string, "step": OA.string,
                    "stepName": OA.string, "issuedAt": ["type": ["string", "null"], "format": "date-time"],
                    "history": ["type": "array", "items": OA.ref("DocumentEvent")],
                    "files": ["type": "array", "items": OA.ref("DocumentFile")],
                    "senderCode": OA.nullableString, "senderName": OA.nullableString, "senderNotation": OA.nullableString,
                    "arrivalNumber": ["type": ["integer", "null"]],
                    "recipients": ["type": "array", "items": OA.ref("DocumentRecipient")],
                    "replaces": ["type": ["string", "null"], "format": "uuid",
                                 "description": "Văn bản mà văn bản này thay thế (văn bản đến: bản đã nhận trước của nơi gửi)"],
                    "recall": ["oneOf": [["type": "null"], OA.object([
                        "status": ["type": "string", "enum": ["requested", "accepted", "refused"]], "reason": OA.nullableString,
                    ], required: ["status", "reason"])], "description": "Văn bản đến mà nơi gửi yêu cầu thu hồi: trạng thái và lý do"],
                    "ocr": ["oneOf": [["type": "null"], OA.object([
                        "status": ["type": "string", "enum": ["pending", "running", "done", "failed", "off"]],
                        "confidence": ["type": ["number", "null"], "minimum": 0, "maximum": 1], "text": OA.nullableString,
                    ], required: ["status", "confidence", "text"])]],
                    "participants": ["type": "array", "description": "Người phối hợp xử lý và người theo dõi (khi giao hoặc chuyển xử lý)",
                                     "items": OA.object(["username": OA.string, "name": OA.string,
                                                         "role": ["type": "string", "enum": ["co-handler", "watcher"]]],
                                                        required: ["username", "name", "role"])],
                ], required: ["id", "direction", "type", "typeName", "subject", "body", "urgency", "confidentiality", "recipientCodes",
                              "draftingUnit", "issuer", "number", "notation", "status", "step", "stepName", "issuedAt", "history", "files",
                              "senderCode", "senderName", "senderNotation", "arrivalNumber", "recipients", "ocr", "replaces", "recall",
                              "participants"]),
                "DocumentRecipient": OA.object([
                    "code": OA.string, "statusCode": ["type": "string", "description": "Mã trạng thái edXML (01 đã đến, 02 từ chối, 03 đã vào sổ, 04 đã giao, 05 đang xử lý, 06 xong, 13 đã yêu cầu thu hồi, 15 đồng ý thu hồi, 16 từ chối thu hồi) hoặc queued (chờ trục liên thông)"],
                    "status": OA.string, "updatedAt": ["type": "string", "format": "date-time"],
                ], required: ["code", "statusCode", "status", "updatedAt"]),
                "DocumentFile": OA.object([
                    "id": ["type": "string", "format": "uuid"], "name": OA.string, "contentType": OA.string, "size": OA.integer,
                    "signed": ["type": "boolean"], "current": ["type": "boolean"], "verificationCode": OA.nullableString,
                ], required: ["id", "name", "contentType", "size", "signed", "current", "verificationCode"]),
                "DocumentEvent": OA.object([
                    "seq": OA.integer, "action": OA.string, "actionName": OA.string, "step": OA.string, "status": OA.string,
                    "actor": OA.string, "at": ["type": "string", "format": "date-time"], "note": OA.nullableString,
                ], required: ["seq", "action", "actionName", "step", "status", "actor", "at", "note"]),
            ])
    }
}

/// `{"items":[…]}`: a whole short list (no paging).
struct ListDTO<Item: Content>: Content {
    let items: [Item]
}

struct DocumentTypeDTO: Content {
    let id: String
    let name: String
    @NullEncodable var abbreviation: String?
}

struct DocumentTemplateDTO: Content {
    let id: String
    let name: String
    let type: String
    let subject: String
    let body: String
}

struct DocumentActionDTO: Content {
    let id: String
    let name: String
}

struct ActionInput: Content {
    var note: String?
    var assignees: [String]?
    /// Officers who follow the document without handling it (assign, forward).
    var watchers: [String]?
    var dueAt: Date?
    /// For an action that signs: the officer's signing PIN, and the issuing body's seal PIN.
    var signingPin: String?
    var sealPin: String?
    /// Registering a digitised document (a scan): what the clerk reads from the paper (required then, refused otherwise).
    var details: PaperInput?
    /// Sending an incoming document on (send-on): the codes of the other bodies of this installation it goes to.
    var recipientCodes: [String]?
    /// Updating an issued document (update): its new subject or content.
    var changes: DocumentChanges?
}

/// What an update of an issued document changes: its subject, its content, or both.
struct DocumentChanges: Content {
    var subject: String?
    var body: String?
}
