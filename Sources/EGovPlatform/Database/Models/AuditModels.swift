import Fluent
import Foundation

/// One state-changing action. Written in the action's own transaction with its own hash, so
/// writers never wait on each other; the sealer later binds events into hash-chained seals.
public final class AuditEventModel: Model, @unchecked Sendable {
    public static let schema = "core_audit_events"

    @ID(key: .id) public var id: UUID?
    @Field(key: "occurred_at") public var occurredAt: Date
    @OptionalField(key: "actor_id") public var actorID: UUID?
    @Field(key: "actor_name") public var actorName: String
    @OptionalField(key: "unit_code") public var unitCode: String?
    @Field(key: "action") public var action: String
    @Field(key: "target") public var target: String
    @OptionalField(key: "client_address") public var clientAddress: String?
    @Field(key: "summary") public var summary: String
    @Field(key: "hash") public var hash: String
    @OptionalField(key: "seal_id") public var sealID: UUID?

    public init() {}
}

/// A closed batch of audit events: their ids and hashes in order, chained to the previous seal by hash.
public final class AuditSealModel: Model, @unchecked Sendable {
    public static let schema = "core_audit_seals"

    @ID(key: .id) public var id: UUID?
    @Field(key: "sequence") public var sequence: Int
    @Field(key: "sealed_at") public var sealedAt: Date
    /// One line per sealed event, in order: `<id> <hash>`, so a removed or rewritten event can be named.
    @Field(key: "entries") public var entries: String
    @Field(key: "previous_hash") public var previousHash: String
    @Field(key: "hash") public var hash: String
    /// The locality TSA's RFC 3161 token over `hash` (base64 DER), when there was a TSA to ask.
    @OptionalField(key: "time_stamp_token") public var timeStampToken: String?

    public init() {}
}

/// Installation-wide settings as JSON documents under a key (locality, branding, calendar).
public final class SettingModel: Model, @unchecked Sendable {
    public static let schema = "core_settings"

    @ID(custom: "key", generatedBy: .user) public var id: String?
    @Field(key: "value") public var value: String
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    public init() {}

    public init(key: String, value: String) {
        self.id = key
        self.value = value
    }
}

/// Metadata of a file in the content-addressed store.
public final class StoredFileModel: Model, @unchecked Sendable {
    public static let schema = "core_files"

    @ID(key: .id) public var id: UUID?
    @Field(key: "sha256") public var sha256: String
    @Field(key: "size") public var size: Int
    @Field(key: "content_type") public var contentType: String
    @Field(key: "name") public var name: String
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public init() {}

    public init(sha256: String, size: Int, contentType: String, name: String) {
        self.id = UUID()
        self.sha256 = sha256
        self.size = size
        self.contentType = contentType
        self.name = name
    }
}
