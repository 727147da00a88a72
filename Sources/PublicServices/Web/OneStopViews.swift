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

    static func pager(_ ctx: PageContext, page: Int, total: Int, perPage: Int, link: (Int) -> String) -> Node<HTML.BodyContext> {
        guard total > perPage else { return .empty }
        let last = (total + perPage - 1) / perPage
        return .nav(.class("pager"), .ariaLabel(Esc.attr(ctx.t(Strings.total))),
                    .if(page > 1, .a(.href(Esc.attr(link(page - 1))), .text(ctx.t(Strings.previous)))),
                    .text(" \(page)/\(last) "),
                    .if(page < last, .a(.href(Esc.attr(link(page + 1))), .text(ctx.t(Strings.next)))))
    }

    static func crumbs(_ ctx: PageContext, _ middle: [Layout.Crumb], last: String) -> [Layout.Crumb] {
        [.init(title: ctx.t(Strings.home), href: SiteRoute.home.path)] + middle + [.init(title: last, href: nil)]
    }

    /// A labelled select of (value, label) pairs. `id` (default: the name) must be unique on the page: a page with
    /// several forms (the dossier's actions) gives each form's fields their own.
    static func select(_ ctx: PageContext, name: String, label: LocalizedText, options: [(String, String)], selected: String?,
                       required: Bool = false, id: String? = nil) -> Node<HTML.FormContext> {
        let fieldID = id ?? name
        return .div(.class("field"),
                    .label(.for(Esc.attr(fieldID)), .text(ctx.t(label))),
                    .select(.attribute(named: "name", value: Esc.attr(name)), .attribute(named: "id", value: Esc.attr(fieldID)),
                            .attribute(named: "required", value: Esc.attr(required ? "required" : nil)),
                            .forEach(options) { value, text in .option(.value(Esc.attr(value)), .label(Esc.attr(text)), .isSelected(value == selected)) }))
    }

    /// A multi-line text field.
    static func textarea(_ ctx: PageContext, name: String, label: LocalizedText, value: String? = nil, required: Bool = false,
                         id: String? = nil) -> Node<HTML.FormContext> {
        let fieldID = id ?? name
        return .div(.class("field"),
                    .label(.for(fieldID), .text(ctx.t(label))),
                    .textarea(.name(name), .id(fieldID), .attribute(named: "rows", value: "3"),
                              .attribute(named: "required", value: Esc.attr(required ? "required" : nil)), .text(value ?? "")))
    }

    /// `?page=N` of a list page (1 when absent or wrong).
    static func pageNumber(_ req: Request) throws -> Int { try RequestNumbers.page(req) }
}
