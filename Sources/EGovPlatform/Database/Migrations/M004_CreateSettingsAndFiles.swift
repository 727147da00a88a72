import Fluent

struct M004_CreateSettingsAndFiles: AsyncMigration {
    var name: String { "core.004.create-settings-and-files" }

    func prepare(on database: any Database) async throws {
        try await database.schema(SettingModel.schema)
            .field("key", .string, .identifier(auto: false))
            .field("value", .string, .required)
            .field("updated_at", .datetime)
            .create()
        try await database.schema(StoredFileModel.schema)
            .id()
            .field("sha256", .string, .required)
            .field("size", .int, .required)
            .field("content_type", .string, .required)
            .field("name", .string, .required)
            .field("created_at", .datetime)
            .create()
        try await database.index(on: StoredFileModel.schema, "sha256")
    }

    func revert(on database: any Database) async throws {
        try await database.schema(StoredFileModel.schema).delete()
        try await database.schema(SettingModel.schema).delete()
    }
}
