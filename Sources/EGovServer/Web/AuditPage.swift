@preconcurrency import Plot
import EGovCore
import EGovPlatform
import EGovWeb
import Fluent
import Vapor

/// `/admin/audit`: the audit log, newest first, filtered by actor, action, unit and dates, paged.
/// Officers see the events of units in their `audit.read` scope; a holder at a root unit sees all.
enum AuditPage {
    struct Filter: Content {
        var actor: String?
        var action: String?
        var unit: String?
        var from: String?
        var to: String?
    }

    static let perPage = 50

    @Sendable
    static func show(_ req: Request) async throws -> Response {
        let principal = try req.require(.auditRead)
        let filter = try req.query.decode(Filter.self)
        let page = try RequestNumbers.page(req)
        let calendar = WorkingDayCalendar()

        let query = AuditEventModel.query(on: req.db)
        let scopes = principal.scopes(for: .auditRead)
        let seesAll = try await principal.holdsOverInstallation(.auditRead, on: req.db)
        if !seesAll {
            let codes = try await UnitModel.query(on: req.db).inside(scopes).all(\.$code)
            query.filter(\.$unitCode ~~ codes)
        }
        if let actor = filter.actor?.trimmed { query.filter(\.$actorName == actor) }
        if let action = filter.action?.trimmed { query.filter(\.$action =~ action) }
        if let unit = filter.unit?.trimmed { query.filter(\.$unitCode == unit) }
        if let from = try RequestNumbers.date(req, "from") { query.filter(\.$occurredAt >= calendar.startOfDay(from)) }
        if let to = try RequestNumbers.date(req, "to") { query.filter(\.$occurredAt < calendar.startOfDay(to.adding(days: 1))) }
        let total = try await query.count()
        let events = try await query.sort(\.$occurredAt, .descending).range(try Paging(page: page, perPage: Self.perPage).range).all()

        let ctx = try await PageContext.make(for: req)
        func link(_ page: Int) -> String {
            var components = URLComponents()
            components.path = SiteRoute.adminAudit.path
            let items: [(String, String?)] = [("actor", filter.actor), ("action", filter.action), ("unit", filter.unit),
                                              ("from", filter.from), ("to", filter.to), ("page", String(page))]
            components.queryItems = items.compactMap { name, value in value.flatMap { $0.isEmpty ? nil : URLQueryItem(name: name, value: $0) } }
            return components.string ?? SiteRoute.adminAudit.path
        }
        return Layout.page(ctx, title: ctx.t(Strings.audit), crumbs: AdminPages.crumbs(ctx, ctx.t(Strings.audit)), content: .group(
            AdminPages.adminMenu(ctx),
            .form(.method(.get), .action(Esc.attr(SiteRoute.adminAudit.path)), .class("filters"),
                  Layout.field(ctx, name: "actor", label: Strings.actor, value: filter.actor, required: false),
                  Layout.field(ctx, name: "action", label: Strings.action, value: filter.action, required: false),
                  Layout.field(ctx, name: "unit", label: Strings.unit, value: filter.unit, required: false),
                  Layout.field(ctx, name: "from", label: Strings.from, type: .date, value: filter.from, required: false),
                  Layout.field(ctx, name: "to", label: Strings.to, type: .date, value: filter.to, required: false),
                  .button(.type(.submit), .text(ctx.t(Strings.filter)))),
            .p(.text("\(ctx.t(Strings.total)): \(total)")),
            .if(events.isEmpty, .p(.text(ctx.t(Strings.nothingFound))), else: .table(
                .thead(.tr(.th(.text(ctx.t(Strings.time))), .th(.text(ctx.t(Strings.actor))), .th(.text(ctx.t(Strings.unit))),
                           .th(.text(ctx.t(Strings.action))), .th(.text(ctx.t(Strings.target))), .th(.text(ctx.t(Strings.summary))),
                           .th(.text(ctx.t(Strings.clientAddress))))),
                .tbody(.forEach(events) { event in
                    .tr(.td(.text(VietnamTime.format(event.occurredAt))), .td(.text(event.actorName)), .td(.text(event.unitCode ?? "")),
                        .td(.code(.text(event.action))), .td(.text(event.target)), .td(.text(event.summary)),
                        .td(.text(event.clientAddress ?? "")))
                })
            )),
            Widgets.pager(ctx, page: page, perPage: perPage, total: total, link: link)
        ))
    }
}

extension String {
    /// nil when only blanks are left.
    var trimmed: String? {
        let value = trimmingCharacters(in: .whitespaces)
        return value.isEmpty ? nil : value
    }
}
