import EGovCore
import EGovPlatform
import Fluent
import Foundation
import SQLKit

/// Fees: online through a VNPay-protocol gateway (order, signed URL, verified IPN) or in cash at the
/// counter. A confirmed payment marks the dossier paid and lets the process move on by itself.
struct PaymentService: Sendable {
    let services: PlatformServices
    let db: any Database

    static let returnPath = "/thanh-toan/ket-qua"

    struct Started: Sendable {
        let payment: PaymentModel
        let paymentURL: String?
    }

    /// How long an online order stays open at the gateway (`vnp_ExpireDate`).
    static let orderLifetime: TimeInterval = 15 * 60

    /// The applicant starts an online payment: a pending order and the gateway URL to send them to.
    /// One pending order per dossier at a time, decided under the dossier's lock: a second request while
    /// one is open gets the same order back, so two orders can never both be paid.
    func startOnline(_ dossier: DossierModel, by principal: Principal, clientAddress: String?, bankCode: String?,
                     locale: String) async throws -> Started {
        guard DossierAccess.isApplicant(principal, of: dossier) else {
            throw EGovError.forbiddenBecause(LocalizedText(vi: "Chỉ người nộp hồ sơ thanh toán trực tuyến được.",
                                                           en: "Only the applicant pays online."))
        }
        guard let gateway = services.paymentGateway else {
            throw EGovError.unavailable(LocalizedText(
                vi: "Địa phương chưa cấu hình cổng thanh toán trực tuyến. Vui lòng nộp phí, lệ phí tại Bộ phận Một cửa.",
                en: "Online payment is not configured here. Please pay the fees at the one-stop counter."))
        }
        try Self.checkPayable(dossier)
        let now = services.clock.now()
        let dossierID = try dossier.requireID()
        let payment: PaymentModel = try await db.transaction { tx in
            // The lock is the transaction's first statement (SQLite then takes its write lock at once);
            // it fails with 409 if the dossier changed since it was read, paid meanwhile included.
            try await DossierRuntime.lock(dossier, on: tx)
            try Self.checkPayable(dossier)
            if let open = try await PaymentModel.query(on: tx).filter(\.$dossierID == dossierID)
                .filter(\.$status == PaymentModel.Status.pending.rawValue)
                .filter(\.$createdAt > now.addingTimeInterval(-Self.orderLifetime)).first() {
                return open
            }
            let payment = try newPayment(dossier, method: .online, status: .pending, by: principal.username, at: now)
            try await payment.create(on: tx)
            try await AuditLog.record(AuditEntry(actorID: principal.id, actorName: principal.username, action: "payment.start",
                                                 target: "dossier:\(dossier.code)", clientAddress: clientAddress,
                                                 summary: "\(payment.txnRef) \(payment.amount)"), at: now, on: tx)
            return payment
        }
        let order = VNPay.Order(txnRef: payment.txnRef, amount: payment.amount,
                                orderInfo: "Thanh toan phi, le phi ho so \(dossier.code)",
                                returnURL: services.configuration.baseURL + Self.returnPath,
                                clientAddress: clientAddress ?? "127.0.0.1", createdAt: payment.createdAt,
                                expiresAt: payment.createdAt.addingTimeInterval(Self.orderLifetime),
                                locale: locale, bankCode: bankCode)
        return Started(payment: payment, paymentURL: VNPay.paymentURL(gateway: gateway.url, tmnCode: gateway.tmnCode,
                                                                       secret: gateway.secret, order: order))
    }

    /// A one-stop officer of the receiving unit records the fees paid in cash.
    func recordCash(_ dossier: DossierModel, by principal: Principal, clientAddress: String?) async throws -> PaymentModel {
        guard DossierAccess.mayTakeCash(principal, for: dossier) else {
            throw EGovError.forbiddenBecause(LocalizedText(vi: "Chỉ cán bộ Bộ phận Một cửa nơi tiếp nhận hồ sơ được thu phí, lệ phí.",
                                                           en: "Only the receiving unit's one-stop officers take fees."))
        }
        try Self.checkPayable(dossier)
        let now = services.clock.now()
        let payment = try newPayment(dossier, method: .cash, status: .paid, by: principal.username, at: now)
        payment.paidAt = now
        try await settle(dossier, payment: payment, party: ActingParty(principal: principal, clientAddress: clientAddress), create: true)
        return payment
    }

    static func checkPayable(_ dossier: DossierModel) throws {
        guard dossier.feeAmount > 0, !dossier.feePaid else {
            throw EGovError.conflict(ValidationError(field: "payment",
                                                     vi: dossier.feeAmount == 0 ? "Hồ sơ này không phải nộp phí, lệ phí." : "Hồ sơ đã nộp đủ phí, lệ phí.",
                                                     en: dossier.feeAmount == 0 ? "This dossier has no fees." : "The fees are already paid."))
        }
        guard !dossier.isFinished else {
            throw EGovError.conflict(ValidationError(field: "payment", vi: "Hồ sơ đã kết thúc.", en: "The dossier has ended."))
        }
    }

    private func newPayment(_ dossier: DossierModel, method: PaymentModel.Method, status: PaymentModel.Status, by who: String,
                            at now: Date) throws -> PaymentModel {
        let payment = PaymentModel()
        payment.id = UUID()
        payment.dossierID = try dossier.requireID()
        payment.dossierCode = dossier.code
        payment.txnRef = Self.newTxnRef(at: now)
        payment.amount = dossier.feeAmount
        payment.method = method.rawValue
        payment.status = status.rawValue
        payment.createdAt = now
        payment.recordedBy = who
        return payment
    }

    /// `yyyyMMddHHmmss` and eight random digits: unique, and readable by the gateway (letters and digits only).
    static func newTxnRef(at date: Date) -> String {
        VNPay.timestamp(date) + String(format: "%08d", Int.random(in: 0..<100_000_000))
    }

