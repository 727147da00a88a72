import EGovCore
import EGovPlatform
@testable import EGovServer
import Foundation
import NIOCore
@testable import PublicServices
import Testing
import Vapor
import VaporTesting

@Suite("Fees: the VNPay-protocol gateway, its sandbox, and cash at the counter")
struct PaymentTests {
    /// Đăng ký thành lập doanh nghiệp tư nhân: 150.000 đ, paid before reception at the Service Centre.
    static let enterprise = "2.001610"
    static let finance = "000.00.02.H99"

    struct PaymentJSON: Decodable { let txnRef: String; let amount: Int; let status: String; let paymentUrl: String? }
    struct IPNJSON: Decodable { let RspCode: String; let Message: String }

    /// A submitted paid dossier and its pending online payment.
    func start(_ egov: TestInstallation) async throws -> (code: String, payment: PaymentJSON, citizen: String) {
        try egov.setVietnamTime(2026, 10, 5, hour: 9)
        let citizen = try await egov.citizen()
        let created = try await egov.submit(citizen, procedure: Self.enterprise, unit: Self.finance, attachments: [])
        #expect(created.status == .created, "\(created.body.string)")
        let dossier = try created.content.decode(DossierJSON.self)
        #expect(dossier.status == "waiting-payment" && dossier.fee.amount == 150_000 && !dossier.fee.paid)
        let response = try await egov.send(.POST, "/api/v1/dossiers/\(dossier.code)/payments", token: try await egov.login(citizen),
                                           json: #"{"method":"online"}"#)
        #expect(response.status == .created, "\(response.body.string)")
        return (dossier.code, try response.content.decode(PaymentJSON.self), citizen)
    }

    static func query(of url: String) -> String { String(url.split(separator: "?", maxSplits: 1).last ?? "") }

    /// What a gateway would send for this payment, signed with `secret`.
    static func callback(_ egov: TestInstallation, txnRef: String, amount: Int, response: String = "00", status: String = "00",
                         secret: String? = nil) -> String {
        let parameters: [String: String] = [
            "vnp_TmnCode": egov.app.egov.paymentGateway?.tmnCode ?? "", "vnp_Amount": String(amount * 100), "vnp_BankCode": "NCB",
            "vnp_OrderInfo": "Thanh toan", "vnp_PayDate": "20261005091500", "vnp_ResponseCode": response,
            "vnp_TransactionNo": "14123456", "vnp_TransactionStatus": status, "vnp_TxnRef": txnRef,
        ]
        return VNPay.signedData(parameters) + "&vnp_SecureHash=" + VNPay.secureHash(parameters, secret: secret ?? egov.app.egov.paymentGateway?.secret ?? "")
    }

    func ipn(_ egov: TestInstallation, _ query: String) async throws -> String {
        let response = try await egov.send(.GET, "/api/v1/payments/vnpay/ipn?" + query)
        #expect(response.status == .ok)
        return try response.content.decode(IPNJSON.self).RspCode
    }

    @Test("the applicant pays in the sandbox: signed URL, IPN, return; the dossier moves on to reception", arguments: TestDatabase.enabled)
    func sandboxFlow(database: TestDatabase) async throws {
        try await TestInstallation.with(database) { egov in
            let (code, payment, citizen) = try await start(egov)
            let url = try #require(payment.paymentUrl)
            #expect(url.contains(PaymentGateway.sandboxPath) && url.contains("vnp_Amount=15000000") && url.contains("vnp_SecureHash="))
            let query = Self.query(of: url)
            // The gateway checks the merchant's signature: a changed amount is refused.
            let tampered = try await egov.send(.GET, PaymentGateway.sandboxPath + "?" + query.replacingOccurrences(of: "vnp_Amount=15000000", with: "vnp_Amount=100"))
            #expect(tampered.status == .badRequest)
            let page = try await egov.send(.GET, PaymentGateway.sandboxPath + "?" + query)
            #expect(page.status == .ok && page.body.string.contains("150.000 đ"))

            var headers = HTTPHeaders()
            headers.contentType = .urlEncodedForm
            let form = "q=" + (query.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "") + "&decision=pay&bank=NCB"
            let paid = try await egov.app.testing().sendRequest(.POST, "/payment-sandbox/paymentv2/pay", headers: headers,
                                                                body: ByteBuffer(string: form))
            #expect(paid.status == .seeOther)
            let back = try #require(paid.headers.first(name: .location))
            #expect(back.hasPrefix(egov.configuration.baseURL + PaymentService.returnPath + "?"))

            let dossier = try await egov.dossier(citizen, code)
            #expect(dossier.fee.paid && dossier.status == "submitted" && dossier.currentStep.id == "reception")
            #expect(dossier.history.map(\.action) == ["submit", "pay"])
            let outcome = try await egov.send(.GET, "/api/v1/payments/vnpay/return?" + Self.query(of: back)).body.string
            #expect(outcome.contains(#""paid":true"#) && outcome.contains(#""valid":true"#))
            // The same notice again changes nothing.
            let replay = Self.query(of: back)
            #expect(try await ipn(egov, replay) == "02")
            #expect(try await egov.dossier(citizen, code).history.count == 2)
            // Paying twice is refused.
            let again = try await egov.send(.POST, "/api/v1/dossiers/\(code)/payments", token: try await egov.login(citizen),
                                            json: #"{"method":"online"}"#)
            #expect(again.status == .conflict)
        }
    }

    @Test("tampered, forged, short-paid and unknown callbacks change nothing", arguments: TestDatabase.enabled)
    func tamperedCallbacks(database: TestDatabase) async throws {
        try await TestInstallation.with(database) { egov in
            let (code, payment, citizen) = try await start(egov)
            let good = Self.callback(egov, txnRef: payment.txnRef, amount: 150_000)
            // One changed parameter breaks the signature.
            #expect(try await ipn(egov, good.replacingOccurrences(of: "vnp_Amount=15000000", with: "vnp_Amount=100")) == "97")
            #expect(try await ipn(egov, good.replacingOccurrences(of: "vnp_ResponseCode=00", with: "vnp_ResponseCode=01")) == "97")
            // Signed with somebody else's secret.
            #expect(try await ipn(egov, Self.callback(egov, txnRef: payment.txnRef, amount: 150_000, secret: "not-our-secret")) == "97")
            // Correctly signed, but for less money, or for an order that does not exist.
            #expect(try await ipn(egov, Self.callback(egov, txnRef: payment.txnRef, amount: 1_000)) == "04")
            #expect(try await ipn(egov, Self.callback(egov, txnRef: "20261005000000000000", amount: 150_000)) == "01")
            // No hash at all.
            #expect(try await ipn(egov, "vnp_TxnRef=\(payment.txnRef)&vnp_Amount=15000000&vnp_ResponseCode=00") == "97")
            var dossier = try await egov.dossier(citizen, code)
            #expect(!dossier.fee.paid && dossier.status == "waiting-payment" && dossier.history.count == 1)
            // A response code of 00 with a failed transaction status is not a payment.
            #expect(try await ipn(egov, Self.callback(egov, txnRef: payment.txnRef, amount: 150_000, status: "02")) == "00")
            dossier = try await egov.dossier(citizen, code)
            #expect(!dossier.fee.paid && dossier.status == "waiting-payment")
            // A failed order stays failed: a later "success" for it is not taken.
            #expect(try await ipn(egov, Self.callback(egov, txnRef: payment.txnRef, amount: 150_000)) == "02")
            #expect(try await egov.dossier(citizen, code).fee.paid == false)
        }
    }

    @Test("a one-stop officer takes the fee in cash; nobody else may", arguments: TestDatabase.enabled)
    func cash(database: TestDatabase) async throws {
        try await TestInstallation.with(database) { egov in
            let (code, _, citizen) = try await start(egov)
            let byCitizen = try await egov.send(.POST, "/api/v1/dossiers/\(code)/payments", token: try await egov.login(citizen),
                                                json: #"{"method":"cash"}"#)
            #expect(byCitizen.status == .forbidden)
            let byOtherCommune = try await egov.send(.POST, "/api/v1/dossiers/\(code)/payments", token: try await egov.login("motcua.benthuy"),
                                                     json: #"{"method":"cash"}"#)
            #expect(byOtherCommune.status == .forbidden)
            let cash = try await egov.send(.POST, "/api/v1/dossiers/\(code)/payments", token: try await egov.login("motcua.quay2"),
                                           json: #"{"method":"cash"}"#)
            #expect(cash.status == .created, "\(cash.body.string)")
            #expect(try cash.content.decode(PaymentJSON.self).status == "paid")
            let dossier = try await egov.dossier(citizen, code)
            #expect(dossier.fee.paid && dossier.status == "submitted")
            try await egov.act("motcua.quay2", code, "receive")
        }
    }
}
