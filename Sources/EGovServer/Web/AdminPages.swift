@preconcurrency import Plot
import EGovCore
import EGovPlatform
import EGovWeb
import Fluent
import Vapor

/// Administration pages: units, users, roles, audit. Every page shows only what the signed-in
/// officer's positions cover, and refuses (403) a unit outside them.
struct AdminPages: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(SiteRoute.adminUnits.pattern, use: units)
        routes.get(SiteRoute.adminUnit(code: "").pattern, use: unit)
        routes.post(SiteRoute.adminUnit(code: "").pattern, use: updateUnit)
        routes.post(SiteRoute.adminUnitChildren(code: "").pattern, use: createUnit)
        routes.get(SiteRoute.adminUsers(unit: nil, page: 1).pattern, use: users)
        routes.post(SiteRoute.adminUsers(unit: nil, page: 1).pattern, use: createUser)
        routes.get(SiteRoute.adminRoles.pattern, use: roles)
        routes.post(SiteRoute.adminRoles.pattern, use: grant)
        routes.get(SiteRoute.adminAudit.pattern, use: AuditPage.show)
    }

    static func crumbs(_ ctx: PageContext, _ last: String, middle: [Layout.Crumb] = []) -> [Layout.Crumb] {
        [.init(title: ctx.t(Strings.home), href: SiteRoute.home.path),
         .init(title: ctx.t(Strings.administration), href: SiteRoute.adminUnits.path)] + middle + [.init(title: last, href: nil)]
    }

    static func adminMenu(_ ctx: PageContext) -> Node<HTML.BodyContext> {
        .nav(.class("admin-menu"), .ariaLabel(Esc.attr(ctx.t(Strings.administration))), .ul(
            .li(.a(.href(Esc.attr(SiteRoute.adminUnits.path)), .text(ctx.t(Strings.units)))),
            .li(.a(.href(Esc.attr(SiteRoute.adminUsers(unit: nil, page: 1).path)), .text(ctx.t(Strings.users)))),
            .li(.a(.href(Esc.attr(SiteRoute.adminRoles.path)), .text(ctx.t(Strings.roles)))),
            .li(.a(.href(Esc.attr(SiteRoute.adminAudit.path)), .text(ctx.t(Strings.audit))))
        ))
    }

    func units(_ req: Request) async throws -> Response {
        let principal = try req.require(.unitsRead)
        let ctx = try await PageContext.make(for: req)
        let units = try await UnitModel.query(on: req.db).inside(principal.scopes(for: .unitsRead)).sort(\.$path).all()
        let ordered = Self.treeOrder(units)
        return Layout.page(ctx, title: ctx.t(Strings.units), crumbs: Self.crumbs(ctx, ctx.t(Strings.units)), content: .group(
            Self.adminMenu(ctx),
            .p(.text("\(ctx.t(Strings.total)): \(units.count)")),
            .table(
                .thead(.tr(.th(.text(ctx.t(Strings.code))), .th(.text(ctx.t(Strings.name))), .th(.text(ctx.t(Strings.type))))),
                .tbody(.forEach(ordered) { unit, level in
                    .tr(.td(.code(.text(unit.code))),
                        .td(.class("depth-\(min(max(level, 0), 8))"),
                            .a(.href(Esc.attr(SiteRoute.adminUnit(code: unit.code).path)), .text(unit.name))),
                        .td(.text(unit.unitType.map { ctx.t($0.label) } ?? unit.type)))
                })
            )
        ))
    }

    /// Parents before children, siblings in pack order, with each unit's depth below the top of the list.
    static func treeOrder(_ units: [UnitModel]) -> [(UnitModel, Int)] {
        let ids = Set(units.compactMap(\.id))
        let children = Dictionary(grouping: units, by: { $0.$parent.id.flatMap { ids.contains($0) ? $0 : nil } })
        var result: [(UnitModel, Int)] = []
        func walk(_ parent: UUID?, _ level: Int) {
            for unit in (children[parent] ?? []).sorted(by: { ($0.sortOrder, $0.code) < ($1.sortOrder, $1.code) }) {
                result.append((unit, level))
                walk(unit.id, level + 1)
            }
        }
        walk(nil, 0)
        return result
    }

    func unit(_ req: Request) async throws -> Response {
        let unit = try await req.unit(code: req.parameters.get("code") ?? "")
        try req.require(.unitsRead, on: unit)
        return try await unitPage(req, unit: unit, errors: [], notice: nil)
    }

    func unitPage(_ req: Request, unit: UnitModel, errors: [ValidationError], notice: String?,
                  form: UnitForm? = nil, status: HTTPResponseStatus = .ok) async throws -> Response {
        let ctx = try await PageContext.make(for: req)
        let parent = try await unit.$parent.get(on: req.db)
        let children = try await UnitModel.query(on: req.db).filter(\.$parent.$id == unit.id).sort(\.$sortOrder).all()
        let canManage = ctx.principal?.can(.unitsManage, on: unit) == true
        return Layout.page(ctx, title: unit.name,
                           crumbs: Self.crumbs(ctx, unit.shortName, middle: [.init(title: ctx.t(Strings.units), href: SiteRoute.adminUnits.path)]),
                           status: status, content: .group(
            Self.adminMenu(ctx),
            .unwrap(notice) { Layout.notice($0) },
            Layout.errorSummary(ctx, errors),
            .element(named: "dl", nodes: [
                .element(named: "dt", text: ctx.t(Strings.code)), .element(named: "dd", nodes: [.code(.text(unit.code))]),
                .element(named: "dt", text: ctx.t(Strings.shortName)), .element(named: "dd", text: unit.shortName),
                .element(named: "dt", text: ctx.t(Strings.type)), .element(named: "dd", text: unit.unitType.map { ctx.t($0.label) } ?? unit.type),
                .element(named: "dt", text: ctx.t(Strings.parent)),
                .element(named: "dd", nodes: [.unwrap(parent) { .a(.href(Esc.attr(SiteRoute.adminUnit(code: $0.code).path)), .text($0.name)) }]),
            ]),
            .p(.a(.href(Esc.attr(SiteRoute.adminUsers(unit: unit.code, page: 1).path)), .text(ctx.t(Strings.users)))),
            .unwrap(children.isEmpty ? nil : children) { children in
                .group(.h2(.text(ctx.t(Strings.subunits))),
                       .ul(.forEach(children) { .li(.a(.href(Esc.attr(SiteRoute.adminUnit(code: $0.code).path)), .text($0.name))) }))
            },
            .if(canManage, .group(
                .h2(.text(ctx.t(Strings.editUnit))),
                .form(.method(.post), .action(Esc.attr(SiteRoute.adminUnit(code: unit.code).path)), .class("stack"),
                      Layout.csrfField(ctx),
                      Layout.field(ctx, name: "name", label: Strings.name, value: unit.name, errors: form == nil ? errors : []),
                      Layout.field(ctx, name: "shortName", label: Strings.shortName, value: unit.shortName, required: false),
                      Self.typeSelect(ctx, selected: unit.type),
                      .button(.type(.submit), .text(ctx.t(Strings.save)))),
                .h2(.text(ctx.t(Strings.addSubunit))),
                .form(.method(.post), .action(Esc.attr(SiteRoute.adminUnitChildren(code: unit.code).path)), .class("stack"),
                      Layout.csrfField(ctx),
                      Layout.field(ctx, name: "code", label: Strings.code, value: form?.code, errors: form == nil ? [] : errors,
                                   hint: Strings.codeHint),
                      Layout.field(ctx, name: "name", label: Strings.name, value: form?.name, errors: form == nil ? [] : errors),
                      Layout.field(ctx, name: "shortName", label: Strings.shortName, value: form?.shortName, required: false),
                      Self.typeSelect(ctx, selected: form?.type),
                      .button(.type(.submit), .text(ctx.t(Strings.create))))
            ))
        ))
    }

    static func typeSelect(_ ctx: PageContext, selected: String?) -> Node<HTML.FormContext> {
        .div(.class("field"),
             .label(.for("type"), .text(ctx.t(Strings.type))),
             .select(.attribute(named: "name", value: "type"), .attribute(named: "id", value: "type"),
                     .forEach(UnitType.allCases) { type in
                         .option(.value(Esc.attr(type.rawValue)), .label(Esc.attr(ctx.t(type.label))), .isSelected(type.rawValue == selected))
                     }))
    }

    struct UnitForm: Content {
        var code: String?
        var type: String?
        var name: String?
        var shortName: String?

        var input: UnitService.Input {
            UnitService.Input(code: code ?? "", type: type ?? "", name: name ?? "", shortName: shortName ?? "")
        }
    }

    func updateUnit(_ req: Request) async throws -> Response {
        let unit = try await req.unit(code: req.parameters.get("code") ?? "")
        try req.require(.unitsManage, on: unit)
        let form = try req.content.decode(UnitForm.self)
        // A unit's type decides whose work it serves (a counter serves its parent's whole subtree), so
        // changing it is a change to the parent's scope: it needs the permission there.
        if form.input.type != unit.type {
            let parent = try await unit.$parent.get(on: req.db)
            try req.require(.unitsManage, on: parent ?? unit)
        }
        do {
            try await UnitService(services: req.egov).update(unit, with: form.input, actor: req.auditEntry(action: "", target: "", summary: ""),
                                                             on: req.db)
            return try await unitPage(req, unit: unit, errors: [], notice: PageContext.make(for: req).t(Strings.saved))
        } catch UnitService.UnitError.invalid(let errors) {
            return try await unitPage(req, unit: unit, errors: errors, notice: nil, status: .badRequest)
        }
    }

    func createUnit(_ req: Request) async throws -> Response {
        let parent = try await req.unit(code: req.parameters.get("code") ?? "")
        try req.require(.unitsManage, on: parent)
        let form = try req.content.decode(UnitForm.self)
        do {
            let unit = try await UnitService(services: req.egov).create(form.input, under: parent,
                                                                        actor: req.auditEntry(action: "", target: "", summary: ""), on: req.db)
            return req.redirect(to: SiteRoute.adminUnit(code: unit.code).path)
        } catch UnitService.UnitError.invalid(let errors) {
            return try await unitPage(req, unit: parent, errors: errors, notice: nil, form: form, status: .badRequest)
        } catch UnitService.UnitError.taken(let error) {
            return try await unitPage(req, unit: parent, errors: [error], notice: nil, form: form, status: .conflict)
        }
    }

    struct CreateUserForm: Content {
        var username: String?
        var fullName: String?
        var email: String?
        var phone: String?
        var unitCode: String?
        var position: String?
        var password: String?
    }

    func users(_ req: Request) async throws -> Response {
        try await usersPage(req, form: CreateUserForm(), errors: [], created: nil)
    }

    func usersPage(_ req: Request, form: CreateUserForm, errors: [ValidationError], created: (String, String)?,
                   status: HTTPResponseStatus = .ok) async throws -> Response {
        let unitCode = req.query[String.self, at: "unit"].flatMap { $0.isEmpty ? nil : $0 }
        let unit = try await unitCode.asyncMap { try await req.unit(code: $0) }
        let page = try RequestNumbers.page(req)
        let perPage = 50
        let directory = UserDirectory(req: req)
        let (users, total) = try await directory.officers(in: unit, paging: try Paging(page: page, perPage: perPage))
        var rows: [UserDTO] = []
        for user in users { rows.append(try await directory.dto(user)) }
        let ctx = try await PageContext.make(for: req)
        let principal = try req.principal()
        let canManage = principal.holds(.usersManage)
        return Layout.page(ctx, title: ctx.t(Strings.users) + (unit.map { " – \($0.shortName)" } ?? ""),
                           crumbs: Self.crumbs(ctx, ctx.t(Strings.users)), status: status, content: .group(
            Self.adminMenu(ctx),
            .unwrap(created) { Layout.notice("\(ctx.t(Strings.userCreated)) \($0.0): \($0.1)") },
            .p(.text("\(ctx.t(Strings.total)): \(total)")),
            .table(
                .thead(.tr(.th(.text(ctx.t(Strings.username))), .th(.text(ctx.t(Strings.fullName))), .th(.text(ctx.t(Strings.positions))))),
                .tbody(.forEach(rows) { user in
                    .tr(.td(.code(.text(user.username))), .td(.text(user.fullName)),
                        .td(.text(user.positions.map { "\(Position(rawValue: $0.position).map { ctx.t($0.label) } ?? $0.position) (\($0.unitCode))" }
                            .joined(separator: ", "))))
                })
            ),
            Widgets.pager(ctx, page: page, perPage: perPage, total: total) { SiteRoute.adminUsers(unit: unitCode, page: $0).path },
            .if(canManage, .group(
                .h2(.text(ctx.t(Strings.createUser))),
                Layout.errorSummary(ctx, errors),
                .form(.method(.post), .action(Esc.attr(SiteRoute.adminUsers(unit: unitCode, page: 1).path)), .class("stack"),
                      Layout.csrfField(ctx),
                      Layout.field(ctx, name: "username", label: Strings.username, value: form.username, autocomplete: "off", errors: errors),
                      Layout.field(ctx, name: "fullName", label: Strings.fullName, value: form.fullName, errors: errors),
                      Layout.field(ctx, name: "email", label: Strings.email, type: .email, value: form.email, required: false, errors: errors),
                      Layout.field(ctx, name: "phone", label: Strings.phone, type: .tel, value: form.phone, required: false, errors: errors),
                      Layout.field(ctx, name: "unitCode", label: Strings.unit, value: form.unitCode ?? unitCode, errors: errors),
                      Self.positionSelect(ctx, selected: form.position),
                      Layout.field(ctx, name: "password", label: Strings.passwordOptional, type: .password, required: false,
                                   autocomplete: "new-password", errors: errors),
                      .button(.type(.submit), .text(ctx.t(Strings.create))))
            ))
        ))
    }

    static func positionSelect(_ ctx: PageContext, selected: String?) -> Node<HTML.FormContext> {
        .div(.class("field"),
             .label(.for("position"), .text(ctx.t(Strings.position))),
             .select(.attribute(named: "name", value: "position"), .attribute(named: "id", value: "position"),
                     .forEach(Position.allCases) { position in
                         .option(.value(Esc.attr(position.rawValue)), .label(Esc.attr(ctx.t(position.label))), .isSelected(position.rawValue == selected))
                     }))
    }

    func createUser(_ req: Request) async throws -> Response {
        let form = try req.content.decode(CreateUserForm.self)
        let body = CreateUserRequest(username: form.username ?? "", fullName: form.fullName ?? "", email: form.email, phone: form.phone,
                                     unitCode: form.unitCode ?? "", positions: form.position.map { [$0] } ?? [], password: form.password)
        do {
            let (user, password) = try await UserDirectory(req: req).createOfficer(body)
            return try await usersPage(req, form: CreateUserForm(), errors: [],
                                       created: (user.username, form.password?.isEmpty == false ? "••••••" : password), status: .created)
        } catch let error as AccountService.AccountError {
            var kept = form
            kept.password = nil
            let status: HTTPResponseStatus = if case .taken = error { .conflict } else { .badRequest }
            return try await usersPage(req, form: kept, errors: error.fieldErrors, created: nil, status: status)
        } catch let error as EGovError {
            guard case .validation(let errors) = error else { throw error }
            return try await usersPage(req, form: form, errors: errors, created: nil, status: .badRequest)
        }
    }

    struct GrantForm: Content {
        var username: String?
        var unitCode: String?
        var position: String?
    }

    func roles(_ req: Request) async throws -> Response {
        try await rolesPage(req, notice: nil)
    }

    func rolesPage(_ req: Request, notice: String?) async throws -> Response {
        try req.require(.unitsRead)
        let ctx = try await PageContext.make(for: req)
        let catalog = req.egov.permissions
        return Layout.page(ctx, title: ctx.t(Strings.roles), crumbs: Self.crumbs(ctx, ctx.t(Strings.roles)), content: .group(
            Self.adminMenu(ctx),
            .unwrap(notice) { Layout.notice($0) },
            .table(
                .thead(.tr(.th(.text(ctx.t(Strings.position))), .th(.text(ctx.t(Strings.permissions))))),
                .tbody(.forEach(Position.allCases) { position in
                    .tr(.td(.text(ctx.t(position.label))),
                        .td(.text((catalog.byPosition[position] ?? []).sorted().map(\.name).joined(separator: ", "))))
                })
            ),
            .if(ctx.principal?.holds(.rolesManage) == true, .group(
                .h2(.text(ctx.t(Strings.grant))),
                .form(.method(.post), .action(Esc.attr(SiteRoute.adminRoles.path)), .class("stack"),
                      Layout.csrfField(ctx),
                      Layout.field(ctx, name: "username", label: Strings.username, autocomplete: "off"),
                      Layout.field(ctx, name: "unitCode", label: Strings.unit),
                      Self.positionSelect(ctx, selected: nil),
                      .button(.type(.submit), .text(ctx.t(Strings.grant))))
            ))
        ))
    }

    func grant(_ req: Request) async throws -> Response {
        let form = try req.content.decode(GrantForm.self)
        let unit = try await req.unit(code: form.unitCode ?? "")
        try req.require(.rolesManage, on: unit)
        guard let position = form.position.flatMap(Position.init(rawValue:)) else {
            throw EGovError.validation([ValidationError(field: "position", vi: "Chức vụ không hợp lệ.", en: "Invalid position.")])
        }
        let username = (form.username ?? "").lowercased()
        guard let user = try await UserModel.query(on: req.db).filter(\.$username == username).first(), user.userKind == .officer else {
            throw EGovError.notFound(LocalizedText(vi: "Không có cán bộ “\(username)”.", en: "No officer “\(username)”."))
        }
        let userID = try user.requireID()
        let unitID = try unit.requireID()
        let exists = try await UserPositionModel.query(on: req.db).filter(\.$user.$id == userID).filter(\.$unit.$id == unitID)
            .filter(\.$position == position.rawValue).first() != nil
        if !exists {
            try await req.db.transaction { tx in
                try await UserPositionModel(userID: userID, unitID: unitID, position: position).create(on: tx)
                try await AuditLog.record(req.auditEntry(action: "role.grant", target: "user:\(username)",
                                                         summary: "\(position.rawValue) at \(unit.code)", unitCode: unit.code),
                                          at: req.egov.clock.now(), on: tx)
            }
            req.egov.principals.invalidate(userID)
        }
        let ctx = try await PageContext.make(for: req)
        return try await rolesPage(req, notice: ctx.t(Strings.grantDone))
    }
}
