@preconcurrency import Plot
import EGovCore
import EGovPlatform
import EGovWeb
import Vapor

/// The applicant rates a finished dossier: one 1–5 choice per criterion, and a comment.
struct RatingPage: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.post(OneStopRoute.dossierRating(code: "").pattern, use: rate)
    }

    static func block(_ ctx: PageContext, code: String, rating: RatingModel?) -> Node<HTML.BodyContext> {
        if let rating {
            return .section(.id("rating"), .h2(.text(ctx.t(OneStopText.rate))),
                            .p(.text(String(format: "%.1f / 5", rating.average))))
        }
        let scales: Node<HTML.FormContext> = .forEach(RatingCriterion.allCases) { criterion in
            .fieldset(.element(named: "legend", text: ctx.t(criterion.label)),
                      .div(.class("scale"), .forEach(1...5) { score in
                          .label(.input(.type(.radio), .name("scores[\(criterion.rawValue)]"), .value(Esc.attr(String(score))),
                                        .id("score-\(criterion.rawValue)-\(score)"), .required(true)),
                                 .text(" \(score)"))
                      }))
        }
        return .section(.id("rating"), .h2(.text(ctx.t(OneStopText.rate))),
                        .form(.method(.post), .action(Esc.attr(OneStopRoute.dossierRating(code: code).path)), .class("stack"),
                              Layout.csrfField(ctx), scales,
                              Widgets.textarea(ctx, name: "comment", label: OneStopText.content),
                              .button(.type(.submit), .id("send-rating"), .text(ctx.t(OneStopText.rate)))))
    }

    struct Form: Content {
        var scores: [String: Int]?
        var comment: String?
    }

    func rate(_ req: Request) async throws -> Response {
        let principal = try req.principal()
        let code = req.parameters.get("code") ?? ""
        let dossier = try await DossierActions(services: req.egov, db: req.db).readable(code, by: principal)
        let form = try req.content.decode(Form.self)
        _ = try await RatingService(services: req.egov, db: req.db)
            .rate(dossier, scores: form.scores ?? [:], comment: form.comment, by: principal, clientAddress: req.clientAddress)
        return req.redirect(to: OneStopRoute.dossier(code: code).path + "?notice=rated")
    }
}
