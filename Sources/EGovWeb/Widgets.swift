@preconcurrency import Plot
import EGovCore

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
}