    /// What the IPN answers (VNPay's codes): 00 confirmed, 01 order not found, 02 already confirmed,
    /// 04 wrong amount, 97 bad signature, 99 other error.
    struct IPNReply: Sendable, Equatable {
        let code: String
        let message: String

        static let confirmed = IPNReply(code: "00", message: "Confirm Success")
        static let notFound = IPNReply(code: "01", message: "Order not found")
        static let alreadyConfirmed = IPNReply(code: "02", message: "Order already confirmed")
        static let invalidAmount = IPNReply(code: "04", message: "Invalid amount")
        static let badSignature = IPNReply(code: "97", message: "Invalid signature")
        static let unknown = IPNReply(code: "99", message: "Unknown error")
    }

    /// The gateway's server-to-server notice. Only a correctly signed notice for a known, pending
    /// order of the same amount changes anything, and only once: a replay is answered 02.
    func handleIPN(_ parameters: [String: String]) async throws -> IPNReply {
        guard let gateway = services.paymentGateway else { return .unknown }
        let callback: VNPay.Callback
        do { callback = try VNPay.callback(parameters, secret: gateway.secret) } catch {
            return error == .badSignature ? .badSignature : .unknown
        }
        guard callback.tmnCode == gateway.tmnCode,
              let payment = try await PaymentModel.query(on: db).filter(\.$txnRef == callback.txnRef).first() else { return .notFound }
        guard callback.amount == payment.amount else { return .invalidAmount }
        guard payment.status == PaymentModel.Status.pending.rawValue else { return .alreadyConfirmed }
        guard let dossier = try await DossierModel.find(payment.dossierID, on: db) else { return .notFound }
        payment.gatewayTransactionNo = callback.transactionNo
        payment.bankCode = callback.bankCode
        payment.responseCode = callback.responseCode
        if callback.isSuccess {
            payment.status = PaymentModel.Status.paid.rawValue
            payment.paidAt = services.clock.now()
            let settled = try await settle(dossier, payment: payment, party: .system, create: false)
            return settled ? .confirmed : .alreadyConfirmed
        }
        payment.status = PaymentModel.Status.failed.rawValue
        let updated = try await db.transaction { tx in try await self.claim(payment, on: tx) }
        return updated ? .confirmed : .alreadyConfirmed
    }

    /// Moves a pending payment on, provided it is still pending: the row update is the lock, so two
    /// notices arriving together settle it once.
    private func claim(_ payment: PaymentModel, on tx: any Database) async throws -> Bool {
        guard let sql = tx as? any SQLDatabase, let id = payment.id else { return false }
        let rows = try await sql.raw("""
            UPDATE \(ident: PaymentModel.schema) SET status = \(bind: payment.status), paid_at = \(bind: payment.paidAt),
                gateway_transaction_no = \(bind: payment.gatewayTransactionNo), bank_code = \(bind: payment.bankCode),
                response_code = \(bind: payment.responseCode)
            WHERE id = \(bind: id) AND status = \(bind: PaymentModel.Status.pending.rawValue) RETURNING id
            """).all()
        return !rows.isEmpty
    }

    private func markRefundDue(_ payment: PaymentModel, on tx: any Database) async throws {
        guard let sql = tx as? any SQLDatabase, let id = payment.id else { return }
        try await sql.raw("""
            UPDATE \(ident: PaymentModel.schema) SET status = \(bind: PaymentModel.Status.refundDue.rawValue) WHERE id = \(bind: id)
            """).run()
        payment.status = PaymentModel.Status.refundDue.rawValue
    }

    /// Records a paid payment on the dossier and lets the process take its automatic steps. The dossier
    /// is read again inside the transaction and locked, so nothing written meanwhile is overwritten.
    @discardableResult
    private func settle(_ dossier: DossierModel, payment: PaymentModel, party: ActingParty, create: Bool) async throws -> Bool {
        let context = try await DossierActions(services: services, db: db).context(of: dossier)
        let runtime = DossierRuntime(services: services, calendar: context.calendar)
        let dossierID = try dossier.requireID()
        return try await db.transaction { tx in
            if create {
                try await payment.create(on: tx)
            } else {
                guard try await self.claim(payment, on: tx) else { return false }
            }
            guard let current = try await DossierModel.find(dossierID, on: tx) else { return false }
            try await DossierRuntime.lock(current, on: tx)
            if current.feePaid {
                // Settled meanwhile (cash at the counter, or another order): never twice. Cash is refused;
                // money the gateway already took is kept on record as due for refund.
                guard !create else { try Self.checkPayable(current); return false }
                try await self.markRefundDue(payment, on: tx)
                try await AuditLog.record(
                    AuditEntry(actorID: nil, actorName: party.username, unitCode: current.receivingUnitCode, action: "payment.refund-due",
                               target: "dossier:\(current.code)", clientAddress: party.clientAddress,
                               summary: "\(payment.txnRef) \(payment.amount)"),
                    at: runtime.now, on: tx)
                return true
            }
            current.feePaid = true
            current.paidAt = payment.paidAt
            current.updatedAt = runtime.now
            try await current.save(on: tx)
            try await AuditLog.record(
                AuditEntry(actorID: party.principal?.id, actorName: party.username, unitCode: current.receivingUnitCode,
                           action: "payment.\(payment.method)", target: "dossier:\(current.code)", clientAddress: party.clientAddress,
                           summary: "\(payment.txnRef) \(payment.amount)"),
                at: runtime.now, on: tx)
            try await runtime.runAutomaticActions(on: current, definition: context.definition, terms: context.procedure.terms, on: tx)
            return true
        }
    }
}
