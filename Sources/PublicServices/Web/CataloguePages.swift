@preconcurrency import Plot
import EGovCore
import EGovPlatform
import EGovWeb
import Fluent
import Vapor

/// The public catalogue: search (accent-insensitive), filters, a procedure's page.
struct CataloguePages: RouteCollection {
    static let perPage = 20

    func boot(routes: any RoutesBuilder) throws {
        routes.get(OneStopRoute.procedures(q: nil, field: nil, unit: nil, page: 1).pattern, use: search)
        routes.get(OneStopRoute.procedure(code: "").pattern, use: show)
    }

    func search(_ req: Request) async throws -> Response {
        let ctx = try await PageContext.make(for: req)
        let q = req.query[String.self, at: "q"]
        let field = req.query[String.self, at: "field"]
        let unit = req.query[String.self, at: "unit"]
        let level = req.query[String.self, at: "level"].flatMap(OnlineLevel.init(rawValue:))
        let page = try OneStopViews.pageNumber(req)
        let found = try await CatalogueSearch(q: q, field: field, unit: unit, level: level)
            .run(try Paging(page: page, perPage: Self.perPage), on: req.db)
        let fields = try await CatalogueStore.document([ProcedureField].self, key: CatalogueStore.fieldsKey, on: req.db) ?? []
        let deciding = Set(try await ProcedureUnitModel.query(on: req.db).all(\.$unitCode))
        let units = try await UnitModel.query(on: req.db).filter(\.$code ~~ Array(deciding)).sort(\.$sortOrder).all()
        let filters: Node<HTML.BodyContext> = .form(
            .method(.get), .action(Esc.attr(OneStopRoute.procedures(q: nil, field: nil, unit: nil, page: 1).path)), .class("filters"),
            Layout.field(ctx, name: "q", label: OneStopText.keyword, type: .search, value: q, required: false, hint: OneStopText.searchHint),
            Widgets.select(ctx, name: "field", label: OneStopText.field,
                                options: [("", ctx.t(OneStopText.allFields))] + fields.map { ($0.code, $0.name) }, selected: field),
            Widgets.select(ctx, name: "unit", label: OneStopText.unit,
                                options: [("", ctx.t(OneStopText.allUnits))] + units.map { ($0.code, $0.name) }, selected: unit),
            Widgets.select(ctx, name: "level", label: OneStopText.onlineLevel,
                                options: [("", ctx.t(OneStopText.allLevels))] + OnlineLevel.allCases.map { ($0.rawValue, ctx.t($0.label)) },
                                selected: level?.rawValue),
            .button(.type(.submit), .text(ctx.t(OneStopText.search))))
        let list: Node<HTML.BodyContext> = .ul(.class("cards"), .forEach(found.procedures) { procedure in
            .li(.a(.href(Esc.attr(OneStopRoute.procedure(code: procedure.code).path)), .text(procedure.name)),
                .p(.class("meta"), .text("\(procedure.code) · \(fields.first { $0.code == procedure.field }?.name ?? procedure.field) · "
                    + "\(procedure.processingDays) \(ctx.t(OneStopText.workingDays)) · \(ctx.t(procedure.onlineLevel.label))")))
        })
        let canEdit = ctx.principal?.holds(OneStopPermission.catalogueManage) == true
        let create: Node<HTML.BodyContext> = .if(canEdit, .form(
            .method(.get), .action(Esc.attr(OneStopRoute.newProcedure(code: nil).path)), .class("filters"),
            Layout.field(ctx, name: "code", label: LocalizedText(vi: "Thêm thủ tục: mã thủ tục", en: "Add a procedure: its code"), required: true),
            .button(.type(.submit), .text(ctx.t(Strings.create)))))
        return Layout.page(ctx, title: ctx.t(OneStopText.procedures),
                           crumbs: OneStopViews.crumbs(ctx, [], last: ctx.t(OneStopText.procedures)), content: .group(
            filters, create,
            .p(.attribute(named: "role", value: "status"), .text("\(ctx.t(OneStopText.found)): \(found.total)")),
            list,
            Widgets.pager(ctx, page: page, perPage: Self.perPage, total: found.total) {
                OneStopRoute.procedures(q: q, field: field, unit: unit, level: level?.rawValue, page: $0).path
            }
        ))
    }

