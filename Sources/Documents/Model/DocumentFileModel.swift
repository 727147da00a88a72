import EGovPlatform
import Fluent
import Foundation

/// `doc_document_files`: a file of a document, in the content-addressed file store. Every version is kept: a
/// signature adds the signed file as the current one (`current`), and the version before it stays, no longer
/// current, named by the history event (`seq`) that brought it.
final class DocumentFileModel: Model, @unchecked Sendable {
    static let schema = "doc_document_files"

    @ID(key: .id) var id: UUID?
    @Field(key: "document_id") var documentID: UUID
    @Field(key: "seq") var seq: Int
    @Field(key: "name") var name: String
    @Field(key: "content_type") var contentType: String
    @Field(key: "size") var size: Int
    @Field(key: "sha256") var sha256: String
    @Field(key: "signed") var signed: Bool
    @Field(key: "current") var current: Bool
    @OptionalField(key: "verification_code") var verificationCode: String?
    @Field(key: "created_at") var createdAt: Date

    init() {}

    init(documentID: UUID, seq: Int, file: DocumentFiles.Stored, at date: Date) {
        (id, self.documentID, self.seq, name, contentType) = (UUID(), documentID, seq, file.name, file.contentType)
        (size, sha256, signed, current, verificationCode, createdAt) = (file.size, file.sha256, file.signed || file.verificationCode != nil, true,
                                                                        file.verificationCode, date)
    }
}

struct CreateDocumentFiles: AsyncMigration {
    var name: String { "documents.002.files" }

    func prepare(on database: any Database) async throws {
        try await database.schema(DocumentFileModel.schema).id()
            .field("document_id", .uuid, .required, .references(DocumentModel.schema, "id", onDelete: .cascade))
            .field("seq", .int, .required).field("name", .string, .required).field("content_type", .string, .required)
            .field("size", .int, .required).field("sha256", .string, .required).field("signed", .bool, .required)
            .field("current", .bool, .required).field("verification_code", .string).field("created_at", .datetime, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(DocumentFileModel.schema).delete()
    }
}
