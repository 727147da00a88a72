import Fluent

struct M001_CreateUnits: AsyncMigration {
    var name: String { "core.001.create-units" }

    func prepare(on database: any Database) async throws {
        try await database.schema(UnitModel.schema)
            .id()
            .field("code", .string, .required)
            .field("type", .string, .required)
            .field("name", .string, .required)
            .field("short_name", .string, .required)
            .field("parent_id", .uuid, .references(UnitModel.schema, .id, onDelete: .restrict))
            .field("path", .string, .required)
            .field("depth", .int, .required)
            .field("sort_order", .int, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "code")
            .create()
        try await database.index(on: UnitModel.schema, "path")
    }

    func revert(on database: any Database) async throws {
        try await database.schema(UnitModel.schema).delete()
    }
}
