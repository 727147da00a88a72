@preconcurrency import Plot
import EGovCore
import EGovPlatform
import EGovWeb
import Fluent
import Vapor

/// `/van-ban/so-van-ban?unit=&book=outgoing|incoming&year=`: a unit's register book for a year (Decree 30/2020
/// Appendix IV) as a page to read and print, and `/van-ban/so-van-ban.csv` with the same query for a spreadsheet;
/// the same lines as `GET /api/v1/documents/registers/{unit}/{book}.csv` (`DocumentRegisters.book`).
struct RegisterPage: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(DocumentRoute.register(unit: nil, book: nil, year: nil, csv: false).pattern, use: show)
        routes.get(DocumentRoute.register(unit: nil, book: nil, year: nil, csv: true).pattern, use: csv)
    }

    /// The book the query names: its unit (default: the first where the visitor reads documents) and which book.
    func book(_ req: Request) async throws -> (DocumentRegisters.Book, [UnitModel]) {
        let principal = try req.principal()
        let ids = CasePolicy.grants(principal, with: DocumentsModule.read).map(\.unitID)
        guard !ids.isEmpty else { throw EGovError.forbidden }
        let units = try await UnitModel.query(on: req.db).filter(\.$id ~~ ids).sort(\.$sortOrder).all()
        let kind = req.query[String.self, at: "book"] ?? "outgoing"
        guard kind == "outgoing" || kind == "incoming" else { throw DocumentRegisters.notFound() }
        guard let code = req.query[String.self, at: "unit"].flatMap({ $0.isEmpty ? nil : $0 }) ?? units.first?.code else { throw EGovError.forbidden }
        return (try await DocumentRegisters.book(unit: code, outgoing: kind == "outgoing", req), units)
    }

    func csv(_ req: Request) async throws -> Response {
        DocumentRegisters.download(try await book(req).0)
    }

    func show(_ req: Request) async throws -> Response {
        let (book, units) = try await self.book(req)
        let ctx = try await PageContext.make(for: req)
        let title = "\(ctx.t(book.outgoing ? DocumentText.outgoingBook : DocumentText.incomingBook)) \(book.year) – \(book.unit.name)"
        let kind = book.outgoing ? "outgoing" : "incoming"
        return Layout.page(ctx, title: title, crumbs: Widgets.crumbs(ctx, [
            .init(title: ctx.t(DocumentText.documents), href: DocumentRoute.list(box: nil, q: nil, page: 1).path),
        ], last: ctx.t(DocumentText.registers)), content: .group(
            .form(.method(.get), .action(Esc.attr(DocumentRoute.register(unit: nil, book: nil, year: nil, csv: false).path)), .class("filters"),
                  Widgets.select(ctx, name: "unit", label: DocumentText.unit, options: units.map { ($0.code, $0.name) }, selected: book.unit.code),
                  Widgets.select(ctx, name: "book", label: DocumentText.book,
                                 options: [("outgoing", ctx.t(DocumentText.outgoingBook)), ("incoming", ctx.t(DocumentText.incomingBook))],
                                 selected: kind),
                  .div(.class("field"),
                       .label(.for("year"), .text(ctx.t(DocumentText.year))),
                       .input(.type(.number), .name("year"), .id("year"), .value(Esc.attr(String(book.year))),
                              .attribute(named: "min", value: "2000"), .attribute(named: "max", value: "2100"))),
                  .button(.type(.submit), .text(ctx.t(DocumentText.show)))),
            .p(.class("no-print"),
               .a(.id("register-csv"), .href(Esc.attr(DocumentRoute.register(unit: book.unit.code, book: kind, year: book.year, csv: true).path)),
                  .text(ctx.t(DocumentText.downloadCSV))),
               .text(" · \(ctx.t(DocumentText.printHint))")),
            .table(.id("register"), .class("print-form"),
                   .thead(.tr(.forEach(book.lines.first ?? []) { .th(.text($0)) })),
                   .tbody(.forEach(book.lines.dropFirst()) { line in .tr(.forEach(line) { .td(.text($0)) }) }))))
    }
}
