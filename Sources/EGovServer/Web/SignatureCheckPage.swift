@preconcurrency import Plot
import EGovCore
import EGovPlatform
import EGovWeb
import Vapor

/// The public page where anyone checks a signed PDF or XML document (issue 13 §4): the same verification as
/// `POST /api/v1/signatures/verify`, shown for a person.
struct SignatureCheckPage: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        // A code looked up (`?ma=`) costs a file read and a verification: the same limit as an upload.
        routes.grouped(AuthRateLimit.verification).get(SiteRoute.verifySignature.pattern, use: form)
        routes.grouped(AuthRateLimit.verification)
            .on(.POST, SiteRoute.verifySignature.pattern, body: .collect(maxSize: SignaturesAPI.maxBody), use: check)
            .acceptsAnonymousForm(upTo: SignaturesAPI.maxBytes)
    }

    struct Upload: Content {
        var file: File?
    }

    /// The page; with `?ma=CODE`, the verdict on the result issued under that verification code.
    func form(_ req: Request) async throws -> Response {
        let ctx = try await PageContext.make(for: req)
        guard let typed = req.query[String.self, at: "ma"], !typed.isEmpty else { return Self.page(ctx, report: nil, error: nil) }
        guard let code = VerificationCodes.normalized(typed), let issued = try await VerificationCodes.find(code, on: req.db),
              let bytes = try? req.egov.files.read(sha256: issued.sha256) else {
            return Self.page(ctx, report: nil, error: ctx.t(Strings.verifyCodeUnknown), status: .notFound, code: String(typed.prefix(32)))
        }
        let report = try await req.egov.signatures.verify(Array(bytes), on: req.db)
        let found = Strings.verifyCodeFound(code, name: issued.name, issued: VietnamTime.format(issued.createdAt))
        return Self.page(ctx, report: report, error: nil, found: ctx.t(found), code: code)
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

    static func page(_ ctx: PageContext, report: SignatureService.Report?, error: String?, status: HTTPResponseStatus = .ok,
                     found: String? = nil, code: String? = nil) -> Response {
        Layout.page(ctx, title: ctx.t(Strings.verifyTitle), status: status, content: .group(
            .p(.text(ctx.t(Strings.verifyIntro))),
            .unwrap(error) { message in
                .div(.class("error-summary"), .attribute(named: "role", value: "alert"), .p(.text(message)))
            },
            .form(.method(.post), .action(Esc.attr(SiteRoute.verifySignature.path)), .class("stack"), .id("tai-tep"),
                  .attribute(named: "enctype", value: "multipart/form-data"),
                  Layout.csrfField(ctx),
                  .div(.class("field"),
                       .label(.for("file"), .text(ctx.t(Strings.verifyFile))),
                       .input(.type(.file), .name("file"), .id("file"), .required(true), .attribute(named: "accept", value: "application/pdf,.pdf,application/xml,text/xml,.xml"))),
                  .button(.type(.submit), .text(ctx.t(Strings.verifyButton)))),
            .form(.method(.get), .action(Esc.attr(SiteRoute.verifySignature.path)), .class("stack"), .id("tra-ma"),
                  .div(.class("field"),
                       .label(.for("ma"), .text(ctx.t(Strings.verifyCodeLabel))),
                       .input(.type(.text), .name("ma"), .id("ma"), .value(Esc.attr(code ?? "")), .required(true),
                              .attribute(named: "maxlength", value: "32"), .attribute(named: "autocomplete", value: "off"),
                              .attribute(named: "autocapitalize", value: "characters"))),
                  .button(.type(.submit), .text(ctx.t(Strings.verifyCodeButton)))),
            .unwrap(found) { .p(.id("ma-ket-qua"), .text($0)) },
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
