@preconcurrency import Plot
import EGovCore
import EGovPlatform
import EGovWeb
import Foundation
import Vapor

/// Small pieces every one-stop page uses: deadline badges, dates, definition lists, pagers.
enum OneStopViews {
    static func deadlineLabel(_ status: String) -> LocalizedText { Widgets.deadlineLabel(status) }

    static func badge(_ ctx: PageContext, deadline status: String) -> Node<HTML.BodyContext> { Widgets.deadlineBadge(ctx, status) }

    static func statusName(_ ctx: PageContext, _ status: String) -> String {
        DossierStatus(rawValue: status).map { ctx.t($0.label) } ?? status
    }

    static func date(_ date: Date?, withTime: Bool = true) -> String { Widgets.date(date, withTime: withTime) }

    static func facts(_ rows: [(String, Node<HTML.BodyContext>)]) -> Node<HTML.BodyContext> { Widgets.facts(rows) }

    static func crumbs(_ ctx: PageContext, _ middle: [Layout.Crumb], last: String) -> [Layout.Crumb] { Widgets.crumbs(ctx, middle, last: last) }

    /// `?page=N` of a list page (1 when absent or wrong).
    static func pageNumber(_ req: Request) throws -> Int { try RequestNumbers.page(req) }
}
