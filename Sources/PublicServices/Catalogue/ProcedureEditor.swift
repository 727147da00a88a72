import EGovCore
import EGovPlatform
import Fluent
import Foundation
import Vapor

/// A procedure as administrators send it (`PUT /api/v1/procedures/{code}`, the edit page): the pack's
/// shape in JSON.
struct ProcedureInput: Content, Sendable {
    struct Component: Content, Sendable {
        var id: String
        var name: String
        var required: Bool?
        var copies: Int?
        var fileTypes: [String]?
        var form: Bool?
    }

    var name: String?
    var field: String?
    var level: String?
    /// `"commune"` or a list of unit codes.
    var units: UnitSelector?
    var onlineLevel: String?
    var processingDays: Int?
    var cutoffHour: Int?
    var process: String?
    var processByUnit: [String: String]?
    var fees: [Fee]?
    var legalBasis: [String]?
    var components: [Component]?
    var result: String?
}

/// Administrators edit the catalogue between pack imports: every rule the pack reader keeps is kept
/// here too, and every change is audited.
struct ProcedureEditor: Sendable {
    let services: PlatformServices
    let db: any Database

    /// Creates or replaces a procedure; returns whether it was new.
    @discardableResult
    func save(code: String, _ input: ProcedureInput, by principal: Principal, clientAddress: String?) async throws -> Bool {
        let procedure = try await check(code: code, input)
        let units = try await UnitModel.query(on: db).all()
        let communes = units.filter { $0.unitType == .commune }.map(\.code).sorted()
        let unitCodes: [String] = switch procedure.units {
        case .everyCommune: communes
        case .units(let codes): codes
        }
        let existing = try await ProcedureModel.query(on: db).filter(\.$code == code).first()
        try await Self.requireScope(principal, procedure: code, alsoOver: unitCodes, on: db)
        let last = existing == nil ? try await ProcedureModel.query(on: db).max(\.$sortOrder) ?? -1 : -1
        let sortOrder = existing?.sortOrder ?? last + 1
        try await db.transaction { tx in
            try await CatalogueStore.save(procedure, unitCodes: unitCodes, sortOrder: sortOrder, existing: existing, on: tx)
            try await AuditLog.record(AuditEntry(actorID: principal.id, actorName: principal.username, unitCode: principal.primaryUnitCode,
                                                 action: existing == nil ? "procedure.create" : "procedure.update",
                                                 target: "procedure:\(code)", clientAddress: clientAddress, summary: procedure.name),
                                      at: services.clock.now(), on: tx)
        }
        return existing == nil
    }

    /// Removes a procedure nobody has applied for yet.
    func delete(code: String, by principal: Principal, clientAddress: String?) async throws {
        guard let model = try await ProcedureModel.query(on: db).filter(\.$code == code).first() else {
            throw EGovError.notFound(LocalizedText(vi: "Không có thủ tục hành chính mã “\(code)”.", en: "No procedure with code “\(code)”."))
        }
        try await Self.requireScope(principal, procedure: code, on: db)
        guard try await DossierModel.query(on: db).filter(\.$procedureCode == code).count() == 0 else {
            throw EGovError.conflict(ValidationError(field: "code", vi: "Thủ tục đã có hồ sơ nên không xóa được; hãy chuyển mức độ sang “none” hoặc sửa nội dung.",
                                                     en: "The procedure has dossiers and cannot be deleted; set its level to “none” or edit it instead."))
        }
        try await db.transaction { tx in
            try await ProcedureUnitModel.query(on: tx).filter(\.$procedureCode == code).delete()
            try await model.delete(on: tx)
            try await AuditLog.record(AuditEntry(actorID: principal.id, actorName: principal.username, unitCode: principal.primaryUnitCode,
                                                 action: "procedure.delete", target: "procedure:\(code)", clientAddress: clientAddress,
                                                 summary: model.name), at: services.clock.now(), on: tx)
        }
    }

    /// A change to a procedure affects every unit that decides it, before and after the change: the
    /// editor must manage the catalogue on each of them (a commune's administrator cannot change a
    /// province-wide procedure or its fees).
    static func requireScope(_ principal: Principal, procedure code: String, alsoOver more: [String] = [], on db: any Database) async throws {
        let codes = Set(try await CatalogueStore.unitCodes(of: code, on: db) + more)
        let units = try await UnitModel.query(on: db).filter(\.$code ~~ Array(codes)).all()
        let paths = Dictionary(units.map { ($0.code, $0.path) }, uniquingKeysWith: { first, _ in first })
        let outside = codes.filter { code in paths[code].map { !principal.can(OneStopPermission.catalogueManage, onUnitPath: $0) } ?? true }
        guard outside.isEmpty, principal.holds(OneStopPermission.catalogueManage) else {
            throw EGovError.forbiddenBecause(LocalizedText(
                vi: "Thủ tục này áp dụng cho đơn vị ngoài phạm vi quản lý của bạn (\(outside.sorted().prefix(5).joined(separator: ", "))).",
                en: "This procedure applies to units outside your scope (\(outside.sorted().prefix(5).joined(separator: ", ")))."))
        }
    }

