import EGovCore
import Fluent
import Foundation
import SQLKit

/// The personal e-data store of a citizen or business ("kho quản lý dữ liệu điện tử của tổ chức,
/// cá nhân", Decree 45/2020): every file they handed in and every result issued to them, offered
/// for reuse so that nobody is asked twice for the same paper. Content lives in the file store;
/// this keeps one row per owner and content.
public enum PersonalDataStore {
    public enum Kind: String, Codable, Sendable { case submitted, result }

    /// Keeps a file for its owner (once per content: a later use updates the label and source), in one statement that
    /// inserts the row or updates the one there: two requests keeping the same content at once both succeed, and a
    /// submission spends one round trip on it (issue 15). A result stays a result when it is handed in again later.
    @discardableResult
    public static func keep(owner: UserID, file: StoredFileModel, kind: Kind, label: String, source: String, componentID: String?,
                            at date: Date, on db: any Database) async throws -> PersonalFileModel {
        guard let sql = db as? any SQLDatabase else { throw ModelRead.NotSQL() }
        let upsert = keeping(owner: owner, file: file, kind: kind, label: label, source: source, componentID: componentID, at: date)
        guard let row = try await sql.raw("\(upsert) RETURNING *").first() else { throw NotKept() }
        return try row.decode(fluentModel: PersonalFileModel.self)
    }

    /// `keep`, as one statement of `batch` (a submission's last writes go together).
    public static func keep(owner: UserID, file: StoredFileModel, kind: Kind, label: String, source: String, componentID: String?,
                            at date: Date, in batch: inout WriteBatch) {
        batch.add(keeping(owner: owner, file: file, kind: kind, label: label, source: source, componentID: componentID, at: date))
    }

    /// The upsert both `keep`s send: a file kept again is the same row, brought up to date (a result stays a result).
    private static func keeping(owner: UserID, file: StoredFileModel, kind: Kind, label: String, source: String, componentID: String?,
                                at date: Date) -> SQLQueryString {
        let table = PersonalFileModel.schema
        return """
            INSERT INTO \(ident: table) (id, owner_id, sha256, name, content_type, size, kind, label, source, component_id, created_at, used_at)
            VALUES (\(bind: UUID()), \(bind: owner.rawValue), \(bind: file.sha256), \(bind: file.name), \(bind: file.contentType),
                    \(bind: file.size), \(bind: kind.rawValue), \(bind: label), \(bind: source), \(bind: componentID), \(bind: date), \(bind: date))
            ON CONFLICT (owner_id, sha256) DO UPDATE SET
                kind = CASE WHEN \(ident: table).kind = \(bind: Kind.result.rawValue) THEN \(ident: table).kind ELSE excluded.kind END,
                name = excluded.name, label = excluded.label, source = excluded.source,
                component_id = COALESCE(excluded.component_id, \(ident: table).component_id), used_at = excluded.used_at
            """
    }

    /// An upsert that answered no row (it always answers one).
    struct NotKept: Error {}

    /// One of the owner's files, or nil when it is not theirs.
    public static func file(_ id: UUID, owner: UserID, on db: any Database) async throws -> PersonalFileModel? {
        try await PersonalFileModel.query(on: db).filter(\.$id == id).filter(\.$ownerID == owner.rawValue).first()
    }
}

/// `core_personal_files`: one file in one person's e-data store.
public final class PersonalFileModel: Model, @unchecked Sendable {
    public static let schema = "core_personal_files"

    @ID(key: .id) public var id: UUID?
    @Field(key: "owner_id") public var ownerID: UUID
    @Field(key: "sha256") public var sha256: String
    @Field(key: "name") public var name: String
    @Field(key: "content_type") public var contentType: String
    @Field(key: "size") public var size: Int
    @Field(key: "kind") public var kind: String
    /// What the paper is ("Giấy chứng sinh", the result's name), shown when offering it again.
    @Field(key: "label") public var label: String
    /// Where it was last used or issued (`dossier:CODE`).
    @Field(key: "source") public var source: String
    @OptionalField(key: "component_id") public var componentID: String?
    @Field(key: "created_at") public var createdAt: Date
    @Field(key: "used_at") public var usedAt: Date

    public init() {}
}

struct M007_CreatePersonalFiles: AsyncMigration {
    var name: String { "core.007.create-personal-files" }

    func prepare(on database: any Database) async throws {
        try await database.schema(PersonalFileModel.schema)
            .id()
            .field("owner_id", .uuid, .required)
            .field("sha256", .string, .required)
            .field("name", .string, .required)
            .field("content_type", .string, .required)
            .field("size", .int, .required)
            .field("kind", .string, .required)
            .field("label", .string, .required)
            .field("source", .string, .required)
            .field("component_id", .string)
            .field("created_at", .datetime, .required)
            .field("used_at", .datetime, .required)
            .unique(on: "owner_id", "sha256")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(PersonalFileModel.schema).delete()
    }
}
