import EGovCore
import EGovPlatform
import EGovWeb
import Fluent
import Vapor

/// Paying a dossier's fees: start an online payment or record cash; the gateway's IPN and return.
struct PaymentsAPI: RouteCollection {
    static let ipnPath: [PathComponent] = ["payments", "vnpay", "ipn"]

    func boot(routes: any RoutesBuilder) throws {
        routes.post("dossiers", ":code", "payments", use: start)
        routes.get("dossiers", ":code", "payments", use: list)
        routes.get(Self.ipnPath, use: ipn)
        routes.get("payments", "vnpay", "return", use: returned)
    }

    struct StartInput: Content {
        var method: String?
        var bankCode: String?
    }

    struct PaymentDTO: Content {
        let txnRef: String
        let amount: Int
        let method: String
        let status: String
        let createdAt: Date
        let paidAt: Date?
        let paymentUrl: String?

        init(_ payment: PaymentModel, url: String? = nil) {
            txnRef = payment.txnRef
            amount = payment.amount
            method = payment.method
            status = payment.status
            createdAt = payment.createdAt
            paidAt = payment.paidAt
            paymentUrl = url
        }
    }

    func start(_ req: Request) async throws -> Response {
        let principal = try req.principal()
        let input = req.body.data == nil ? StartInput() : try req.content.decode(StartInput.self)
        let dossier = try await DossierActions(services: req.egov, db: req.db).readable(req.parameters.get("code") ?? "", by: principal)
        let service = PaymentService(services: req.egov, db: req.db)
        let dto: PaymentDTO
        switch input.method ?? "online" {
        case "online":
            let started = try await service.startOnline(dossier, by: principal, clientAddress: req.clientAddress, bankCode: input.bankCode,
                                                        locale: req.language == .en ? "en" : "vn")
            dto = PaymentDTO(started.payment, url: started.paymentURL)
        case "cash":
            dto = PaymentDTO(try await service.recordCash(dossier, by: principal, clientAddress: req.clientAddress))
        default:
            throw EGovError.validation([ValidationError(field: "method", vi: "“method” phải là online hoặc cash.", en: "“method” must be online or cash.")])
        }
        return try await dto.encodeResponse(status: .created, for: req)
    }

    func list(_ req: Request) async throws -> PageDTO<PaymentDTO> {
        let dossier = try await DossierActions(services: req.egov, db: req.db).readable(req.parameters.get("code") ?? "", by: try req.principal())
        let payments = try await PaymentModel.query(on: req.db).filter(\.$dossierID == dossier.requireID()).sort(\.$createdAt).all()
        return PageDTO(items: payments.map { PaymentDTO($0) }, total: payments.count)
    }

    struct IPNResponse: Content {
        let RspCode: String
        let Message: String
    }

    /// The gateway calls this server to server; it always gets a JSON answer, never an error page.
    func ipn(_ req: Request) async throws -> IPNResponse {
        let parameters = (try? req.query.decode([String: String].self)) ?? [:]
        let reply: PaymentService.IPNReply
        do {
            reply = try await PaymentService(services: req.egov, db: req.db).handleIPN(parameters)
        } catch {
            req.logger.error("payment IPN failed", metadata: ["error": "\(String(reflecting: error))"])
            reply = .unknown
        }
        return IPNResponse(RspCode: reply.code, Message: reply.message)
    }

    struct ReturnDTO: Content {
        let valid: Bool
        let paid: Bool
        let txnRef: String?
        let dossierCode: String?
        let amount: Int?
    }

    /// Where the gateway sends the applicant's browser back: checks the signature and tells what the
    /// payment became. It changes nothing; the IPN does.
    func returned(_ req: Request) async throws -> ReturnDTO {
        let parameters = (try? req.query.decode([String: String].self)) ?? [:]
        return try await Self.outcome(parameters, services: req.egov, on: req.db)
    }

    static func outcome(_ parameters: [String: String], services: PlatformServices, on db: any Database) async throws -> ReturnDTO {
        guard let gateway = services.paymentGateway, let callback = try? VNPay.callback(parameters, secret: gateway.secret) else {
            return ReturnDTO(valid: false, paid: false, txnRef: nil, dossierCode: nil, amount: nil)
        }
        let payment = try await PaymentModel.query(on: db).filter(\.$txnRef == callback.txnRef).first()
        return ReturnDTO(valid: payment != nil, paid: payment?.status == PaymentModel.Status.paid.rawValue, txnRef: callback.txnRef,
                         dossierCode: payment?.dossierCode, amount: payment?.amount)
    }

    static var openAPI: OpenAPIContribution {
        let code = OA.pathParameter("code", "Mã hồ sơ")
        let vnp = OA.queryParameter("vnp_*", "Các tham số vnp_ do cổng thanh toán gửi, kèm vnp_SecureHash (HMAC-SHA512)")
        return OpenAPIContribution(
            paths: [
                "/api/v1/dossiers/{code}/payments": [
                    "post": OA.operation(
                        "Nộp phí, lệ phí: online (trả về paymentUrl của cổng thanh toán, giao thức VNPay 2.1.0) hoặc cash (cán bộ một cửa ghi nhận tiền mặt)",
                        tag: "payments", parameters: [code], body: OA.object(["method": ["type": "string", "enum": ["online", "cash"]],
                                                                              "bankCode": OA.string], required: []),
                        ok: (201, "Giao dịch", OA.ref("Payment")), errors: [400, 403, 404, 409, 503]),
                    "get": OA.operation("Các giao dịch nộp phí của hồ sơ", tag: "payments", parameters: [code],
                                        ok: (200, "Danh sách giao dịch", OA.page(of: "Payment")), errors: [403, 404]),
                ],
                "/api/v1/payments/vnpay/ipn": ["get": OA.operation(
                    "IPN: cổng thanh toán báo kết quả giao dịch (máy chủ tới máy chủ); chỉ chấp nhận chữ ký đúng, đúng số tiền, một lần",
                    tag: "payments", secured: false, parameters: [vnp],
                    ok: (200, "RspCode 00 xác nhận, 01 không có đơn, 02 đã xác nhận, 04 sai số tiền, 97 sai chữ ký, 99 lỗi khác",
                         OA.object(["RspCode": OA.string, "Message": OA.string], required: ["RspCode", "Message"])), errors: [])],
                "/api/v1/payments/vnpay/return": ["get": OA.operation(
                    "Kiểm tra tham số trả về (return URL) của cổng thanh toán: chữ ký hợp lệ không, giao dịch đã thanh toán chưa",
                    tag: "payments", secured: false, parameters: [vnp],
                    ok: (200, "Kết quả", OA.object(["valid": ["type": "boolean"], "paid": ["type": "boolean"], "txnRef": OA.nullableString,
                                                     "dossierCode": OA.nullableString, "amount": ["type": ["integer", "null"]]],
                                                    required: ["valid", "paid"])), errors: [])],
            ],
            schemas: [
                "Payment": OA.object([
                    "txnRef": OA.string, "amount": OA.integer, "method": ["type": "string", "enum": ["online", "cash"]],
                    "status": ["type": "string", "enum": ["pending", "paid", "failed"]], "createdAt": ["type": "string", "format": "date-time"],
                    "paidAt": ["type": ["string", "null"], "format": "date-time"], "paymentUrl": OA.nullableString,
                ], required: ["txnRef", "amount", "method", "status"]),
            ])
    }
}
