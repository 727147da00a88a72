@preconcurrency import Plot
import EGovCore
import EGovPlatform
import EGovWeb
import Fluent
import Vapor

/// The administrator's page for one procedure: every field of the pack entry, lists one per line.
struct ProcedureEditPage: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(OneStopRoute.editProcedure(code: "").pattern, use: form)
        routes.post(OneStopRoute.editProcedure(code: "").pattern, use: save)
        routes.get(OneStopRoute.newProcedure(code: nil).pattern, use: new)
    }

    /// The form's fields: lists are text, one entry per line, parts separated by `|`.
    struct Form: Content {
        var name: String?
        var field: String?
        var level: String?
        var onlineLevel: String?
        var processingDays: String?
        var cutoffHour: String?
        var process: String?
        var units: String?
        var fees: String?
        var legalBasis: String?
        var components: String?
        var result: String?

        init() {}

        init(_ p: Procedure) {
            name = p.name
            field = p.field
            level = p.level.rawValue
            onlineLevel = p.onlineLevel.rawValue
            processingDays = String(p.processingDays)
            cutoffHour = p.cutoffHour.map(String.init)
            process = p.process
            units = switch p.units {
            case .everyCommune: "commune"
            case .units(let codes): codes.joined(separator: ", ")
            }
            fees = p.fees.map { "\($0.name) | \($0.amount)" + ($0.note.map { " | \($0)" } ?? "") }.joined(separator: "\n")
            legalBasis = p.legalBasis.joined(separator: "\n")
            components = p.components.map {
                "\($0.id) | \($0.name) | \($0.required ? "có" : "không") | \($0.copies) | \($0.fileTypes.joined(separator: ", ")) | \($0.isForm ? "có" : "không")"
            }.joined(separator: "\n")
            result = p.result
        }

        static func lines(_ text: String?) -> [[String]] {
            (text ?? "").split(whereSeparator: \.isNewline).map { $0.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) } }
                .filter { !$0.allSatisfy(\.isEmpty) }
        }

        static func yes(_ text: String?) -> Bool { ["có", "co", "x", "yes", "true", "1"].contains((text ?? "").lowercased()) }

        var input: ProcedureInput {
            let unitText = (units ?? "").trimmingCharacters(in: .whitespaces)
            let selector: UnitSelector = unitText.isEmpty || unitText == "commune" ? .everyCommune
                : .units(unitText.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
            return ProcedureInput(
                name: name, field: field, level: level, units: selector, onlineLevel: onlineLevel,
                processingDays: processingDays.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) },
                cutoffHour: cutoffHour.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }, process: process, processByUnit: nil,
                fees: Self.lines(fees).map { Fee(name: $0[0], amount: $0.count > 1 ? Int($0[1].replacingOccurrences(of: ".", with: "")) ?? -1 : 0,
                                                 note: $0.count > 2 ? $0[2] : nil) },
                legalBasis: Self.lines(legalBasis).map { $0.joined(separator: " | ") },
                components: Self.lines(components).map { parts in
                    ProcedureInput.Component(id: parts[0], name: parts.count > 1 ? parts[1] : "", required: parts.count > 2 ? Self.yes(parts[2]) : true,
                                             copies: parts.count > 3 ? Int(parts[3]) : 1,
                                             fileTypes: parts.count > 4 ? parts[4].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } : [],
                                             form: parts.count > 5 ? Self.yes(parts[5]) : false)
                },
                result: result)
        }
    }

    func new(_ req: Request) async throws -> Response {
        try req.require(OneStopPermission.catalogueManage)
        let code = (req.query[String.self, at: "code"] ?? "").trimmingCharacters(in: .whitespaces)
        guard !code.isEmpty else { return req.redirect(to: OneStopRoute.procedures(q: nil, field: nil, unit: nil, page: 1).path) }
        return req.redirect(to: OneStopRoute.editProcedure(code: code).path)
    }

    func form(_ req: Request) async throws -> Response {
        let principal = try req.require(OneStopPermission.catalogueManage)
        let code = req.parameters.get("code") ?? ""
        let procedure = try await CatalogueStore.procedure(code: code, on: req.db)
        if procedure != nil { try await ProcedureEditor.requireScope(principal, procedure: code, on: req.db) }
        return try await page(req, code: code, form: procedure.map(Form.init) ?? Form(), errors: [], notice: nil)
    }

    func save(_ req: Request) async throws -> Response {
        let principal = try req.require(OneStopPermission.catalogueManage)
        let code = req.parameters.get("code") ?? ""
        let form = try req.content.decode(Form.self)
        do {
            try await ProcedureEditor(services: req.egov, db: req.db).save(code: code, form.input, by: principal, clientAddress: req.clientAddress)
        } catch let error as EGovError where error.status == .badRequest {
            return try await page(req, code: code, form: form, errors: error.fieldErrors, notice: nil, status: .badRequest)
        }
        let ctx = try await PageContext.make(for: req)
        return try await page(req, code: code, form: form, errors: [], notice: ctx.t(Strings.saved))
    }

    func page(_ req: Request, code: String, form: Form, errors: [ValidationError], notice: String?,
              status: HTTPResponseStatus = .ok) async throws -> Response {
        let ctx = try await PageContext.make(for: req)
        let fields = try await CatalogueStore.document([ProcedureField].self, key: CatalogueStore.fieldsKey, on: req.db) ?? []
        let processes = try await CatalogueStore.processes(on: req.db).values.sorted { $0.id < $1.id }
        let body: Node<HTML.BodyContext> = .form(
            .method(.post), .action(Esc.attr(OneStopRoute.editProcedure(code: code).path)), .class("stack wide"),
            Layout.csrfField(ctx),
            Layout.field(ctx, name: "name", label: Strings.name, value: form.name, errors: errors),
            Widgets.select(ctx, name: "field", label: OneStopText.field, options: fields.map { ($0.code, $0.name) }, selected: form.field),
            Widgets.select(ctx, name: "level", label: LocalizedText(vi: "Cấp giải quyết", en: "Decided at"),
                                options: [("commune", "Cấp xã"), ("province", "Cấp tỉnh")], selected: form.level),
            Widgets.select(ctx, name: "onlineLevel", label: OneStopText.onlineLevel,
                                options: OnlineLevel.allCases.map { ($0.rawValue, ctx.t($0.label)) }, selected: form.onlineLevel),
            Layout.field(ctx, name: "processingDays", label: OneStopText.processingTime, type: .number, value: form.processingDays, errors: errors),
            Layout.field(ctx, name: "cutoffHour", label: LocalizedText(vi: "Giờ nhận cuối ngày (tùy chọn)", en: "Cut-off hour (optional)"),
                         type: .number, value: form.cutoffHour, required: false, errors: errors),
            Widgets.select(ctx, name: "process", label: LocalizedText(vi: "Quy trình", en: "Process"),
                                options: processes.map { ($0.id, $0.name) }, selected: form.process),
            Layout.field(ctx, name: "units", label: OneStopText.units, value: form.units, errors: errors,
                         hint: LocalizedText(vi: "“commune” (mọi UBND cấp xã) hoặc các mã đơn vị, cách nhau bởi dấu phẩy",
                                             en: "“commune” (every commune) or unit codes separated by commas")),
            Widgets.textarea(ctx, name: "fees", label: LocalizedText(vi: "Phí, lệ phí (mỗi dòng: tên | số tiền | ghi chú)",
                                                                          en: "Fees (one per line: name | amount | note)"), value: form.fees),
            Widgets.textarea(ctx, name: "legalBasis", label: OneStopText.legalBasis, value: form.legalBasis),
            Widgets.textarea(ctx, name: "components", label: LocalizedText(
                vi: "Thành phần hồ sơ (mỗi dòng: mã | tên | bắt buộc có/không | số bản | định dạng | tờ khai có/không)",
                en: "Components (one per line: id | name | required yes/no | copies | types | online form yes/no)"), value: form.components),
            Layout.field(ctx, name: "result", label: OneStopText.result, value: form.result, errors: errors),
            .button(.type(.submit), .text(ctx.t(Strings.save))))
        return Layout.page(ctx, title: "\(ctx.t(LocalizedText(vi: "Sửa thủ tục", en: "Edit procedure"))) \(code)", crumbs: OneStopViews.crumbs(ctx, [
            .init(title: ctx.t(OneStopText.procedures), href: OneStopRoute.procedures(q: nil, field: nil, unit: nil, page: 1).path),
            .init(title: code, href: OneStopRoute.procedure(code: code).path),
        ], last: ctx.t(Strings.save)), status: status, content: .group(
            .unwrap(notice) { Layout.notice($0) }, Layout.errorSummary(ctx, errors), body))
    }
}
