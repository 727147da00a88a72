@preconcurrency import Plot
import EGovCore
import EGovPlatform
import EGovWeb
import Fluent
import Vapor

/// Lists of dossiers: the applicant's own, the officer's queue by urgency, a unit's late and at-risk ones.
struct ListPages: RouteCollection {
    static let perPage = 30

    func boot(routes: any RoutesBuilder) throws {
        routes.get(OneStopRoute.myDossiers(page: 1).pattern, use: mine)
        routes.get(OneStopRoute.queue(deadline: nil, page: 1).pattern, use: queue)
        routes.get(OneStopRoute.unitDossiers(unit: nil, deadline: nil, page: 1).pattern, use: unit)
    }

    func mine(_ req: Request) async throws -> Response {
        let principal = try req.principal()
        if principal.kind == .officer { return req.redirect(to: OneStopRoute.queue(deadline: nil, page: 1).path) }
        let page = try OneStopViews.pageNumber(req)
        let query = DossierModel.query(on: req.db).filter(\.$applicantID == principal.id)
        let total = try await query.count()
        let dossiers = try await query.sort(\.$submittedAt, .descending).range(try Paging(page: page, perPage: Self.perPage).range).all()
        let ctx = try await PageContext.make(for: req)
        return try await listPage(req, ctx: ctx, title: ctx.t(OneStopText.myDossiers), intro: nil, tabs: .empty, dossiers: dossiers,
                                  total: total, page: page) { OneStopRoute.myDossiers(page: $0).path }
    }

    func queue(_ req: Request) async throws -> Response {
        let principal = try req.principal()
        guard principal.kind == .officer else { return req.redirect(to: OneStopRoute.myDossiers(page: 1).path) }
        let page = try OneStopViews.pageNumber(req)
        let deadline = req.query[String.self, at: "deadline"].flatMap(CasePredicates.DeadlineFilter.init(rawValue:))
        let now = req.egov.clock.now()
        let calendar = try await req.egov.calendars.calendar(on: req.db, now: now)
        let (dossiers, total) = try await CaseQueue.page(
            DossierModel.self, on: req.db, for: principal, where: deadline.map { CasePredicates.deadline($0, now: now, calendar: calendar) },
            then: DossierModel.queueOrder, paging: try Paging(page: page, perPage: Self.perPage))
        let ctx = try await PageContext.make(for: req)
        let tabs = Self.tabs(ctx, current: deadline) { OneStopRoute.queue(deadline: $0, page: 1).path }
        let canReceive = !CasePolicy.grants(principal, with: OneStopPermission.dossiersReceive).isEmpty
        let links: Node<HTML.BodyContext> = .p(
            .if(canReceive, .a(.class("button"), .href(Esc.attr(OneStopRoute.procedures(q: nil, field: nil, unit: nil, page: 1).path)),
                               .text(ctx.t(OneStopText.receiveAtCounter)))), .text(" "),
            .a(.class("button secondary"), .href(Esc.attr(OneStopRoute.unitDossiers(unit: nil, deadline: nil, page: 1).path)),
               .text(ctx.t(OneStopText.unitDossiers))))
        return try await listPage(req, ctx: ctx, title: ctx.t(OneStopText.queue), intro: .group(.p(.text(ctx.t(OneStopText.queueHint))), links),
                                  tabs: tabs, dossiers: dossiers, total: total, page: page) {
            OneStopRoute.queue(deadline: deadline?.rawValue, page: $0).path
        }
    }

