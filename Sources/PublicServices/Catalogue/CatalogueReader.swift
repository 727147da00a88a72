import EGovCore
import EGovPlatform
import Foundation
import Yams

/// Reads `modules/public-services/` of a locality pack: the procedures and the processes they follow.
enum CatalogueReader {
    struct Catalogue: Sendable {
        var fields: [ProcedureField]
        var procedures: [(Procedure, SourceLocation)]
        var processes: [ProcessDefinition]
    }

    static let actionIDs: Set<String> = ["receive", "request-supplement", "supplement", "assign", "process", "approve", "transfer",
                                         "return-result", "refuse", "withdraw", "pay"]

    static func read(_ directory: URL) throws(PackError) -> Catalogue? {
        guard FileManager.default.fileExists(atPath: directory.appendingPathComponent("procedures.yaml").path) else { return nil }
        let processes = try readProcesses(YAMLFile(directory: directory, name: "processes.yaml", required: true))
        let (fields, procedures) = try readProcedures(YAMLFile(directory: directory, name: "procedures.yaml", required: true),
                                                      processIDs: Set(processes.map(\.id)))
        return Catalogue(fields: fields, procedures: procedures, processes: processes)
    }

    private static func readProcedures(_ file: YAMLFile, processIDs: Set<String>) throws(PackError) -> ([ProcedureField], [(Procedure, SourceLocation)]) {
        var top = try file.mapping(file.root, what: "procedures.yaml")
        var fields: [ProcedureField] = []
        for node in try file.sequence(top.node("fields"), what: "fields") {
            var map = try file.mapping(node, what: "field")
            fields.append(ProcedureField(code: try map.string("code"), name: try map.string("name")))
            try map.finish()
        }
        let fieldCodes = Set(fields.map(\.code))
        var procedures: [(Procedure, SourceLocation)] = []
        var codes: Set<String> = []
        for node in try file.sequence(top.node("procedures"), what: "procedures") {
            var map = try file.mapping(node, what: "procedure")
            let location = file.location(node)
            let code = try map.string("code")
            guard codes.insert(code).inserted else {
                throw PackError(file.location(map.node("code")), vi: "Mã thủ tục “\(code)” bị trùng.", en: "Procedure code “\(code)” is duplicated.")
            }
            let field = try map.string("field")
            guard fieldCodes.contains(field) else {
                throw PackError(file.location(map.node("field")), vi: "Lĩnh vực “\(field)” không có trong danh sách fields.",
                                en: "Field “\(field)” is not in the fields list.")
            }
            let level = try enumValue(ProcedureLevel.self, &map, "level", file)
            let units: UnitSelector
            if let unitsNode = map.node("units"), unitsNode.scalar?.string == "commune" {
                units = .everyCommune
            } else {
                units = .units(try map.strings("units"))
            }
            let onlineLevel = try enumValue(OnlineLevel.self, &map, "onlineLevel", file)
            guard let days = try map.optionalInt("processingDays"), days >= 0 else {
                throw PackError(location, vi: "Thiếu hoặc sai “processingDays”.", en: "“processingDays” is missing or invalid.")
            }
            let cutoff = try map.optionalInt("cutoffHour")
            if let cutoff, !(0...23).contains(cutoff) {
                throw PackError(file.location(map.node("cutoffHour")), vi: "“cutoffHour” phải từ 0 đến 23.", en: "“cutoffHour” must be 0…23.")
            }
            let process = try map.string("process")
            var byUnit: [String: String] = [:]
            if let byUnitNode = map.node("processByUnit") {
                let inner = try file.mapping(byUnitNode, what: "processByUnit")
                for (key, value) in inner.mapping { byUnit[key.string ?? ""] = value.string ?? "" }
            }
            for id in [process] + Array(byUnit.values) where !processIDs.contains(id) {
                throw PackError(file.location(map.node("process")), vi: "Quy trình “\(id)” không có trong processes.yaml.",
                                en: "Process “\(id)” is not in processes.yaml.")
            }
            var fees: [Fee] = []
            for feeNode in try file.sequence(map.node("fees"), what: "fees") {
                var fee = try file.mapping(feeNode, what: "fee")
                guard let amount = try fee.optionalInt("amount"), amount >= 0 else {
                    throw PackError(file.location(feeNode), vi: "“amount” phải là số đồng không âm.", en: "“amount” must be whole đồng, not negative.")
                }
                fees.append(Fee(name: try fee.string("name"), amount: amount, note: try fee.optionalString("note")))
                try fee.finish()
            }
            var components: [DossierComponent] = []
            for componentNode in try file.sequence(map.node("components"), what: "components") {
                var component = try file.mapping(componentNode, what: "component")
                let id = try component.string("id")
                guard !id.isEmpty, id.allSatisfy({ ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "-" }),
                      !components.contains(where: { $0.id == id }) else {
                    throw PackError(file.location(component.node("id")), vi: "Mã thành phần “\(id)” không hợp lệ hoặc bị trùng.",
                                    en: "Component id “\(id)” is invalid or duplicated.")
                }
                components.append(DossierComponent(
                    id: id, name: try component.string("name"), required: try component.optionalBool("required") ?? true,
                    copies: try component.optionalInt("copies") ?? 1, fileTypes: try component.strings("fileTypes").map { $0.lowercased() },
                    isForm: try component.optionalBool("form") ?? false))
                try component.finish()
            }
            let procedure = Procedure(
                code: code, name: try map.string("name"), field: field, level: level, units: units, onlineLevel: onlineLevel,
                processingDays: days, cutoffHour: cutoff, process: process, processByUnit: byUnit, fees: fees,
                legalBasis: try map.strings("legalBasis"), components: components, result: try map.string("result"))
            try map.finish()
            procedures.append((procedure, location))
        }
        try top.finish()
        return (fields, procedures)
    }

