import EGovCore
import Fluent
import Foundation

/// `core_processes`: the configured processes, owned by the platform. A module registers its
/// processes (from its pack folder) under its id; a procedure or document type names one per unit.
final class ProcessModel: Model, @unchecked Sendable {
    static let schema = "core_processes"

    /// `<module>:<process id>`.
    @ID(custom: "id", generatedBy: .user) var id: String?
    @Field(key: "module") var module: String
    @Field(key: "process_id") var processID: String
    /// The `ProcessDefinition` as canonical JSON.
    @Field(key: "definition") var definition: String
    /// Its place in the module's list (as the pack wrote them), for export.
    @Field(key: "sort_order") var sortOrder: Int

    init() {}

    init(module: String, definition: ProcessDefinition, sortOrder: Int) throws {
        self.id = Self.key(module: module, processID: definition.id)
        self.module = module
        self.processID = definition.id
        self.definition = try CanonicalJSON.string(definition)
        self.sortOrder = sortOrder
    }

    static func key(module: String, processID: String) -> String { "\(module):\(processID)" }
}

struct M009_CreateProcesses: AsyncMigration {
    var name: String { "core.009.create-processes" }

    func prepare(on database: any Database) async throws {
        try await database.schema(ProcessModel.schema)
            .field("id", .string, .identifier(auto: false))
            .field("module", .string, .required)
            .field("process_id", .string, .required)
            .field("definition", .string, .required)
            .field("sort_order", .int, .required)
            .unique(on: "module", "process_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ProcessModel.schema).delete()
    }
}

/// Reads and writes the processes. Read on every case request, so a decoded process is kept for as
/// long as its stored text is unchanged (compared on each read: never stale, also across nodes).
public enum ProcessStore {
    /// Makes the module's processes exactly `processes` (inside the pack import transaction).
    public static func replace(module: String, with processes: [ProcessDefinition], on db: any Database) async throws {
        let existing = try await ProcessModel.query(on: db).filter(\.$module == module).all()
        let byID = Dictionary(existing.map { ($0.processID, $0) }, uniquingKeysWith: { first, _ in first })
        // One per id, the first (the pack reader refuses duplicates; documents stored before it may have them).
        var seen = Set<String>()
        let unique = processes.filter { seen.insert($0.id).inserted }
        let wanted = Set(unique.map(\.id))
        for model in existing where !wanted.contains(model.processID) { try await model.delete(on: db) }
        for (index, process) in unique.enumerated() {
            let fresh = try ProcessModel(module: module, definition: process, sortOrder: index)
            if let current = byID[process.id] {
                if current.definition != fresh.definition || current.sortOrder != index {
                    current.definition = fresh.definition
                    current.sortOrder = index
                    try await current.save(on: db)
                }
            } else {
                try await fresh.create(on: db)
            }
        }
    }

    /// Adds the module's shipped processes (`EGovModule.processTemplates`) whose ids it does not have yet.
    public static func addMissing(module: String, _ templates: [ProcessDefinition], on db: any Database) async throws {
        guard !templates.isEmpty else { return }
        var existing = Set(try await ProcessModel.query(on: db).filter(\.$module == module).all(\.$processID))
        var order = existing.count
        for template in templates where existing.insert(template.id).inserted {
            try await ProcessModel(module: module, definition: template, sortOrder: order).create(on: db)
            order += 1
        }
    }

    /// The table, for a read that takes a process's stored text with its case (`core_processes`: `module`,
    /// `process_id`, `definition`), then gives it to `process(module:processID:definition:)`.
    public static var table: String { ProcessModel.schema }

    /// The process whose stored text is `definition`, decoded once for as long as that text is unchanged.
    public static func process(module: String, processID: String, definition: String) throws -> ProcessDefinition {
        try decoded(key: ProcessModel.key(module: module, processID: processID), text: definition)
    }

    /// One process of the module, or nil.
    public static func process(_ id: String, module: String, on db: any Database) async throws -> ProcessDefinition? {
        guard let row = try await ModelRead.find(ProcessModel.self, ProcessModel.key(module: module, processID: id), on: db) else { return nil }
        return try decoded(row)
    }

    /// All the module's processes in their pack order.
    public static func list(module: String, on db: any Database) async throws -> [ProcessDefinition] {
        try await ProcessModel.query(on: db).filter(\.$module == module).sort(\.$sortOrder).sort(\.$processID).all().map(decoded)
    }

    /// All the module's processes by id.
    public static func processes(module: String, on db: any Database) async throws -> [String: ProcessDefinition] {
        var result: [String: ProcessDefinition] = [:]
        for row in try await ProcessModel.query(on: db).filter(\.$module == module).all() {
            result[row.processID] = try decoded(row)
        }
        return result
    }

    private static let cache = DecodedTextCache<ProcessDefinition>()

    private static func decoded(_ row: ProcessModel) throws -> ProcessDefinition {
        try decoded(key: row.id ?? ProcessModel.key(module: row.module, processID: row.processID), text: row.definition)
    }

    private static func decoded(key: String, text: String) throws -> ProcessDefinition {
        try cache.value(key: key, text: text)
    }
}
