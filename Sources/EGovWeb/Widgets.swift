@preconcurrency import Plot
import EGovCore
import EGovPlatform
import Foundation

/// The page widgets every module's pages share, each once: the pager, the select and text fields.
public enum Widgets {
    /// "Previous / next" links for a paged list (nothing when it fits one page).
    public static func pager(_ ctx: PageContext, page: Int, perPage: Int, total: Int, link: (Int) -> String) -> Node<HTML.BodyContext> {
        let pages = max(1, (max(0, total) + perPage - 1) / max(1, perPage))
        guard pages > 1 else { return .empty }
        return .nav(.class("pager"), .ariaLabel(Esc.attr("\(ctx.t(Strings.total)): \(page)/\(pages)")),
                    .if(page > 1, .a(.href(Esc.attr(link(page - 1))), .attribute(named: "rel", value: "prev"), .text(ctx.t(Strings.previous)))),
                    .span(.text(" \(page)/\(pages) ")),
                    .if(page < pages, .a(.href(Esc.attr(link(page + 1))), .attribute(named: "rel", value: "next"), .text(ctx.t(Strings.next)))))
    }

    /// A labelled select of (value, label) pairs. `id` (default: the name) must be unique on the page: a page with
    /// several forms (a case's actions) gives each form's fields their own.
    public static func select(_ ctx: PageContext, name: String, label: LocalizedText, options: [(String, String)], selected: String?,
                              required: Bool = false, id: String? = nil) -> Node<HTML.FormContext> {
        let fieldID = id ?? name
        return .div(.class("field"),
                    .label(.for(Esc.attr(fieldID)), .text(ctx.t(label))),
                    .select(.attribute(named: "name", value: Esc.attr(name)), .attribute(named: "id", value: Esc.attr(fieldID)),
                            .attribute(named: "required", value: Esc.attr(required ? "required" : nil)),
                            .forEach(options) { value, text in .option(.value(Esc.attr(value)), .label(Esc.attr(text)), .isSelected(value == selected)) }))
    }

    /// A labelled multi-line text field.
    public static func textarea(_ ctx: PageContext, name: String, label: LocalizedText, value: String? = nil, required: Bool = false,
                                id: String? = nil) -> Node<HTML.FormContext> {
        let fieldID = id ?? name
        return .div(.class("field"),
                    .label(.for(Esc.attr(fieldID)), .text(ctx.t(label))),
                    .textarea(.attribute(named: "name", value: Esc.attr(name)), .attribute(named: "id", value: Esc.attr(fieldID)),
                              .attribute(named: "rows", value: "3"),
                              .attribute(named: "required", value: Esc.attr(required ? "required" : nil)), .text(value ?? "")))
    }

    /// A labelled PIN field (a signing PIN): required and masked. `autocomplete="new-password"` keeps password
    /// managers from filling in the login password (a PIN is not the password); "off" and "one-time-code" are not
    /// valid on a password field for axe-core.
    public static func pin(_ ctx: PageContext, name: String, label: LocalizedText, id: String? = nil) -> Node<HTML.FormContext> {
        let fieldID = id ?? name
        return .div(.class("field"),
                    .label(.for(Esc.attr(fieldID)), .text(ctx.t(label))),
                    .input(.type(.password), .attribute(named: "name", value: Esc.attr(name)), .attribute(named: "id", value: Esc.attr(fieldID)),
                           .required(true),
                           .attribute(named: "autocomplete", value: "new-password"), .attribute(named: "maxlength", value: "64")))
    }

    /// What a case's deadline status is called (`DeadlineStatus`'s raw value, as lists and the API carry it).
    public static func deadlineLabel(_ status: String) -> LocalizedText {
        switch DeadlineStatus(rawValue: status) {
        case .onTime: Strings.onTime
        case .atRisk: Strings.atRisk
        case .late: Strings.late
        case .paused: Strings.paused
        case .finishedOnTime: Strings.finishedOnTime
        case .finishedLate: Strings.finishedLate
        case .notStarted, nil: Strings.notStarted
        }
    }

    /// A coloured, worded deadline badge (colour never carries the meaning alone).
    public static func deadlineBadge(_ ctx: PageContext, _ status: String) -> Node<HTML.BodyContext> {
        .span(.class(Esc.attr("badge \(status)")), .text(ctx.t(deadlineLabel(status))))
    }

    /// A definition list of (label, value) rows: a record's facts.
    public static func facts(_ rows: [(String, Node<HTML.BodyContext>)]) -> Node<HTML.BodyContext> {
        .element(named: "dl", nodes: rows.flatMap { label, value -> [Node<HTML.BodyContext>] in
            [.element(named: "dt", text: label), .element(named: "dd", nodes: [value])]
        })
    }

    /// An instant as Vietnam reads it (`—` when there is none).
    public static func date(_ date: Date?, withTime: Bool = true) -> String {
        date.map { VietnamTime.format($0, withTime: withTime) } ?? "—"
    }

    /// Home › the middle crumbs › this page.
    public static func crumbs(_ ctx: PageContext, _ middle: [Layout.Crumb], last: String) -> [Layout.Crumb] {
        [.init(title: ctx.t(Strings.home), href: SiteRoute.home.path)] + middle + [.init(title: last, href: nil)]
    }
}
