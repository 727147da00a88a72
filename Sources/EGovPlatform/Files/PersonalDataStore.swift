import EGovCore
import Fluent
import Foundation

/// The personal e-data store of a citizen or business ("kho quản lý dữ liệu điện tử của tổ chức,
/// cá nhân", Decree 45/2020): every file they handed in and every result issued to them, offered
/// for reuse so that nobody is asked twice for the same paper. Content lives in the file store;
/// this keeps one row per owner and content.
public enum PersonalDataStore {
    public enum Kind: String, Codable, Sendable { case submitted, result }

    /// Keeps a file for its owner (once per content: a later use updates the label and source).
    @discardableResult
    public static func keep(owner: UserID, file: StoredFileModel, kind: Kind, label: String, source: String, componentID: String?,
                            at date: Date, on db: any Database) async throws -> PersonalFileModel {
        if let existing = try await ModelRead.first(PersonalFileModel.self, where: [("owner_id", owner.rawValue), ("sha256", file.sha256)],
                                                    on: db) {
            // A result stays a result even when it is handed in again later.
            if existing.kind != Kind.result.rawValue { existing.kind = kind.rawValue }
            existing.name = file.name
            existing.label = label
            existing.source = source
            existing.componentID = componentID ?? existing.componentID
            existing.usedAt = date
            try await existing.save(on: db)
            return existing
        }
        let model = PersonalFileModel()
        model.id = UUID()
        model.ownerID = owner.rawValue
        model.sha256 = file.sha256
        model.name = file.name
        model.contentType = file.contentType
        model.size = file.size
        model.kind = kind.rawValue
        model.label = label
        model.source = source
        model.componentID = componentID
        model.createdAt = date
        model.usedAt = date
        try await model.create(on: db)
        return model
    }

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
