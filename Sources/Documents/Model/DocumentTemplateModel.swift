import Fluent
import Foundation

/// `doc_templates`: the locality's drafting templates (`templates.yaml` in the pack): a document type with the
/// subject and body a specialist starts from (a decision on salary steps, an invitation to a meeting, …).
final class DocumentTemplateModel: Model, @unchecked Sendable {
    static let schema = "doc_templates"

    @ID(custom: "id", generatedBy: .user) var id: String?
    @Field(key: "name") var name: String
    @Field(key: "type_id") var typeID: String
    @Field(key: "subject") var subject: String
    @Field(key: "body") var body: String
    @Field(key: "sort_order") var sortOrder: Int

    init() {}

    init(id: String, name: String, typeID: String, subject: String, body: String, sortOrder: Int) {
        (self.id, self.name, self.typeID, self.subject, self.body, self.sortOrder) = (id, name, typeID, subject, body, sortOrder)
    }

    /// The template `id` as a request names it (an id is at most 60 characters), or nil.
    static func named(_ id: String?, on db: any Database) async throws -> DocumentTemplateModel? {
        guard let id, !id.isEmpty, id.count <= 60 else { return nil }
        return try await find(id, on: db)
    }
}

struct CreateDocumentTemplates: AsyncMigration {
    var name: String { "documents.021.templates" }

    func prepare(on database: any Database) async throws {
        try await database.schema(DocumentTemplateModel.schema)
            .field("id", .string, .identifier(auto: false)).field("name", .string, .required).field("type_id", .string, .required)
            .field("subject", .string, .required).field("body", .string, .required).field("sort_order", .int, .required).create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(DocumentTemplateModel.schema).delete()
    }
}
