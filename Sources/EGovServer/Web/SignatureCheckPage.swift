@preconcurrency import Plot
import EGovCore
import EGovPlatform
import EGovWeb
import Vapor

/// The public page where anyone checks a signed PDF or XML document (issue 13 §4): the same verification as
/// `POST /api/v1/signatures/verify`, shown for a person.
struct SignatureCheckPage: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(SiteRoute.verifySignature.pattern, use: form)
        routes.grouped(AuthRateLimit.verification)
            .on(.POST, SiteRoute.verifySignature.pattern, body: .collect(maxSize: SignaturesAPI.maxBody), use: check)
            .acceptsAnonymousForm(upTo: SignaturesAPI.maxBytes)
    }

    struct Upload: Content {
        var file: File?
    }

    func form(_ req: Request) async throws -> Response {
        Self.page(try await PageContext.make(for: req), report: nil, error: nil)
    }

    func check(_ req: Request) async throws -> Response {
        let ctx = try await PageContext.make(for: req)
        guard let file = try? req.content.decode(Upload.self).file, file.data.readableBytes > 0 else {
            return Self.page(ctx, report: nil, error: ctx.t(Strings.verifyNoFile), status: .badRequest)
        }
        let bytes = Array(file.data.readableBytesView)
        do {
            return Self.page(ctx, report: try await req.egov.signatures.verify(bytes, on: req.db), error: nil)
        } catch let error as EGovError {
            return Self.page(ctx, report: nil, error: ctx.t(error.detail), status: .badRequest)
        }
    }

    static func page(_ ctx: PageContext, report: SignatureService.Report?, error: String?, status: HTTPResponseStatus = .ok) -> Response {
        Layout.page(ctx, title: ctx.t(Strings.verifyTitle), status: status, content: .group(
            .p(.text(ctx.t(Strings.verifyIntro))),
            .unwrap(error) { message in
                .div(.class("error-summary"), .attribute(named: "role", value: "alert"), .p(.text(message)))
            },
            .form(.method(.post), .action(Esc.attr(SiteRoute.verifySignature.path)), .class("stack"),
                  .attribute(named: "enctype", value: "multipart/form-data"),
                  Layout.csrfField(ctx),
                  .div(.class("field"),
                       .label(.for("file"), .text(ctx.t(Strings.verifyFile))),
                       .input(.type(.file), .name("file"), .id("file"), .required(true), .attribute(named: "accept", value: "application/pdf,.pdf,application/xml,text/xml,.xml"))),
                  .button(.type(.submit), .text(ctx.t(Strings.verifyButton)))),
            .unwrap(report) { result(ctx, $0) }
        ))
    }

    private static func result(_ ctx: PageContext, _ report: SignatureService.Report) -> Node<HTML.BodyContext> {
        let verdict = report.signatures.isEmpty ? Strings.verifyNone : report.valid ? Strings.verifyValid : Strings.verifyInvalid
        return .section(.id("ket-qua"), .class(report.valid ? "verdict valid" : "verdict invalid"),
            .attribute(named: "aria-live", value: "polite"),
            .h2(.text(ctx.t(verdict))),
            .forEach(Array(report.signatures.enumerated())) { index, signature in
                .div(.class("signature"),
                     .h3(.text("\(ctx.t(Strings.signatureNumber)) \(index + 1)")),
                     .dl(
                        .dt(.text(ctx.t(Strings.signer))), .dd(.text(signature.signer ?? "—")),
                        .dt(.text(ctx.t(Strings.signerUnit))), .dd(.text(signature.unit ?? "—")),
                        .dt(.text(ctx.t(Strings.signedAt))), .dd(.text(signature.signedAt.map { VietnamTime.format($0) } ?? "—"),
                            .if(signature.timeStamped, .text(" " + ctx.t(Strings.timeStamped)))),
                        .dt(.text(ctx.t(Strings.integrity))), .dd(.text(ctx.t(signature.intact ? Strings.intact : Strings.altered))),
                        .dt(.text(ctx.t(Strings.certificate))), .dd(.text(ctx.t(certificateText(signature.certificateStatus))))
                     ),
                     .if(!signature.coversWholeDocument, .p(.class("hint"), .text(ctx.t(Strings.changedAfter)))))
            })
    }

    private static func certificateText(_ status: String) -> LocalizedText {
        switch status {
        case "valid": Strings.certificateValid
        case "revoked": Strings.certificateRevoked
        case "expired": Strings.certificateExpired
        case "untrusted": Strings.certificateUntrusted
        default: Strings.certificateUnknown
        }
    }
}
