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
        var settings: OneStopSettings
    }

    static let actionIDs = Set(DossierAction.known.map(\.rawValue))

    static func read(_ directory: URL) throws(PackError) -> Catalogue? {
        guard FileManager.default.fileExists(atPath: directory.appendingPathComponent("procedures.yaml").path) else { return nil }
        let processes = try ProcessReader.read(YAMLFile(directory: directory, name: "processes.yaml", required: true),
                                               statuses: Set(DossierStatus.allCases.map(\.rawValue)), actionIDs: actionIDs,
                                               optionKeys: [ReceptionRule.optionKey])
        let (fields, procedures, settings) = try readProcedures(YAMLFile(directory: directory, name: "procedures.yaml", required: true),
                                                                processIDs: Set(processes.map(\.id)))
        return Catalogue(fields: fields, procedures: procedures, processes: processes, settings: settings)
    }

    private static func readProcedures(_ file: YAMLFile, processIDs: Set<String>)
        throws(PackError) -> ([ProcedureField], [(Procedure, SourceLocation)], OneStopSettings) {
        var top = try file.mapping(file.root, what: "procedures.yaml")
        var settings = OneStopSettings()
        if let settingsNode = top.node("settings") {
            var map = try file.mapping(settingsNode, what: "settings")
            if let raw = try map.optionalString("dossierCode") {
                do { settings.dossierCode = try CodePattern(raw) } catch {
                    throw PackError(file.location(map.node("dossierCode")), vi: error.message.vi, en: error.message.en)
                }
            }
            try map.finish()
        }
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
            guard let days = try map.optionalInt("processingDays"), Procedure.processingDaysRange.contains(days) else {
                throw PackError(location, vi: "Thiếu hoặc sai “processingDays”.", en: "“processingDays” is missing or invalid.")
            }
            let cutoff = try map.optionalInt("cutoffHour")
            if let cutoff, !Procedure.cutoffHours.contains(cutoff) {
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
                guard let amount = try fee.optionalInt("amount"), VND.isValid(amount) else {
                    throw PackError(file.location(feeNode), vi: "“amount” phải là số đồng từ 0 đến \(VND.maximum).",
                                    en: "“amount” must be whole đồng from 0 to \(VND.maximum).")
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
        return (fields, procedures, settings)
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
}
