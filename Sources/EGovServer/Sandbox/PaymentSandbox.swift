@preconcurrency import Plot
import EGovCore
import EGovPlatform
import EGovWeb
import Vapor

/// A local payment gateway that speaks the VNPay 2.1.0 protocol, so the whole online payment runs on
/// one machine: it checks the merchant's signed URL, lets the person pay or cancel, sends the signed
/// IPN to this server and redirects the browser to the return URL, as the real gateway does. Only
/// mounted while no real gateway is configured (`EGOV_VNPAY_URL` unset); no money moves.
struct PaymentSandbox: RouteCollection {
    static let payPath: [PathComponent] = ["payment-sandbox", "paymentv2", "pay"]

    func boot(routes: any RoutesBuilder) throws {
        routes.get(PaymentGateway.sandboxPath.split(separator: "/").map { PathComponent(stringLiteral: String($0)) }, use: page)
        routes.post(Self.payPath, use: pay)
    }

    func page(_ req: Request) async throws -> Response {
        guard let gateway = req.egov.paymentGateway, gateway.isSandbox else { throw Abort(.notFound) }
        let query = req.url.query ?? ""
        let parameters = Self.parameters(query)
        let ctx = try await PageContext.make(for: req)
        guard VNPay.verify(parameters, secret: gateway.secret), parameters["vnp_TmnCode"] == gateway.tmnCode,
              let hundredths = parameters["vnp_Amount"].flatMap(Int.init) else {
            return Layout.page(ctx, title: ctx.t(Self.title), status: .badRequest, content: .group(
                .p(.class("error"), .text(ctx.t(LocalizedText(vi: "Sai chữ ký hoặc mã đơn vị: giao dịch bị từ chối (mã 97).",
                                                              en: "Bad signature or merchant code: transaction refused (code 97).")))))
            )
        }
        let details: Node<HTML.BodyContext> = .element(named: "dl", nodes: [
            .element(named: "dt", text: ctx.t(LocalizedText(vi: "Đơn vị nhận tiền", en: "Merchant"))),
            .element(named: "dd", text: ctx.branding.portalName),
            .element(named: "dt", text: ctx.t(LocalizedText(vi: "Nội dung", en: "Order"))),
            .element(named: "dd", text: parameters["vnp_OrderInfo"] ?? ""),
            .element(named: "dt", text: ctx.t(LocalizedText(vi: "Mã giao dịch", en: "Reference"))),
            .element(named: "dd", text: parameters["vnp_TxnRef"] ?? ""),
            .element(named: "dt", text: ctx.t(LocalizedText(vi: "Số tiền", en: "Amount"))),
            .element(named: "dd", nodes: [.strong(.id("amount"), .text(VND.format(hundredths / 100)))]),
        ])
        let bank: Node<HTML.FormContext> = .div(
            .class("field"),
            .label(.for("bank"), .text(ctx.t(LocalizedText(vi: "Ngân hàng", en: "Bank")))),
            .select(.attribute(named: "name", value: "bank"), .attribute(named: "id", value: "bank"),
                    .option(.value("NCB"), .label("NCB – Ngân hàng Quốc Dân")),
                    .option(.value("VCB"), .label("Vietcombank")),
                    .option(.value("BIDV"), .label("BIDV"))))
        let buttons: Node<HTML.FormContext> = .div(
            .class("actions"),
            .button(.type(.submit), .name("decision"), .value("pay"), .id("pay"),
                    .text(ctx.t(LocalizedText(vi: "Xác nhận thanh toán", en: "Confirm payment")))),
            .button(.type(.submit), .name("decision"), .value("cancel"), .class("secondary"),
                    .text(ctx.t(LocalizedText(vi: "Hủy giao dịch", en: "Cancel")))))
        let form: Node<HTML.BodyContext> = .form(
            .method(.post), .action(Esc.attr("/" + Self.payPath.map(\.description).joined(separator: "/"))), .class("stack"),
            .input(.type(.hidden), .name("q"), .value(Esc.attr(query))), bank, buttons)
        let notice = Layout.notice(ctx.t(LocalizedText(vi: "Cổng thanh toán thử nghiệm: không có tiền thật được chuyển.",
                                                       en: "Test payment gateway: no real money moves.")))
        return Layout.page(ctx, title: ctx.t(Self.title), content: .group(notice, details, form))
    }

    struct Decision: Content {
        var q: String?
        var decision: String?
        var bank: String?
    }

    /// Pays (or cancels): the signed result goes to the merchant's IPN first, then the browser goes back.
    func pay(_ req: Request) async throws -> Response {
        guard let gateway = req.egov.paymentGateway, gateway.isSandbox else { throw Abort(.notFound) }
        let form = try req.content.decode(Decision.self)
        let parameters = Self.parameters(form.q ?? "")
        guard VNPay.verify(parameters, secret: gateway.secret), let returnURL = parameters["vnp_ReturnUrl"] else {
            throw EGovError.badRequest(LocalizedText(vi: "Giao dịch không hợp lệ.", en: "Invalid transaction."))
        }
        let paid = form.decision == "pay"
        let now = req.egov.clock.now()
        var result: [String: String] = [
            "vnp_TmnCode": gateway.tmnCode, "vnp_Amount": parameters["vnp_Amount"] ?? "0",
            "vnp_BankCode": form.bank ?? "NCB", "vnp_BankTranNo": "VNP" + String(Int.random(in: 10_000_000...99_999_999)),
            "vnp_CardType": "ATM", "vnp_OrderInfo": parameters["vnp_OrderInfo"] ?? "", "vnp_PayDate": VNPay.timestamp(now),
            "vnp_ResponseCode": paid ? VNPay.success : "24", "vnp_TransactionNo": String(Int.random(in: 10_000_000...99_999_999)),
            "vnp_TransactionStatus": paid ? VNPay.success : "02", "vnp_TxnRef": parameters["vnp_TxnRef"] ?? "",
        ]
        result = VNPay.signed(result, secret: gateway.secret)
        let query = VNPay.signedData(result) + "&vnp_SecureHash=" + (result["vnp_SecureHash"] ?? "")
        // The IPN goes through this server's whole HTTP stack (as a gateway's request would), without a socket.
        let ipn = Request(application: req.application, method: .GET, url: URI(string: PaymentGateway.ipnPath + "?" + query),
                          on: req.eventLoop)
        let answer = try await req.application.responder.respond(to: ipn).get()
        req.logger.info("payment sandbox IPN", metadata: ["txnRef": .string(result["vnp_TxnRef"] ?? ""),
                                                          "answer": .string(answer.body.string ?? "")])
        return req.redirect(to: returnURL + (returnURL.contains("?") ? "&" : "?") + query)
    }

    static let title = LocalizedText(vi: "Cổng thanh toán thử nghiệm", en: "Payment sandbox")

    static func parameters(_ query: String) -> [String: String] {
        var result: [String: String] = [:]
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            guard let key = parts.first.flatMap(Self.decode) else { continue }
            result[key] = parts.count > 1 ? Self.decode(parts[1]) ?? "" : ""
        }
        return result
    }

    static func decode(_ text: String) -> String? {
        text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }
}
