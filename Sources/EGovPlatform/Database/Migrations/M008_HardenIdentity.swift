import Fluent
import SQLKit

/// Issue 11: sessions that expire on the server and can be ended per account, refresh-token families,
/// an epoch that invalidates every credential of an account at once, verified identities.
struct M008_HardenIdentity: AsyncMigration {
    var name: String { "core.008.harden-identity" }

    func prepare(on database: any Database) async throws {
        try await database.schema(UserModel.schema)
            .field("auth_epoch", .int, .required, .custom("DEFAULT 0"))
            .update()
        try await database.schema(UserModel.schema)
            .field("identity_verified_at", .datetime)
            .update()
        try await database.schema(RefreshTokenModel.schema)
            .field("family_id", .uuid)
            .update()
        try await database.index(on: RefreshTokenModel.schema, "family_id")
        try await database.schema(SessionModel.schema)
            .field("id", .string, .identifier(auto: false))
            .field("user_id", .uuid, .references(UserModel.schema, .id, onDelete: .cascade))
            .field("data", .string, .required)
            .field("created_at", .datetime, .required)
            .field("last_seen_at", .datetime, .required)
            .field("expires_at", .datetime, .required)
            .create()
        try await database.index(on: SessionModel.schema, "user_id")
        try await database.index(on: SessionModel.schema, "expires_at")
    }

    func revert(on database: any Database) async throws {
        try await database.schema(SessionModel.schema).delete()
        try await database.schema(RefreshTokenModel.schema).deleteField("family_id").update()
        try await database.schema(UserModel.schema).deleteField("identity_verified_at").update()
        try await database.schema(UserModel.schema).deleteField("auth_epoch").update()
    }
}
