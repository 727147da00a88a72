import EGovCore
import Foundation
import Yams

/// Reads configured processes (steps and actions) from a locality pack, for any module that runs
/// its cases on the process engine. Every problem is refused with its file and line.
public enum ProcessReader {
    /// Reads `processes:` of a pack file. `statuses` and `actionIDs` are the module's words; `optionKeys`
    /// the module's own per-process settings, kept in `ProcessDefinition.options`.
    public static func read(_ file: YAMLFile, statuses: Set<String>, actionIDs: Set<String>,
                            optionKeys: Set<String> = []) throws(PackError) -> [ProcessDefinition] {
        var top = try file.mapping(file.root, what: "processes.yaml")
        var processes: [ProcessDefinition] = []
        for node in try file.sequence(top.node("processes"), what: "processes") {
            var map = try file.mapping(node, what: "process")
            let id = try map.string("id")
            guard !processes.contains(where: { $0.id == id }) else {
                throw PackError(file.location(node), vi: "Mã quy trình “\(id)” bị lặp.", en: "Process id “\(id)” is used twice.")
            }
            var options: [String: String] = [:]
            for key in optionKeys.sorted() {
                if let value = try map.optionalString(key) { options[key] = value }
            }
            var steps: [ProcessDefinition.Step] = []
            for stepNode in try file.sequence(map.node("steps"), what: "steps") {
                var step = try file.mapping(stepNode, what: "step")
                let status = try step.string("status")
                guard statuses.contains(status) else {
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
                            throw PackError(file.location(h.node("unit")), vi: "“unit” phải là receiving, competent hoặc consulted.",
                                            en: "“unit” must be receiving, competent or consulted.")
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
                    case "system": by = .system
                    default:
                        throw PackError(file.location(action.node("by")), vi: "“by” phải là holder, applicant, system hoặc danh sách chức vụ.",
                                        en: "“by” must be holder, applicant, system or a list of positions.")
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
                var sign: [ProcessDefinition.Action.Signature] = []
                for raw in try action.strings("sign") {
                    guard let signature = ProcessDefinition.Action.Signature(rawValue: raw) else {
                        throw PackError(file.location(action.node("sign")), vi: "“sign” chỉ gồm officer (chữ ký của người thực hiện) và seal (con dấu số của đơn vị).",
                                        en: "“sign” lists only officer (the acting officer's signature) and seal (the unit's seal).")
                    }
                    sign.append(signature)
                }
                actions.append(.init(id: actionID, name: try action.string("name"), from: try action.strings("from"), to: try action.string("to"),
                                     by: by, clock: clock, requires: try action.strings("requires"), produces: try action.strings("produces"),
                                     notify: try action.strings("notify"), needsNote: try action.optionalBool("needsNote") ?? false, sign: sign))
                try action.finish()
            }
            let definition = ProcessDefinition(id: id, name: try map.string("name"), steps: steps, actions: actions, options: options)
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