    func show(_ req: Request) async throws -> Response {
        let code = req.parameters.get("code") ?? ""
        guard let procedure = try await CatalogueStore.procedure(code: code, on: req.db) else {
            throw EGovError.notFound(LocalizedText(vi: "Không có thủ tục hành chính mã “\(code)”.", en: "No procedure with code “\(code)”."))
        }
        let ctx = try await PageContext.make(for: req)
        let fields = try await CatalogueStore.document([ProcedureField].self, key: CatalogueStore.fieldsKey, on: req.db) ?? []
        let unitCodes = try await CatalogueStore.unitCodes(of: code, on: req.db)
        let units = try await UnitModel.query(on: req.db).filter(\.$code ~~ unitCodes).sort(\.$sortOrder).all()
        let facts = OneStopViews.facts([
            (ctx.t(OneStopText.code), .code(.text(procedure.code))),
            (ctx.t(OneStopText.field), .text(fields.first { $0.code == procedure.field }?.name ?? procedure.field)),
            (ctx.t(OneStopText.onlineLevel), .text("\(ctx.t(procedure.onlineLevel.label)) (mức \(procedure.onlineLevel.legacyLevel))")),
            (ctx.t(OneStopText.processingTime), .text("\(procedure.processingDays) \(ctx.t(OneStopText.workingDays))")),
            (ctx.t(OneStopText.fees), .text(procedure.totalFee == 0 ? ctx.t(OneStopText.free) : VND.format(procedure.totalFee))),
            (ctx.t(OneStopText.result), .text(procedure.result)),
            (ctx.t(OneStopText.units), .text(units.count > 3 ? "\(units.count) \(ctx.t(Strings.units).lowercased())"
                : units.map(\.name).joined(separator: "; "))),
        ])
        let components: Node<HTML.BodyContext> = .ol(.forEach(procedure.components) { component in
            .li(.text(component.name),
                .text(" (\(component.required ? ctx.t(OneStopText.required) : ctx.t(OneStopText.optional)); "
                    + "\(ctx.t(OneStopText.accepted)): \(component.fileTypes.joined(separator: ", ")))"))
        })
        let edit: Node<HTML.BodyContext> = .if(ctx.principal?.holds(OneStopPermission.catalogueManage) == true,
            .p(.a(.href(Esc.attr(OneStopRoute.editProcedure(code: procedure.code).path)), .text(ctx.t(LocalizedText(vi: "Sửa thủ tục", en: "Edit"))))))
        return Layout.page(ctx, title: procedure.name, crumbs: OneStopViews.crumbs(ctx, [
            .init(title: ctx.t(OneStopText.procedures), href: OneStopRoute.procedures(q: nil, field: nil, unit: nil, page: 1).path),
        ], last: procedure.code), content: .group(
            facts, edit,
            Self.applyLink(ctx, procedure),
            .h2(.text(ctx.t(OneStopText.components))), components,
            .unwrap(procedure.fees.isEmpty ? nil : procedure.fees) { fees in
                .group(.h2(.text(ctx.t(OneStopText.fees))),
                       .ul(.forEach(fees) { fee in .li(.text("\(fee.name): \(VND.format(fee.amount))\(fee.note.map { " – \($0)" } ?? "")")) }))
            },
            .h2(.text(ctx.t(OneStopText.legalBasis))), .ul(.forEach(procedure.legalBasis) { .li(.text($0)) })
        ))
    }

    static func applyLink(_ ctx: PageContext, _ procedure: Procedure) -> Node<HTML.BodyContext> {
        let submit = OneStopRoute.submit(procedure: procedure.code).path
        switch ctx.principal?.kind {
        case .officer?:
            return .p(.a(.class("button"), .href(Esc.attr(submit)), .text(ctx.t(OneStopText.receiveAtCounter))))
        case .applicant?:
            return procedure.onlineLevel == .none ? .p(.text(ctx.t(OneStopText.notOnline)))
                : .p(.a(.class("button"), .id("apply"), .href(Esc.attr(submit)), .text(ctx.t(OneStopText.submitOnline))))
        case nil:
            return procedure.onlineLevel == .none ? .p(.text(ctx.t(OneStopText.notOnline)))
                : .p(.a(.class("button"), .id("apply"), .href(Esc.attr(SiteRoute.login(next: submit).path)), .text(ctx.t(OneStopText.signInToSubmit))))
        }
    }
}
