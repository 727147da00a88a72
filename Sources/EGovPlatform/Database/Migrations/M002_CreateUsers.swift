import Fluent

struct M002_CreateUsers: AsyncMigration {
    var name: String { "core.002.create-users" }

    func prepare(on database: any Database) async throws {
        try await database.schema(UserModel.schema)
            .id()
            .field("username", .string, .required)
            .field("full_name", .string, .required)
            .field("kind", .string, .required)
            .field("email", .string)
            .field("phone", .string)
            .field("id_number_hash", .string)
            .field("id_number_sealed", .string)
            .field("password_hash", .string, .required)
            .field("is_active", .bool, .required)
            .field("failed_logins", .int, .required)
            .field("locked_until", .datetime)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "username")
            .unique(on: "email")
            .unique(on: "id_number_hash")
            .create()
        try await database.schema(UserPositionModel.schema)
            .id()
            .field("user_id", .uuid, .required, .references(UserModel.schema, .id, onDelete: .cascade))
            .field("unit_id", .uuid, .required, .references(UnitModel.schema, .id, onDelete: .restrict))
            .field("position", .string, .required)
            .unique(on: "user_id", "unit_id", "position")
            .create()
        try await database.schema(RefreshTokenModel.schema)
            .id()
            .field("user_id", .uuid, .required, .references(UserModel.schema, .id, onDelete: .cascade))
            .field("token_hash", .string, .required)
            .field("expires_at", .datetime, .required)
            .field("revoked_at", .datetime)
            .field("created_at", .datetime)
            .unique(on: "token_hash")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(RefreshTokenModel.schema).delete()
        try await database.schema(UserPositionModel.schema).delete()
        try await database.schema(UserModel.schema).delete()
    }
}
