import EGovCore
import EGovPlatform
import Fluent
import Foundation

/// Writes the catalogue back out as `procedures.yaml` and `processes.yaml`, in the pack format.
enum CatalogueWriter {
    static func write(to directory: URL, on db: any Database) async throws {
        let models = try await ProcedureModel.query(on: db).sort(\.$sortOrder).all()
        guard !models.isEmpty else { return }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let fields = try await CatalogueStore.document([ProcedureField].self, key: CatalogueStore.fieldsKey, on: db) ?? []
        let processes = try await ProcessStore.list(module: PublicServicesModule.moduleID, on: db)
        let procedures = try models.map { try ProcedureOut(CatalogueStore.procedure(of: $0)) }
        let settings = try await CatalogueStore.settings(on: db)
        try PackFileWriter.write(ProceduresFile(settings: settings == OneStopSettings() ? nil : SettingsOut(dossierCode: settings.dossierCode.pattern),
                                                fields: fields, procedures: procedures),
                                 to: directory.appendingPathComponent("procedures.yaml"))
        try PackFileWriter.write(ProcessFile(processes: processes),
                                 to: directory.appendingPathComponent("processes.yaml"))
    }

    private struct SettingsOut: Encodable { var dossierCode: String }

    private struct ProceduresFile: Encodable {
        var settings: SettingsOut?
        var fields: [ProcedureField]
        var procedures: [ProcedureOut]
    }

    private struct ProcedureOut: Encodable {
        struct ComponentOut: Encodable {
            var id: String
            var name: String
            var required: Bool
            var copies: Int
            var fileTypes: [String]
            var form: Bool?
        }

        var code: String
        var name: String
        var field: String
        var level: String
        var units: UnitSelector
        var onlineLevel: String
        var processingDays: Int
        var cutoffHour: Int?
        var process: String
        var processByUnit: [String: String]?
        var fees: [Fee]
        var legalBasis: [String]
        var components: [ComponentOut]
        var result: String

        init(_ p: Procedure) {
            code = p.code
            name = p.name
            field = p.field
            level = p.level.rawValue
            units = p.units
            onlineLevel = p.onlineLevel.rawValue
            processingDays = p.processingDays
            cutoffHour = p.cutoffHour
            process = p.process
            processByUnit = p.processByUnit.isEmpty ? nil : p.processByUnit
            fees = p.fees
            legalBasis = p.legalBasis
            components = p.components.map {
                ComponentOut(id: $0.id, name: $0.name, required: $0.required, copies: $0.copies, fileTypes: $0.fileTypes,
                             form: $0.isForm ? true : nil)
            }
            result = p.result
        }
    }
}
