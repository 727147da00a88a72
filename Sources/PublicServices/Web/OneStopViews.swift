@preconcurrency import Plot
import EGovCore
import EGovPlatform
import EGovWeb
import Foundation
import Vapor

/// Small pieces every one-stop page uses: deadline badges, dates, definition lists, pagers.
enum OneStopViews {
    static func deadlineLabel(_ status: String) -> LocalizedText {
        switch DeadlineStatus(rawValue: status) {
        case .onTime: OneStopText.onTime
        case .atRisk: OneStopText.atRisk
        case .late: OneStopText.late
        case .paused: OneStopText.paused
        case .finishedOnTime: OneStopText.finishedOnTime
        case .finishedLate: OneStopText.finishedLate
        case .notStarted, nil: OneStopText.notStarted
        }
    }

    /// A coloured, worded badge (colour never carries the meaning alone).
    static func badge(_ ctx: PageContext, deadline status: String) -> Node<HTML.BodyContext> {
        .span(.class("badge \(status)"), .text(ctx.t(deadlineLabel(status))))
    }

    static func statusName(_ ctx: PageContext, _ status: String) -> String {
        DossierStatus(rawValue: status).map { ctx.t($0.label) } ?? status
    }

    static func date(_ date: Date?, withTime: Bool = true) -> String {
        date.map { VietnamTime.format($0, withTime: withTime) } ?? "—"
    }

    static func facts(_ rows: [(String, Node<HTML.BodyContext>)]) -> Node<HTML.BodyContext> {
        .element(named: "dl", nodes: rows.flatMap { label, value -> [Node<HTML.BodyContext>] in
            [.element(named: "dt", text: label), .element(named: "dd", nodes: [value])]
        })
    }

    static func crumbs(_ ctx: PageContext, _ middle: [Layout.Crumb], last: String) -> [Layout.Crumb] {
        [.init(title: ctx.t(Strings.home), href: SiteRoute.home.path)] + middle + [.init(title: last, href: nil)]
    }

    /// `?page=N` of a list page (1 when absent or wrong).
    static func pageNumber(_ req: Request) throws -> Int { try RequestNumbers.page(req) }
}
