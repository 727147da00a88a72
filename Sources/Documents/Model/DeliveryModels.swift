import EGovPlatform
import Fluent
import Foundation
import SQLKit

/// `doc_recipients`: where an issued document went, and each recipient's latest status as edXML's status
/// messages name them (01 arrived, 03 registered, 04 assigned, 05 in progress, 06 done…).
final class RecipientStatusModel: Model, @unchecked Sendable {
    static let schema = "doc_recipients"

    @ID(key: .id) var id: UUID?
    @Field(key: "document_id") var documentID: UUID
    @Field(key: "recipient_code") var recipientCode: String
    /// The incoming document it became here, when the recipient is a unit of this installation.
    @OptionalField(key: "delivered_id") var deliveredID: UUID?
    @Field(key: "status_code") var statusCode: String
    @Field(key: "updated_at") var updatedAt: Date

    init() {}
}

/// `doc_outbox`: an issued document's edXML message for an organ outside this installation, durable until the
/// integration bus (a later issue) takes it.
final class OutboxMessageRow: Model, @unchecked Sendable {
    static let schema = "doc_outbox"

    @ID(key: .id) var id: UUID?
    @Field(key: "document_id") var documentID: UUID
    @Field(key: "recipient_code") var recipientCode: String
    @Field(key: "edxml") var edXML: String
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "sent_at") var sentAt: Date?

    init() {}
}

/// `doc_participants`: the co-handlers and watchers an assignment names beside the lead handler (the case's assignee).
final class ParticipantModel: Model, @unchecked Sendable {
    static let schema = "doc_participants"

    @ID(key: .id) var id: UUID?
    @Field(key: "document_id") var documentID: UUID
    @Field(key: "user_id") var userID: UUID
    @Field(key: "role") var role: String

    init() {}
}

struct CreateDocumentDelivery: AsyncMigration {
    var name: String { "documents.003.delivery" }

    func prepare(on database: any Database) async throws {
        // One column per statement: SQLite adds columns one at a time.
        for (field, type) in [("source_document_id", DatabaseSchema.DataType.uuid), ("sender_code", .string), ("sender_notation", .string),
                              ("arrival_number", .int)] {
            try await database.schema(DocumentModel.schema).field(.string(field), type).update()
        }
        try await database.schema(RecipientStatusModel.schema).id()
            .field("document_id", .uuid, .required, .references(DocumentModel.schema, "id", onDelete: .cascade))
            .field("recipient_code", .string, .required).field("delivered_id", .uuid).field("status_code", .string, .required)
            .field("updated_at", .datetime, .required).unique(on: "document_id", "recipient_code").create()
        try await database.schema(OutboxMessageRow.schema).id()
            .field("document_id", .uuid, .required, .references(DocumentModel.schema, "id", onDelete: .cascade))
            .field("recipient_code", .string, .required).field("edxml", .string, .required).field("created_at", .datetime, .required)
            .field("sent_at", .datetime).unique(on: "document_id", "recipient_code").create()
        try await database.schema(ParticipantModel.schema).id()
            .field("document_id", .uuid, .required, .references(DocumentModel.schema, "id", onDelete: .cascade))
            .field("user_id", .uuid, .required).field("role", .string, .required).unique(on: "document_id", "user_id").create()
    }

    func revert(on database: any Database) async throws {
        for schema in [ParticipantModel.schema, OutboxMessageRow.schema, RecipientStatusModel.schema] { try await database.schema(schema).delete() }
        for field in ["arrival_number", "sender_notation", "sender_code", "source_document_id"] {
            try await database.schema(DocumentModel.schema).deleteField(.string(field)).update()
        }
    }
}

struct AddEdXMLDocumentID: AsyncMigration {
    var name: String { "documents.005.edxml-id" }

    func prepare(on database: any Database) async throws {
        try await database.schema(DocumentModel.schema).field("edxml_document_id", .string).update()
        guard let sql = database as? any SQLDatabase else { return }
        // One message once per receiving unit, even when two clerks register it at the same moment.
        try await sql.raw("CREATE UNIQUE INDEX IF NOT EXISTS doc_documents_edxml_once ON doc_documents (drafting_unit_code, edxml_document_id)").run()
    }

    func revert(on database: any Database) async throws {
        if let sql = database as? any SQLDatabase { try await sql.raw("DROP INDEX IF EXISTS doc_documents_edxml_once").run() }
        try await database.schema(DocumentModel.schema).deleteField("edxml_document_id").update()
    }
}

/// `doc_status_outbox`: status messages (edXML, QCVN 102:2016) to senders outside this installation about the
/// documents received from them, and a sender's recall (13, its document's message with BussinessDocType 1) to
/// recipients outside; durable until the integration bus takes them.
final class StatusMessageRow: Model, @unchecked Sendable {
    static let schema = "doc_status_outbox"

    @ID(key: .id) var id: UUID?
    @Field(key: "document_id") var documentID: UUID
    @Field(key: "recipient_code") var recipientCode: String
    @Field(key: "status_code") var statusCode: String
    @Field(key: "edxml") var edXML: String
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "sent_at") var sentAt: Date?

    init() {}
}

struct CreateStatusOutbox: AsyncMigration {
    var name: String { "documents.007.status-outbox" }

    func prepare(on database: any Database) async throws {
        try await database.schema(StatusMessageRow.schema).id()
            .field("document_id", .uuid, .required, .references(DocumentModel.schema, "id", onDelete: .cascade))
            .field("recipient_code", .string, .required).field("status_code", .string, .required).field("edxml", .string, .required)
            .field("created_at", .datetime, .required).field("sent_at", .datetime).create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(StatusMessageRow.schema).delete()
    }
}

/// A migration that adds one optional column to a table of this module (SQLite adds columns one at a time).
struct AddColumn: AsyncMigration {
    let name: String
    let schema: String
    let column: String
    let type: DatabaseSchema.DataType

    func prepare(on database: any Database) async throws {
        try await database.schema(schema).field(.string(column), type).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(schema).deleteField(.string(column)).update()
    }
}