    private static func enumValue<T: RawRepresentable & CaseIterable>(_ type: T.Type, _ map: inout YAMLMapping, _ key: String,
                                                                       _ file: YAMLFile) throws(PackError) -> T where T.RawValue == String {
        let raw = try map.string(key)
        guard let value = T(rawValue: raw) else {
            let allowed = T.allCases.map(\.rawValue).joined(separator: ", ")
            throw PackError(file.location(map.node(key)), vi: "“\(key)” phải là một trong: \(allowed).", en: "“\(key)” must be one of: \(allowed).")
        }
        return value
    }

    private static func readProcesses(_ file: YAMLFile) throws(PackError) -> [ProcessDefinition] {
        var top = try file.mapping(file.root, what: "processes.yaml")
        var processes: [ProcessDefinition] = []
        for node in try file.sequence(top.node("processes"), what: "processes") {
            var map = try file.mapping(node, what: "process")
            let id = try map.string("id")
            var steps: [ProcessDefinition.Step] = []
            for stepNode in try file.sequence(map.node("steps"), what: "steps") {
                var step = try file.mapping(stepNode, what: "step")
                let status = try step.string("status")
                guard DossierStatus(rawValue: status) != nil else {
                    throw PackError(file.location(step.node("status")), vi: "Trạng thái “\(status)” không hợp lệ.", en: "Status “\(status)” is not valid.")
                }
                var holder: ProcessDefinition.Holder?
                if let holderNode = step.node("holder") {
                    var h = try file.mapping(holderNode, what: "holder")
                    if try h.optionalBool("applicant") == true {
                        holder = .applicantHolder
                    } else {
                        let rawPosition = try h.string("position")
                        guard let position = Position(rawValue: rawPosition) else {
                            throw PackError(file.location(h.node("position")), vi: "Chức vụ “\(rawPosition)” không hợp lệ.", en: "Position “\(rawPosition)” is not valid.")
                        }
                        let rawUnit = try h.optionalString("unit") ?? "competent"
                        guard let unit = ProcessDefinition.Holder.UnitRole(rawValue: rawUnit) else {
                            throw PackError(file.location(h.node("unit")), vi: "“unit” phải là receiving hoặc competent.", en: "“unit” must be receiving or competent.")
                        }
                        holder = .init(position: position, unit: unit)
                    }
                    try h.finish()
                }
                steps.append(.init(id: try step.string("id"), name: try step.string("name"), status: status, holder: holder,
                                   share: try step.optionalDouble("share") ?? 0, isFinal: try step.optionalBool("final") ?? false))
                try step.finish()
            }
            var actions: [ProcessDefinition.Action] = []
            for actionNode in try file.sequence(map.node("actions"), what: "actions") {
                var action = try file.mapping(actionNode, what: "action")
                let actionID = try action.string("id")
                guard actionIDs.contains(actionID) else {
                    throw PackError(file.location(action.node("id")), vi: "Thao tác “\(actionID)” không thuộc danh sách chuẩn.",
                                    en: "Action “\(actionID)” is not one of the standard actions.")
                }
                let by: ProcessDefinition.Action.Actor
                if let byNode = action.node("by"), byNode.sequence != nil {
                    var positions: [Position] = []
                    for raw in try action.strings("by") {
                        guard let position = Position(rawValue: raw) else {
                            throw PackError(file.location(byNode), vi: "Chức vụ “\(raw)” không hợp lệ.", en: "Position “\(raw)” is not valid.")
                        }
                        positions.append(position)
                    }
                    by = .positions(positions)
                } else {
                    switch try action.string("by") {
                    case "holder": by = .holder
                    case "applicant": by = .applicant
                    default:
                        throw PackError(file.location(action.node("by")), vi: "“by” phải là holder, applicant hoặc danh sách chức vụ.",
                                        en: "“by” must be holder, applicant or a list of positions.")
                    }
                }
                var clock: ClockEffect?
                if let rawClock = try action.optionalString("clock") {
                    guard let effect = ClockEffect(rawValue: rawClock) else {
                        throw PackError(file.location(action.node("clock")), vi: "“clock” phải là start, pause, resume hoặc stop.",
                                        en: "“clock” must be start, pause, resume or stop.")
                    }
                    clock = effect
                }
                actions.append(.init(id: actionID, name: try action.string("name"), from: try action.strings("from"), to: try action.string("to"),
                                     by: by, clock: clock, requires: try action.strings("requires"), produces: try action.strings("produces"),
                                     notify: try action.strings("notify"), needsNote: try action.optionalBool("needsNote") ?? false))
                try action.finish()
            }
            let definition = ProcessDefinition(id: id, name: try map.string("name"), steps: steps, actions: actions)
            try map.finish()
            if let problem = definition.problems().first {
                throw PackError(file.location(node), vi: "Quy trình “\(id)” không hợp lệ: \(problem).", en: "Process “\(id)” is invalid: \(problem).")
            }
            processes.append(definition)
        }
        try top.finish()
        return processes
    }
}
