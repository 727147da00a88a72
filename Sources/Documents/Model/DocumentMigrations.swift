import EGovPlatform
import Fluent

struct CreateDocumentTables: AsyncMigration {
    var name: String { "documents.001.create" }

    func prepare(on database: any Database) async throws {
        try await database.schema(DocumentTypeModel.schema)
            .field("id", .string, .identifier(auto: false)).field("name", .string, .required).field("abbreviation", .string)
            .field("edxml_type", .int, .required).field("sort_order", .int, .required).create()
        try await database.schema(IssuerModel.schema)
            .field("unit_code", .string, .identifier(auto: false)).field("abbreviation", .string, .required)
            .field("issues", .bool, .required).field("office_abbreviation", .string).create()
        try await database.schema(DocumentModel.schema).id()
            .field("direction", .string, .required).field("process_id", .string, .required).field("type_id", .string, .required)
            .field("subject", .string, .required).field("body", .string).field("urgency", .string, .required)
            .field("confidentiality", .string, .required).field("recipient_codes", .string, .required)
            .field("drafting_unit_code", .string, .required).field("issuer_code", .string, .required).field("drafter_id", .uuid)
            .field("register_year", .int).field("number", .int).field("notation", .string).field("issued_at", .datetime)
            .field("created_at", .datetime, .required)
            .caseColumns()
            // A number is given once per issuer's register and year; the notation is unique within its year.
            .unique(on: "issuer_code", "direction", "register_year", "number")
            .create()
        try await database.schema(DocumentModel.historySchema)
            .caseHistoryColumns(caseColumn: DocumentModel.historyCaseColumn, caseSchema: DocumentModel.schema).create()
    }

    func revert(on database: any Database) async throws {
        for schema in [DocumentModel.historySchema, DocumentModel.schema, IssuerModel.schema, DocumentTypeModel.schema] {
            try await database.schema(schema).delete()
        }
    }
}