    func unit(_ req: Request) async throws -> Response {
        let principal = try req.principal()
        let scopes = DossierAccess.readScopes(principal)
        guard principal.kind == .officer, !scopes.isEmpty else { throw EGovError.forbidden }
        var paths = scopes
        var unitCode = req.query[String.self, at: "unit"].flatMap { $0.isEmpty ? nil : $0 }
        if let code = unitCode {
            let unit = try await req.unit(code: code)
            guard CasePolicy.serves(principal, OneStopPermission.dossiersRead, unitPath: unit.path) else {
                throw EGovError.forbiddenBecause(LocalizedText(vi: "Bạn không được xem hồ sơ của đơn vị “\(code)”.",
                                                               en: "You may not see the dossiers of unit “\(code)”."))
            }
            paths = [unit.path]
        } else {
            unitCode = nil
        }
        let page = try OneStopViews.pageNumber(req)
        let deadline = req.query[String.self, at: "deadline"].flatMap(CasePredicates.DeadlineFilter.init(rawValue:))
        let now = req.egov.clock.now()
        let calendar = try await req.egov.calendars.calendar(on: req.db, now: now)
        let query = DossierModel.query(on: req.db).filter(case: CasePredicates.within(paths))
        if let deadline { query.filter(case: CasePredicates.deadline(deadline, now: now, calendar: calendar)) } else {
            query.filter(\.$finishedAt == nil)
        }
        let total = try await query.count()
        let dossiers = try await query.sortByUrgency().sort(\.$submittedAt).range(try Paging(page: page, perPage: Self.perPage).range).all()
        let ctx = try await PageContext.make(for: req)
        let tabs = Self.tabs(ctx, current: deadline) { OneStopRoute.unitDossiers(unit: unitCode, deadline: $0, page: 1).path }
        let links: Node<HTML.BodyContext> = .p(
            .a(.href(Esc.attr(OneStopRoute.dossierLog(unit: unitCode, from: nil, to: nil).path)), .text(ctx.t(OneStopText.dossierLog))), .text(" · "),
            .a(.href(Esc.attr(OneStopRoute.statistics(unit: unitCode, from: nil, to: nil).path)), .text(ctx.t(OneStopText.statistics))))
        return try await listPage(req, ctx: ctx, title: ctx.t(OneStopText.unitDossiers), intro: links, tabs: tabs, dossiers: dossiers,
                                  total: total, page: page) {
            OneStopRoute.unitDossiers(unit: unitCode, deadline: deadline?.rawValue, page: $0).path
        }
    }

    static func tabs(_ ctx: PageContext, current: CasePredicates.DeadlineFilter?, link: (String?) -> String) -> Node<HTML.BodyContext> {
        let entries: [(String?, LocalizedText)] = [(nil, OneStopText.all), ("late", OneStopText.late), ("at-risk", OneStopText.atRisk),
                                                   ("on-time", OneStopText.onTime)]
        return .nav(.class("tabs"), .ariaLabel(Esc.attr(ctx.t(OneStopText.status))), .ul(.forEach(entries) { value, label in
            .li(.a(.href(Esc.attr(link(value))), .attribute(named: "aria-current", value: Esc.attr(value == current?.rawValue ? "page" : nil)),
                   .text(ctx.t(label))))
        }))
    }

    func listPage(_ req: Request, ctx: PageContext, title: String, intro: Node<HTML.BodyContext>?, tabs: Node<HTML.BodyContext>,
                  dossiers: [DossierModel], total: Int, page: Int, link: (Int) -> String) async throws -> Response {
        let now = req.egov.clock.now()
        let calendar = try await req.egov.calendars.calendar(on: req.db, now: now)
        let rows = dossiers.map { DossierSummaryDTO($0, now: now, calendar: calendar, language: ctx.language) }
        let table: Node<HTML.BodyContext> = rows.isEmpty ? .p(.text(ctx.t(OneStopText.noDossiers))) : .table(
            .class("dossiers"),
            .thead(.tr(.th(.text(ctx.t(OneStopText.dossierCode))), .th(.text(ctx.t(OneStopText.procedure))),
                       .th(.text(ctx.t(OneStopText.applicantName))), .th(.text(ctx.t(OneStopText.status))),
                       .th(.text(ctx.t(OneStopText.dueAt))), .th(.text(ctx.t(OneStopText.onTime))))),
            .tbody(.forEach(rows) { row in
                .tr(.td(.a(.href(Esc.attr(OneStopRoute.dossier(code: row.code).path)), .text(row.code))), .td(.text(row.procedureName)),
                    .td(.text(row.applicantName)), .td(.text(row.statusName)),
                    .td(.text(OneStopViews.date(row.stepDueAt ?? row.dueAt))), .td(OneStopViews.badge(ctx, deadline: row.stepDeadline == "not-started" ? row.deadline : row.stepDeadline)))
            }))
        return Layout.page(ctx, title: title, crumbs: OneStopViews.crumbs(ctx, [], last: title), content: .group(
            .unwrap(intro) { $0 }, tabs,
            .p(.text("\(ctx.t(Strings.total)): \(total)")), table,
            Widgets.pager(ctx, page: page, perPage: Self.perPage, total: total, link: link)))
    }
}
