import Fluent
import EGovCore
import EGovPlatform
import Foundation

/// `ps_procedures`: the catalogue, one row per procedure; the full entry as JSON, the columns that
/// are searched and filtered beside it.
final class ProcedureModel: Model, @unchecked Sendable {
    static let schema = "ps_procedures"

    @ID(key: .id) var id: UUID?
    @Field(key: "code") var code: String
    @Field(key: "name") var name: String
    @Field(key: "field") var field: String
    @Field(key: "online_level") var onlineLevel: String
    @Field(key: "search_text") var searchText: String
    @Field(key: "sort_order") var sortOrder: Int
    @Field(key: "entry") var entry: String

    init() {}
}

/// `ps_procedure_units`: which unit decides which procedure (a commune selector expanded).
final class ProcedureUnitModel: Model, @unchecked Sendable {
    static let schema = "ps_procedure_units"

    @ID(key: .id) var id: UUID?
    @Field(key: "procedure_code") var procedureCode: String
    @Field(key: "unit_code") var unitCode: String

    init() {}

    init(procedureCode: String, unitCode: String) {
        self.id = UUID()
        self.procedureCode = procedureCode
        self.unitCode = unitCode
    }
}

/// `ps_fields` and `ps_processes`: small lists kept as JSON documents per row.
final class CatalogueDocumentModel: Model, @unchecked Sendable {
    static let schema = "ps_catalogue_documents"

    @ID(custom: "key", generatedBy: .user) var id: String?
    @Field(key: "value") var value: String

    init() {}

    init(key: String, value: String) {
        self.id = key
        self.value = value
    }
}

struct CreateCatalogue: AsyncMigration {
    var name: String { "public-services.001.create-catalogue" }

    func prepare(on database: any Database) async throws {
        try await database.schema(ProcedureModel.schema)
            .id()
            .field("code", .string, .required)
            .field("name", .string, .required)
            .field("field", .string, .required)
            .field("online_level", .string, .required)
            .field("search_text", .string, .required)
            .field("sort_order", .int, .required)
            .field("entry", .string, .required)
            .unique(on: "code")
            .create()
        try await database.schema(ProcedureUnitModel.schema)
            .id()
            .field("procedure_code", .string, .required)
            .field("unit_code", .string, .required)
            .unique(on: "procedure_code", "unit_code")
            .create()
        try await database.schema(CatalogueDocumentModel.schema)
            .field("key", .string, .identifier(auto: false))
            .field("value", .string, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(CatalogueDocumentModel.schema).delete()
        try await database.schema(ProcedureUnitModel.schema).delete()
        try await database.schema(ProcedureModel.schema).delete()
    }
}

/// The processes move from the catalogue's documents into the platform's process store
/// (`core_processes`), where every module keeps its processes. The old document stays, unread, so that a
/// node still running the previous version keeps working during a rolling upgrade; a later migration
/// removes it.
struct MoveProcessesToPlatform: AsyncMigration {
    var name: String { "public-services.006.processes-to-platform" }

    func prepare(on database: any Database) async throws {
        guard let processes = try await CatalogueStore.document([ProcessDefinition].self, key: CatalogueStore.processesKey,
                                                                on: database) else { return }
        try await ProcessStore.replace(module: PublicServicesModule.moduleID, with: processes, on: database)
    }

    func revert(on database: any Database) async throws {
        let processes = try await ProcessStore.list(module: PublicServicesModule.moduleID, on: database)
        try await CatalogueStore.saveDocument(processes, key: CatalogueStore.processesKey, on: database)
    }
}
