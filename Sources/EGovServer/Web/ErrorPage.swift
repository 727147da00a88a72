@preconcurrency import Plot
import EGovCore
import EGovPlatform
import EGovWeb
import Vapor

/// The page a person sees when something cannot be done: the problem's title and detail, in their language.
struct ErrorPage {
    let problem: Problem

    func response(for req: Request) async throws -> Response {
        // The error may come from the database itself: fall back to default branding rather than fail again.
        let ctx = (try? await PageContext.make(for: req))
            ?? PageContext(language: req.language, branding: .fallback, principal: nil, currentPath: req.url.string, request: nil)
        let response = Layout.page(ctx, title: ctx.t(problem.title), status: problem.status, content: .group(
            .p(.text(ctx.t(problem.detail))),
            .unwrap(problem.fieldErrors.isEmpty ? nil : problem.fieldErrors) { errors in
                .ul(.forEach(errors) { .li(.text(ctx.t($0.message))) })
            },
            .p(.a(.href(Esc.attr(SiteRoute.home.path)), .text(ctx.t(Strings.backHome))))
        ))
        for (name, value) in problem.headers { response.headers.replaceOrAdd(name: name, value: value) }
        return response
    }
}
