@preconcurrency import Plot
import EGovCore
import EGovPlatform
import EGovWeb
import Fluent
import Vapor

/// `/van-ban/dieu-hanh`: a leader's executive dashboard (issue 14 §6), the figures of
/// `GET /api/v1/documents/dashboard`: what waits for them, and per unit they read documents of, this year:
/// incoming (electronic), issued, open, overdue, and the share exchanged electronically.
struct DashboardPage: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(DocumentRoute.dashboard.pattern, use: show)
    }

    func show(_ req: Request) async throws -> Response {
        guard try req.principal().kind == .officer else { throw EGovError.forbidden }
        let dashboard = try await DocumentDashboard.show(req)
        let ctx = try await PageContext.make(for: req)
        let title = ctx.t(DocumentText.dashboard)
        let percent = { (share: Double?) in share.map { "\(Int(($0 * 100).rounded())) %" } ?? "—" }
        return Layout.page(ctx, title: title, crumbs: Widgets.crumbs(ctx, [
            .init(title: ctx.t(DocumentText.documents), href: DocumentRoute.list(box: nil, q: nil, page: 1).path),
        ], last: title), content: .group(
            .p(.id("waiting"), .attribute(named: "data-count", value: Esc.attr(String(dashboard.waiting))),
               .a(.href(Esc.attr(DocumentRoute.list(box: nil, q: nil, page: 1).path)), .text(ctx.t(DocumentText.waiting(dashboard.waiting))))),
            .p(.text(ctx.t(DocumentText.period))),
            .table(.id("units"),
                   .thead(.tr(.th(.text(ctx.t(DocumentText.unit))), .th(.text(ctx.t(DocumentText.incomingCount))),
                              .th(.text(ctx.t(DocumentText.electronicCount))), .th(.text(ctx.t(DocumentText.issuedCount))),
                              .th(.text(ctx.t(DocumentText.openCount))), .th(.text(ctx.t(DocumentText.overdueCount))),
                              .th(.text(ctx.t(DocumentText.electronicShare))))),
                   .tbody(.forEach(dashboard.units) { row in
                       .tr(.attribute(named: "data-code", value: Esc.attr(row.code)),
                           .td(.text(row.name)), .td(.text(String(row.incoming))), .td(.text(String(row.incomingElectronic))),
                           .td(.text(String(row.issued))), .td(.text(String(row.open))), .td(.text(String(row.overdue))),
                           .td(.text(percent(row.electronicShare))))
                   }))))
    }
}
