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
        let processes = try await CatalogueStore.document([ProcessDefinition].self, key: CatalogueStore.processesKey, on: db) ?? []
        let procedures = try models.map { try ProcedureOut(CatalogueStore.procedure(of: $0)) }
        try PackFileWriter.write(ProceduresFile(fields: fields, procedures: procedures),
                                 to: directory.appendingPathComponent("procedures.yaml"))
        try PackFileWriter.write(ProcessesFile(processes: processes.map(ProcessOut.init)),
                                 to: directory.appendingPathComponent("processes.yaml"))
    }

    private struct ProceduresFile: Encodable {
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

    private struct ProcessesFile: Encodable { var processes: [ProcessOut] }

    private struct ProcessOut: Encodable {
        struct HolderOut: Encodable {
            var position: String?
            var unit: String?
            var applicant: Bool?
        }

        struct StepOut: Encodable {
            var id: String
            var name: String
            var status: String
            var holder: HolderOut?
            var share: Double?
            var final: Bool?
        }

        struct ActionOut: Encodable {
            var id: String
            var name: String
            var from: [String]
            var to: String
            var by: ByOut
            var clock: String?
            var requires: [String]?
            var produces: [String]?
            var notify: [String]?
            var needsNote: Bool?
        }

        enum ByOut: Encodable {
            case word(String)
            case positions([String])

            func encode(to encoder: any Encoder) throws {
                var container = encoder.singleValueContainer()
                switch self {
                case .word(let word): try container.encode(word)
                case .positions(let list): try container.encode(list)
                }
            }
        }

        var id: String
        var name: String
        var steps: [StepOut]
        var actions: [ActionOut]

        init(_ d: ProcessDefinition) {
            id = d.id
            name = d.name
            steps = d.steps.map { step in
                let holder = step.holder.map { h in
                    h.applicant ? HolderOut(position: nil, unit: nil, applicant: true) : HolderOut(position: h.position?.rawValue, unit: h.unit.rawValue, applicant: nil)
                }
                return StepOut(id: step.id, name: step.name, status: step.status, holder: holder,
                               share: step.isFinal && step.share == 0 ? nil : step.share, final: step.isFinal ? true : nil)
            }
            actions = d.actions.map { a in
                let by: ByOut = switch a.by {
                case .holder: .word("holder")
                case .applicant: .word("applicant")
                case .positions(let list): .positions(list.map(\.rawValue))
                }
                return ActionOut(id: a.id, name: a.name, from: a.from, to: a.to, by: by, clock: a.clock?.rawValue,
                                 requires: a.requires.isEmpty ? nil : a.requires, produces: a.produces.isEmpty ? nil : a.produces,
                                 notify: a.notify.isEmpty ? nil : a.notify, needsNote: a.needsNote ? true : nil)
            }
        }
    }
}
