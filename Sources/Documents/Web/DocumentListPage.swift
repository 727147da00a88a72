@preconcurrency import Plot
import EGovCore
import EGovPlatform
import EGovWeb
import Fluent
import Vapor

/// `/van-ban`: the documents the visitor may see (incoming, outgoing or both), searched without accents, newest
/// first, 30 to a page; the same query as `GET /api/v1/documents`.
struct DocumentListPage: RouteCollection {
    static let perPage = 30

    func boot(routes: any RoutesBuilder) throws {
        routes.get(DocumentRoute.list(box: nil, q: nil, page: 1).pattern, use: show)
    }

    func show(_ req: Request) async throws -> Response {
        let principal = try req.principal()
        guard principal.kind == .officer else { throw EGovError.forbidden }
        let filter = try DocumentList.Filter(req)
        let page = try RequestNumbers.page(req)
        let found = try await DocumentList.find(filter, range: try Paging(page: page, perPage: Self.perPage).range, req)
        let ctx = try await PageContext.make(for: req)
        let steps = try await DocumentPage.stepNames(on: req.db)
        let box = filter.box?.rawValue
        let title = ctx.t(filter.box == .incoming ? DocumentText.incoming : filter.box == .outgoing ? DocumentText.outgoing : DocumentText.documents)
        let tabs: [(String?, LocalizedText)] = [(nil, DocumentText.all), ("incoming", DocumentText.incoming), ("outgoing", DocumentText.outgoing)]
        let mayDraft = !CasePolicy.servedScopes(principal, for: DocumentsModule.draft).isEmpty
        let isClerk = principal.grants.contains { $0.position == .clerk }
        let mayRead = !CasePolicy.servedScopes(principal, for: DocumentsModule.read).isEmpty
        let digitised = try RequestNumbers.int(req, "notice", in: 1...DocumentFiles.maxFiles)
        let table: Node<HTML.BodyContext> = found.items.isEmpty ? .p(.text(ctx.t(DocumentText.none))) : .table(
            .class("documents"),
            .thead(.tr(.th(.text(ctx.t(DocumentText.notation))), .th(.text(ctx.t(DocumentText.subject))),
                       .th(.text(ctx.t(DocumentText.step))), .th(.text(ctx.t(DocumentText.createdAt))),
                       .th(.text(ctx.t(DocumentText.deadline))))),
            .tbody(.forEach(found.items) { item in
                .tr(.attribute(named: "data-id", value: Esc.attr(item.id.uuidString.lowercased())),
                    .td(.text(Self.reference(ctx, item))),
                    .td(.a(.href(Esc.attr(DocumentRoute.document(item.id).path)), .text(item.subject))),
                    .td(.text(steps[item.step] ?? item.step)),
                    .td(.text(Widgets.date(item.createdAt, withTime: false))),
                    .td(Widgets.deadlineBadge(ctx, item.deadline)))
            }))
        return Layout.page(ctx, title: title, crumbs: Widgets.crumbs(ctx, [], last: title), content: .group(
            .unwrap(digitised) { Layout.notice(ctx.t(DocumentText.digitised($0))) },
            .p(.text(ctx.t(DocumentText.listHint))),
            .p(.if(mayDraft, .a(.class("button"), .id("new-draft"), .href(Esc.attr(DocumentRoute.draft.path)), .text(ctx.t(DocumentText.newDraft)))),
               .text(" "),
               .if(isClerk, .a(.class("button secondary"), .id("digitise"), .href(Esc.attr(DocumentRoute.scans.path)),
                               .text(ctx.t(DocumentText.digitise)))),
               .text(" "),
               .if(mayRead, .a(.class("button secondary"), .id("dashboard"), .href(Esc.attr(DocumentRoute.dashboard.path)),
                               .text(ctx.t(DocumentText.dashboard)))),
               .text(" "),
               .if(mayRead, .a(.class("button secondary"), .id("registers"),
                               .href(Esc.attr(DocumentRoute.register(unit: nil, book: nil, year: nil, csv: false).path)),
                               .text(ctx.t(DocumentText.registers))))),
            .nav(.class("tabs"), .ariaLabel(Esc.attr(ctx.t(DocumentText.documents))), .ul(.forEach(tabs) { value, label in
                .li(.a(.href(Esc.attr(DocumentRoute.list(box: value, q: nil, page: 1).path)),
                       .attribute(named: "aria-current", value: Esc.attr(value == box ? "page" : nil)), .text(ctx.t(label))))
            })),
            .form(.method(.get), .action(Esc.attr(DocumentRoute.list(box: nil, q: nil, page: 1).path)), .class("search"),
                  .attribute(named: "role", value: "search"),
                  .if(box != nil, .input(.type(.hidden), .name("box"), .value(Esc.attr(box ?? "")))),
                  .div(.class("field"),
                       .label(.for("q"), .text(ctx.t(DocumentText.search))),
                       .input(.type(.search), .id("q"), .name("q"), .value(Esc.attr(filter.q)), .attribute(named: "maxlength", value: "200"))),
                  .button(.type(.submit), .text(ctx.t(DocumentText.searchButton)))),
            .p(.text("\(ctx.t(Strings.total)): \(found.totalExact ? "" : ctx.t(DocumentText.moreThan) + " ")\(found.total)")), table,
            Widgets.pager(ctx, page: page, perPage: Self.perPage, total: found.total) {
                DocumentRoute.list(box: box, q: filter.q, page: $0).path
            }))
    }

    /// How a document is referred to in a list: its notation once issued, the sender's notation and the arrival
    /// number when it came in, `—` for a draft.
    static func reference(_ ctx: PageContext, _ item: DocumentList.Item) -> String {
        if let notation = item.notation { return notation }
        let arrival = item.arrivalNumber.map { "\(ctx.t(DocumentText.arrivalNumber)) \($0)" }
        return [item.senderNotation, arrival].compactMap { $0 }.joined(separator: " · ").nonEmpty ?? "—"
    }
}

extension String {
    fileprivate var nonEmpty: String? { isEmpty ? nil : self }
}
