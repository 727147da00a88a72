import Fluent
import Foundation

/// `ps_payments`: one attempt to pay a dossier's fees, online through the gateway or in cash at the counter.
final class PaymentModel: Model, @unchecked Sendable {
    static let schema = "ps_payments"

    enum Method: String, Codable, Sendable { case online, cash }
    /// `refundDue`: the gateway took the money after the fees had already been settled another way
    /// (cash at the counter, or an order that raced this one); the unit refunds it.
    enum Status: String, Codable, Sendable { case pending, paid, failed, refundDue = "refund-due" }

    @ID(key: .id) var id: UUID?
    @Field(key: "dossier_id") var dossierID: UUID
    @Field(key: "dossier_code") var dossierCode: String
    /// The order reference sent to the gateway (`vnp_TxnRef`), unique.
    @Field(key: "txn_ref") var txnRef: String
    /// Whole đồng.
    @Field(key: "amount") var amount: Int
    @Field(key: "method") var method: String
    @Field(key: "status") var status: String
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "paid_at") var paidAt: Date?
    @OptionalField(key: "gateway_transaction_no") var gatewayTransactionNo: String?
    @OptionalField(key: "bank_code") var bankCode: String?
    @OptionalField(key: "response_code") var responseCode: String?
    /// Who took the cash, or who started the online payment.
    @Field(key: "recorded_by") var recordedBy: String

    init() {}
}

struct CreatePayments: AsyncMigration {
    var name: String { "public-services.003.create-payments" }

    func prepare(on database: any Database) async throws {
        try await database.schema(PaymentModel.schema)
            .id()
            .field("dossier_id", .uuid, .required, .references(DossierModel.schema, "id", onDelete: .cascade))
            .field("dossier_code", .string, .required)
            .field("txn_ref", .string, .required)
            .field("amount", .int, .required)
            .field("method", .string, .required)
            .field("status", .string, .required)
            .field("created_at", .datetime, .required)
            .field("paid_at", .datetime)
            .field("gateway_transaction_no", .string)
            .field("bank_code", .string)
            .field("response_code", .string)
            .field("recorded_by", .string, .required)
            .unique(on: "txn_ref")
            .create()
        try await database.index(on: PaymentModel.schema, "dossier_id")
    }

    func revert(on database: any Database) async throws {
        try await database.schema(PaymentModel.schema).delete()
    }
}
