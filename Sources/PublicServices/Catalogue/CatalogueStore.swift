import EGovCore
import EGovPlatform
import Fluent
import Foundation

/// Reads and writes the catalogue in the module's tables.
enum CatalogueStore {
    static let fieldsKey = "fields"
    /// Where the processes were kept before the platform's process store (`MoveProcessesToPlatform`).
    static let processesKey = "processes"

    /// Makes the tables hold exactly this catalogue (inside the pack import transaction).
    static func replace(with catalogue: CatalogueReader.Catalogue, on db: any Database) async throws {
        let units = try await UnitModel.query(on: db).all()
        let known = Set(units.map(\.code))
        let communes = units.filter { $0.type == UnitType.commune.rawValue }.map(\.code).sorted()

        for process in catalogue.processes {
            if case .unit(let code) = ReceptionRule(process), !known.contains(code) {
                throw PackError(SourceLocation(file: "processes.yaml", line: 0),
                                vi: "Quy trình “\(process.id)” nêu nơi tiếp nhận “\(code)” không có trong units.yaml.",
                                en: "Process “\(process.id)” names reception unit “\(code)”, which is not in units.yaml.")
            }
        }
        try await saveDocument(catalogue.fields, key: fieldsKey, on: db)
        try await ProcessStore.replace(module: PublicServicesModule.moduleID, with: catalogue.processes, on: db)
        try await saveDocument(catalogue.settings, key: settingsKey, on: db)

        let existing = Dictionary(try await ProcedureModel.query(on: db).all().map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        for (index, (procedure, location)) in catalogue.procedures.enumerated() {
            let unitCodes: [String]
            switch procedure.units {
            case .everyCommune: unitCodes = communes
            case .units(let codes): unitCodes = codes
            }
            for code in unitCodes + Array(procedure.processByUnit.keys) where !known.contains(code) {
                throw PackError(location, vi: "Thủ tục “\(procedure.code)” nêu đơn vị “\(code)” không có trong units.yaml.",
                                en: "Procedure “\(procedure.code)” names unit “\(code)”, which is not in units.yaml.")
            }
            try await save(procedure, unitCodes: unitCodes, sortOrder: index, existing: existing[procedure.code], on: db)
        }
        let codes = Set(catalogue.procedures.map(\.0.code))
        for (code, model) in existing where !codes.contains(code) {
            try await ProcedureUnitModel.query(on: db).filter(\.$procedureCode == code).delete()
            try await model.delete(on: db)
        }
    }

    /// Writes one procedure and the units that decide it.
    static func save(_ procedure: Procedure, unitCodes: [String], sortOrder: Int, existing: ProcedureModel?, on db: any Database) async throws {
        let model = existing ?? ProcedureModel()
        model.code = procedure.code
        model.name = procedure.name
        model.field = procedure.field
        model.onlineLevel = procedure.onlineLevel.rawValue
        model.searchText = SearchText.fold("\(procedure.code) \(procedure.name)")
        model.sortOrder = sortOrder
        model.entry = try CanonicalJSON.string(procedure)
        if model.hasChanges || model.id == nil { try await model.save(on: db) }
        let current = Set(try await ProcedureUnitModel.query(on: db).filter(\.$procedureCode == procedure.code).all(\.$unitCode))
        let wanted = Set(unitCodes)
        if current != wanted {
            try await ProcedureUnitModel.query(on: db).filter(\.$procedureCode == procedure.code).delete()
            for code in wanted.sorted() { try await ProcedureUnitModel(procedureCode: procedure.code, unitCode: code).create(on: db) }
        }
    }

    static func saveDocument(_ value: some Encodable, key: String, on db: any Database) async throws {
        let json = try CanonicalJSON.string(value)
        if let row = try await CatalogueDocumentModel.find(key, on: db) {
            if row.value != json {
                row.value = json
                try await row.save(on: db)
            }
        } else {
            try await CatalogueDocumentModel(key: key, value: json).create(on: db)
        }
    }

    static func document<T: Decodable>(_ type: T.Type, key: String, on db: any Database) async throws -> T? {
        guard let row = try await CatalogueDocumentModel.find(key, on: db) else { return nil }
        return try JSONDecoder().decode(T.self, from: Data(row.value.utf8))
    }

    static func procedure(of model: ProcedureModel) throws -> Procedure {
        try decodedProcedure(code: model.code, text: model.entry)
    }
}

extension CatalogueStore {
    static let settingsKey = "settings"

    /// A procedure by its code, or nil.
    static func procedure(code: String, on db: any Database) async throws -> Procedure? {
        guard let model = try await ProcedureModel.query(on: db).filter(\.$code == code).first() else { return nil }
        return try procedure(of: model)
    }

    /// The units that decide a procedure.
    static func unitCodes(of procedureCode: String, on db: any Database) async throws -> [String] {
        try await ProcedureUnitModel.query(on: db).filter(\.$procedureCode == procedureCode).sort(\.$unitCode).all(\.$unitCode)
    }

    /// The one-stop-shop's processes, from the platform's process store.
    static func processes(on db: any Database) async throws -> [String: ProcessDefinition] {
        try await ProcessStore.processes(module: PublicServicesModule.moduleID, on: db)
    }

    static func process(_ id: String, on db: any Database) async throws -> ProcessDefinition? {
        try await ProcessStore.process(id, module: PublicServicesModule.moduleID, on: db)
    }

    static func settings(on db: any Database) async throws -> OneStopSettings {
        try await CatalogueDocumentModel.find(settingsKey, on: db).map { try decodedSettings($0.value) } ?? OneStopSettings()
    }
}
