import Fluent
import Foundation

/// `core_outbox`: a notification waiting to go out (e-mail or SMS). Written in the transaction of
/// the action that causes it, so a message is sent if and only if the action happened; a worker
/// delivers it afterwards and retries with back-off when the mail or SMS server fails.
public final class OutboxMessageModel: Model, @unchecked Sendable {
    public static let schema = "core_outbox"

    public enum Channel: String, Codable, Sendable { case email, sms }
    public enum Status: String, Codable, Sendable { case pending, sending, sent, failed }

    @ID(key: .id) public var id: UUID?
    @Field(key: "channel") public var channel: String
    @Field(key: "recipient") public var recipient: String
    @Field(key: "subject") public var subject: String
    @Field(key: "body") public var body: String
    /// What the message is about (`dossier:CODE`), for the people who look at the outbox.
    @Field(key: "reference") public var reference: String
    @Field(key: "status") public var status: String
    @Field(key: "attempts") public var attempts: Int
    @Field(key: "next_attempt_at") public var nextAttemptAt: Date
    @OptionalField(key: "last_error") public var lastError: String?
    @Field(key: "created_at") public var createdAt: Date
    @OptionalField(key: "sent_at") public var sentAt: Date?

    public init() {}

    public init(channel: Channel, recipient: String, subject: String, body: String, reference: String, at date: Date) {
        self.id = UUID()
        self.channel = channel.rawValue
        self.recipient = recipient
        self.subject = subject
        self.body = body
        self.reference = reference
        self.status = Status.pending.rawValue
        self.attempts = 0
        self.nextAttemptAt = date
        self.createdAt = date
    }
}

struct M006_CreateOutbox: AsyncMigration {
    var name: String { "core.006.create-outbox" }

    func prepare(on database: any Database) async throws {
        try await database.schema(OutboxMessageModel.schema)
            .id()
            .field("channel", .string, .required)
            .field("recipient", .string, .required)
            .field("subject", .string, .required)
            .field("body", .string, .required)
            .field("reference", .string, .required)
            .field("status", .string, .required)
            .field("attempts", .int, .required)
            .field("next_attempt_at", .datetime, .required)
            .field("last_error", .string)
            .field("created_at", .datetime, .required)
            .field("sent_at", .datetime)
            .create()
        try await database.index(on: OutboxMessageModel.schema, "status", "next_attempt_at")
        try await database.index(on: OutboxMessageModel.schema, "reference")
    }

    func revert(on database: any Database) async throws {
        try await database.schema(OutboxMessageModel.schema).delete()
    }
}
