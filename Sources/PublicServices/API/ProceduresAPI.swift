import EGovCore
import EGovPlatform
import Fluent
import EGovWeb
import Vapor

/// `GET /api/v1/procedures` (search the catalogue, public) and `GET /api/v1/procedures/{code}`.
struct ProceduresAPI: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let procedures = routes.grouped("procedures")
        procedures.get(use: list)
        procedures.get(":code", use: show)
        procedures.put(":code", use: save)
        procedures.delete(":code", use: delete)
    }

    func save(_ req: Request) async throws -> Response {
        let principal = try req.require(OneStopPermission.catalogueManage)
        let code = req.parameters.get("code") ?? ""
        let created = try await ProcedureEditor(services: req.egov, db: req.db)
            .save(code: code, try req.content.decode(ProcedureInput.self), by: principal, clientAddress: req.clientAddress)
        return try await show(req).encodeResponse(status: created ? .created : .ok, for: req)
    }

    func delete(_ req: Request) async throws -> HTTPStatus {
        let principal = try req.require(OneStopPermission.catalogueManage)
        try await ProcedureEditor(services: req.egov, db: req.db).delete(code: req.parameters.get("code") ?? "", by: principal,
                                                                         clientAddress: req.clientAddress)
        return .noContent
    }

    struct Item: Content {
        let code: String
        let name: String
        let field: String
        /// Online service level: full (toàn trình), partial (một phần) or none.
        let level: String
        let processingDays: Int
        let unitCodes: [String]
    }

    struct ComponentDTO: Content {
        let id: String
        let name: String
        let required: Bool
        let copies: Int
        let fileTypes: [String]
        let form: Bool
    }

    struct Detail: Content {
        let code: String
        let name: String
        let field: String
        let fieldName: String
        let level: String
        let legacyLevel: Int
        let decidedAt: String
        let processingDays: Int
        let cutoffHour: Int?
        let unitCodes: [String]
        let components: [ComponentDTO]
        let fees: [Fee]
        let totalFee: Int
        let legalBasis: [String]
        let result: String
    }

    func list(_ req: Request) async throws -> PageDTO<Item> {
        let paging = try Paging(req)
        var level: OnlineLevel?
        if let raw = req.query[String.self, at: "level"], !raw.isEmpty {
            guard let value = OnlineLevel(rawValue: raw) else {
                throw EGovError.validation([ValidationError(field: "level", vi: "“level” phải là full, partial hoặc none.",
                                                            en: "“level” must be full, partial or none.")])
            }
            level = value
        }
        let found = try await CatalogueSearch(q: req.query[String.self, at: "q"], field: req.query[String.self, at: "field"],
                                              unit: req.query[String.self, at: "unit"], level: level).run(paging, on: req.db)
        return PageDTO(items: found.procedures.map { procedure in
            Item(code: procedure.code, name: procedure.name, field: procedure.field, level: procedure.onlineLevel.rawValue,
                 processingDays: procedure.processingDays, unitCodes: found.unitCodes[procedure.code] ?? [])
        }, total: found.total)
    }

    func show(_ req: Request) async throws -> Detail {
        let code = req.parameters.get("code") ?? ""
        guard let model = try await ProcedureModel.query(on: req.db).filter(\.$code == code).first() else {
            throw EGovError.notFound(LocalizedText(vi: "Không có thủ tục hành chính mã “\(code)”.", en: "No procedure with code “\(code)”."))
        }
        let procedure = try CatalogueStore.procedure(of: model)
        let fields = try await CatalogueStore.document([ProcedureField].self, key: CatalogueStore.fieldsKey, on: req.db) ?? []
        let units = try await Self.unitCodes(for: [code], on: req.db)
        return Detail(
            code: procedure.code, name: procedure.name, field: procedure.field,
            fieldName: fields.first { $0.code == procedure.field }?.name ?? procedure.field,
            level: procedure.onlineLevel.rawValue, legacyLevel: procedure.onlineLevel.legacyLevel, decidedAt: procedure.level.rawValue,
            processingDays: procedure.processingDays, cutoffHour: procedure.cutoffHour, unitCodes: units[code] ?? [],
            components: procedure.components.map {
                ComponentDTO(id: $0.id, name: $0.name, required: $0.required, copies: $0.copies, fileTypes: $0.fileTypes, form: $0.isForm)
            },
            fees: procedure.fees, totalFee: procedure.totalFee, legalBasis: procedure.legalBasis, result: procedure.result)
    }

    static func unitCodes(for procedures: [String], on db: any Database) async throws -> [String: [String]] {
        guard !procedures.isEmpty else { return [:] }
        let rows = try await ProcedureUnitModel.query(on: db).filter(\.$procedureCode ~~ procedures).sort(\.$unitCode).all()
        return Dictionary(grouping: rows, by: \.procedureCode).mapValues { $0.map(\.unitCode) }
    }

    static var openAPI: OpenAPIContribution {
        OpenAPIContribution(
            paths: [
                "/api/v1/procedures": ["get": OA.operation(
                    "Tra cứu thủ tục hành chính (không phân biệt dấu: “khai sinh” tìm thấy “Đăng ký khai sinh”)", tag: "procedures",
                    secured: false,
                    parameters: OA.paging + [
                        OA.queryParameter("q", "Từ khóa, không phân biệt dấu"),
                        OA.queryParameter("field", "Mã lĩnh vực"),
                        OA.queryParameter("unit", "Mã định danh của đơn vị giải quyết"),
                        OA.queryParameter("level", "Mức độ dịch vụ công trực tuyến: full, partial, none"),
                    ],
                    ok: (200, "Một trang thủ tục", OA.page(of: "ProcedureItem")), errors: [400])],
                "/api/v1/procedures/{code}": [
                    "get": OA.operation(
                        "Chi tiết thủ tục: thành phần hồ sơ, phí, lệ phí, căn cứ pháp lý", tag: "procedures", secured: false,
                        parameters: [OA.pathParameter("code", "Mã thủ tục hành chính, ví dụ 1.001193")],
                        ok: (200, "Thủ tục", OA.ref("ProcedureDetail")), errors: [404]),
                    "put": OA.operation(
                        "Tạo hoặc sửa thủ tục (quản trị): cùng các quy tắc như khi nạp gói địa phương", tag: "procedures",
                        parameters: [OA.pathParameter("code", "Mã thủ tục hành chính")], body: OA.ref("ProcedureInput"),
                        ok: (200, "Thủ tục sau khi lưu (201 khi tạo mới)", OA.ref("ProcedureDetail")), errors: [400, 403]),
                    "delete": OA.operation(
                        "Xóa thủ tục chưa có hồ sơ nào (quản trị)", tag: "procedures",
                        parameters: [OA.pathParameter("code", "Mã thủ tục hành chính")], ok: (204, "Đã xóa", nil), errors: [403, 404, 409]),
                ],
            ],
            schemas: [
                "ProcedureItem": OA.object([
                    "code": OA.string, "name": OA.string, "field": OA.string,
                    "level": ["type": "string", "enum": ["full", "partial", "none"]], "processingDays": OA.integer,
                    "unitCodes": ["type": "array", "items": OA.string],
                ], required: ["code", "name", "field", "level", "processingDays", "unitCodes"]),
                "ProcedureInput": OA.object([
                    "name": OA.string, "field": OA.string, "level": ["type": "string", "enum": ["commune", "province"]],
                    "units": ["oneOf": [["type": "string", "enum": ["commune"]], ["type": "array", "items": OA.string]]],
                    "onlineLevel": ["type": "string", "enum": ["full", "partial", "none"]], "processingDays": OA.integer,
                    "cutoffHour": ["type": ["integer", "null"]], "process": OA.string,
                    "processByUnit": ["type": "object", "additionalProperties": OA.string],
                    "fees": ["type": "array", "items": OA.ref("Fee")], "legalBasis": ["type": "array", "items": OA.string],
                    "components": ["type": "array", "items": OA.object([
                        "id": OA.string, "name": OA.string, "required": ["type": "boolean"], "copies": OA.integer,
                        "fileTypes": ["type": "array", "items": OA.string], "form": ["type": "boolean"],
                    ], required: ["id", "name"])],
                    "result": OA.string,
                ], required: ["name", "field", "level", "onlineLevel", "processingDays", "process", "result"]),
                "Fee": OA.object(["name": OA.string, "amount": ["type": "integer", "minimum": 0, "maximum": .int(VND.maximum)], "note": OA.nullableString], required: ["name", "amount"]),
                "DossierComponent": OA.object([
                    "id": OA.string, "name": OA.string, "required": ["type": "boolean"], "copies": OA.integer,
                    "fileTypes": ["type": "array", "items": OA.string], "form": ["type": "boolean"],
                ], required: ["id", "name", "required", "fileTypes"]),
                "ProcedureDetail": OA.object([
                    "code": OA.string, "name": OA.string, "field": OA.string, "fieldName": OA.string,
                    "level": ["type": "string", "enum": ["full", "partial", "none"]], "legacyLevel": OA.integer,
                    "decidedAt": ["type": "string", "enum": ["commune", "province"]], "processingDays": OA.integer,
                    "cutoffHour": ["type": ["integer", "null"]], "unitCodes": ["type": "array", "items": OA.string],
                    "components": ["type": "array", "items": OA.ref("DossierComponent")],
                    "fees": ["type": "array", "items": OA.ref("Fee")], "totalFee": OA.integer,
                    "legalBasis": ["type": "array", "items": OA.string], "result": OA.string,
                ], required: ["code", "name", "field", "level", "processingDays", "unitCodes", "components", "fees"]),
            ])
    }
}
