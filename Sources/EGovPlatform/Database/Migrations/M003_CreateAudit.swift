import Fluent

struct M003_CreateAudit: AsyncMigration {
    var name: String { "core.003.create-audit" }

    func prepare(on database: any Database) async throws {
        try await database.schema(AuditSealModel.schema)
            .id()
            .field("sequence", .int, .required)
            .field("sealed_at", .datetime, .required)
            .field("entries", .string, .required)
            .field("previous_hash", .string, .required)
            .field("hash", .string, .required)
            .unique(on: "sequence")
            .create()
        try await database.schema(AuditEventModel.schema)
            .id()
            .field("occurred_at", .datetime, .required)
            .field("actor_id", .uuid)
            .field("actor_name", .string, .required)
            .field("unit_code", .string)
            .field("action", .string, .required)
            .field("target", .string, .required)
            .field("client_address", .string)
            .field("summary", .string, .required)
            .field("hash", .string, .required)
            .field("seal_id", .uuid)
            .create()
        try await database.index(on: AuditEventModel.schema, "occurred_at")
        try await database.index(on: AuditEventModel.schema, "seal_id")
    }

    func revert(on database: any Database) async throws {
        try await database.schema(AuditEventModel.schema).delete()
        try await database.schema(AuditSealModel.schema).delete()
    }
}
