@preconcurrency import Plot
import EGovCore
import Vapor

/// The shared page frame: `lang`, skip link, the locality's branding, menu, breadcrumbs.
public enum Layout {
    public struct Crumb: Sendable {
        public let title: String
        public let href: String?

        public init(title: String, href: String?) {
            self.title = title
            self.href = href
        }
    }

    public static func page(_ ctx: PageContext, title: String, crumbs: [Crumb] = [], status: HTTPResponseStatus = .ok,
                     content: Node<HTML.BodyContext>) -> Response {
        let html = HTML(
            .attribute(named: "lang", value: Esc.attr(ctx.language.rawValue)),
            .head(
                .meta(.charset(.utf8)),
                .meta(.name("viewport"), .content("width=device-width, initial-scale=1")),
                // Not Plot's `.title()`: it also writes the title into two meta attributes, unescaped.
                .element(named: "title", text: "\(title) – \(ctx.branding.portalName)"),
                .link(.rel(.stylesheet), .href(Esc.attr(SiteRoute.asset("site.css").path))),
                // The locality's colours and the page script come from files, never inline: the CSP allows no inline code.
                .link(.rel(.stylesheet), .href(Esc.attr(SiteRoute.asset("brand.css").path))),
                .script(.src(Esc.attr(SiteRoute.asset("site.js").path)), .attribute(named: "defer", value: "defer"))
            ),
            .body(
                .a(.class("skip-link"), .href("#main"), .text(ctx.t(Strings.skipToContent))),
                header(ctx),
                .main(
                    .id("main"),
                    .unwrap(crumbs.isEmpty ? nil : crumbs) { breadcrumbs(ctx, $0) },
                    .h1(.text(title)),
                    content
                ),
                .footer(.p(.text("\(ctx.branding.portalName) · Open eGov")))
            )
        )
        return Response(status: status, headers: ["Content-Type": "text/html; charset=utf-8"], body: .init(string: html.render()))
    }

    private static func header(_ ctx: PageContext) -> Node<HTML.BodyContext> {
        let otherLanguage: EGovCore.Language = ctx.language == .vi ? .en : .vi
        return .header(
            .class("site-header"),
            .a(.class("brand"), .href(Esc.attr(SiteRoute.home.path)),
               .unwrap(ctx.branding.emblemSHA256) { _ in
                   // A text alternative: Plot drops an empty `alt`, which leaves the image unlabelled.
                   .img(.src(Esc.attr(SiteRoute.asset("emblem").path)), .alt(Esc.attr(ctx.t(Strings.emblem(of: ctx.branding.shortName)))),
                        .attribute(named: "width", value: "40"),
                        .attribute(named: "height", value: "40"))
               },
               .span(.text(ctx.branding.portalName))),
            .nav(
                .ariaLabel(Esc.attr(ctx.t(Strings.mainMenu))),
                .ul(
                    .li(.a(.href(Esc.attr(SiteRoute.home.path)), .text(ctx.t(Strings.home)))),
                    .forEach(ctx.menu) { item in .li(.a(.href(Esc.attr(item.href)), .text(ctx.t(item.title)))) },
                    .if(ctx.principal?.kind == .officer,
                        .li(.a(.href(Esc.attr(SiteRoute.adminUnits.path)), .text(ctx.t(Strings.administration))))),
                    .li(.a(.href(Esc.attr(SiteRoute.language(otherLanguage, back: ctx.currentPath).path)),
                           .attribute(named: "lang", value: Esc.attr(otherLanguage.rawValue)), .text(ctx.t(Strings.switchLanguage)))),
                    .unwrap(ctx.principal, { principal in
                        .li(.form(.method(.post), .action(Esc.attr(SiteRoute.logout.path)), .class("inline"),
                                  csrfField(ctx),
                                  .span(.class("who"), .text(principal.fullName)),
                                  .button(.type(.submit), .text(ctx.t(Strings.signOut)))))
                    }, else: .li(.a(.href(Esc.attr(SiteRoute.login(next: nil).path)), .text(ctx.t(Strings.signIn)))))
                )
            )
        )
    }

    private static func breadcrumbs(_ ctx: PageContext, _ crumbs: [Crumb]) -> Node<HTML.BodyContext> {
        .nav(.class("breadcrumbs"), .ariaLabel(Esc.attr(ctx.t(Strings.breadcrumb))),
             .ol(.forEach(crumbs) { crumb in
                 .li(.unwrap(crumb.href, { .a(.href(Esc.attr($0)), .text(crumb.title)) }, else: .span(.attribute(named: "aria-current", value: "page"), .text(crumb.title))))
             }))
    }

    public static func csrfField(_ ctx: PageContext) -> Node<HTML.FormContext> {
        .input(.type(.hidden), .name(CSRFField.name), .value(Esc.attr(ctx.csrfToken)))
    }

    /// A labelled input with its error, if any, linked for screen readers.
    public static func field(_ ctx: PageContext, name: String, label: LocalizedText, type: HTMLInputType = .text, value: String? = nil,
                      required: Bool = true, autocomplete: String? = nil, errors: [ValidationError] = [],
                      hint: LocalizedText? = nil) -> Node<HTML.FormContext> {
        let error = errors.first { $0.field == name }
        var describedBy: [String] = []
        if hint != nil { describedBy.append("\(name)-hint") }
        if error != nil { describedBy.append("\(name)-error") }
        return .div(
            .class(error == nil ? "field" : "field has-error"),
            .label(.for(name), .text(ctx.t(label))),
            .unwrap(hint) { .p(.id("\(name)-hint"), .class("hint"), .text(ctx.t($0))) },
            .unwrap(error) { .p(.id("\(name)-error"), .class("error"), .text(ctx.t($0.message))) },
            .input(.type(type), .name(name), .id(name), .value(Esc.attr(value ?? "")), .required(required),
                   .attribute(named: "autocomplete", value: Esc.attr(autocomplete)),
                   .attribute(named: "aria-describedby", value: Esc.attr(describedBy.isEmpty ? nil : describedBy.joined(separator: " "))),
                   .attribute(named: "aria-invalid", value: Esc.attr(error == nil ? nil : "true")))
        )
    }

    public static func errorSummary(_ ctx: PageContext, _ errors: [ValidationError]) -> Node<HTML.BodyContext> {
        guard !errors.isEmpty else { return .empty }
        return .div(.class("error-summary"), .attribute(named: "role", value: "alert"),
                    .p(.text(ctx.t(Strings.formHasErrors))),
                    .ul(.forEach(errors) { .li(.a(.href(Esc.attr("#\($0.field)")), .text(ctx.t($0.message)))) }))
    }

    public static func notice(_ text: String) -> Node<HTML.BodyContext> {
        .div(.class("notice"), .attribute(named: "role", value: "status"), .p(.text(text)))
    }
}

public enum CSRFField {
    public static let name = CSRFProtection.fieldName
}