    /// The procedure the input describes, or every problem with it at once.
    func check(code: String, _ input: ProcedureInput) async throws -> Procedure {
        var errors: [ValidationError] = []
        func fail(_ field: String, _ vi: String, _ en: String) { errors.append(ValidationError(field: field, vi: vi, en: en)) }
        let code = code.trimmingCharacters(in: .whitespaces)
        if code.isEmpty || code.count > 40 || code.contains("/") { fail("code", "Mã thủ tục không hợp lệ.", "Invalid procedure code.") }
        let name = (input.name ?? "").trimmingCharacters(in: .whitespacesAndNewlines).precomposedStringWithCanonicalMapping
        if name.isEmpty { fail("name", "Vui lòng nhập tên thủ tục.", "Please enter the procedure's name.") }
        let fields = try await CatalogueStore.document([ProcedureField].self, key: CatalogueStore.fieldsKey, on: db) ?? []
        let field = input.field ?? ""
        if !fields.contains(where: { $0.code == field }) { fail("field", "Lĩnh vực “\(field)” không có trong danh mục.", "Unknown field “\(field)”.") }
        let level = ProcedureLevel(rawValue: input.level ?? "")
        if level == nil { fail("level", "“level” phải là commune hoặc province.", "“level” must be commune or province.") }
        let onlineLevel = OnlineLevel(rawValue: input.onlineLevel ?? "")
        if onlineLevel == nil { fail("onlineLevel", "“onlineLevel” phải là full, partial hoặc none.", "“onlineLevel” must be full, partial or none.") }
        let days = input.processingDays ?? -1
        if !Procedure.processingDaysRange.contains(days) {
            fail("processingDays", "Thời hạn giải quyết phải từ 0 đến 365 ngày làm việc.", "Processing time must be 0…365 working days.")
        }
        if let cutoff = input.cutoffHour, !Procedure.cutoffHours.contains(cutoff) { fail("cutoffHour", "“cutoffHour” phải từ 0 đến 23.", "“cutoffHour” must be 0…23.") }
        let processes = try await CatalogueStore.processes(on: db)
        let process = input.process ?? ""
        for id in [process] + Array((input.processByUnit ?? [:]).values) where processes[id] == nil {
            fail("process", "Quy trình “\(id)” không có.", "No process “\(id)”.")
        }
        let units = input.units ?? .everyCommune
        let known = Set(try await UnitModel.query(on: db).all(\.$code))
        let named: [String] = if case .units(let codes) = units { codes } else { [] }
        for unit in named + Array((input.processByUnit ?? [:]).keys) where !known.contains(unit) {
            fail("units", "Không có đơn vị “\(unit)”.", "No unit “\(unit)”.")
        }
        if case .units(let codes) = units, codes.isEmpty { fail("units", "Cần ít nhất một đơn vị giải quyết.", "At least one deciding unit is needed.") }
        let fees = input.fees ?? []
        if fees.contains(where: { !VND.isValid($0.amount) || $0.name.isEmpty }) {
            fail("fees", "Phí, lệ phí cần tên và số tiền từ 0 đến \(VND.format(VND.maximum)).",
                 "Fees need a name and an amount from 0 to \(VND.format(VND.maximum)).")
        } else if fees.count > 50 || VND.total(fees.map(\.amount)) == nil {
            fail("fees", "Tổng phí, lệ phí không được vượt quá \(VND.format(VND.maximum)).",
                 "The fees may not add up to more than \(VND.format(VND.maximum)).")
        }
        var components: [DossierComponent] = []
        for component in input.components ?? [] {
            let id = component.id
            guard !id.isEmpty, id.allSatisfy({ ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "-" }),
                  !components.contains(where: { $0.id == id }), !component.name.isEmpty else {
                fail("components", "Mã thành phần “\(id)” không hợp lệ, bị trùng hoặc thiếu tên.", "Component “\(id)” is invalid, duplicated or unnamed.")
                continue
            }
            components.append(DossierComponent(id: id, name: component.name, required: component.required ?? true, copies: component.copies ?? 1,
                                               fileTypes: (component.fileTypes ?? []).map { $0.lowercased() }, isForm: component.form ?? false))
        }
        let result = (input.result ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if result.isEmpty { fail("result", "Vui lòng nêu kết quả giải quyết.", "Please name the result.") }
        guard errors.isEmpty, let level, let onlineLevel else { throw EGovError.validation(errors) }
        return Procedure(code: code, name: name, field: field, level: level, units: units, onlineLevel: onlineLevel, processingDays: days,
                         cutoffHour: input.cutoffHour, process: process, processByUnit: input.processByUnit ?? [:], fees: fees,
                         legalBasis: (input.legalBasis ?? []).filter { !$0.isEmpty }, components: components, result: result)
    }
}
