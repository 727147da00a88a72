import EGovCore
import Foundation

/// `processes.yaml` as the pack format writes it (the inverse of `ProcessReader`).
public struct ProcessFile: Encodable {
    var processes: [ProcessOut]

    public init(processes: [ProcessDefinition]) { self.processes = processes.map(ProcessOut.init) }

    struct ProcessOut: Encodable {
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
            var sign: [String]?
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
        var options: [String: String]
        var steps: [StepOut]
        var actions: [ActionOut]

        struct Key: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(_ string: String) { stringValue = string }
            init?(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }

        /// id and name first, the module's options next (sorted), then steps and actions: the order of the pack files.
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Key.self)
            try container.encode(id, forKey: Key("id"))
            try container.encode(name, forKey: Key("name"))
            for (key, value) in options.sorted(by: { $0.key < $1.key }) { try container.encode(value, forKey: Key(key)) }
            try container.encode(steps, forKey: Key("steps"))
            try container.encode(actions, forKey: Key("actions"))
        }

        init(_ d: ProcessDefinition) {
            id = d.id
            name = d.name
            options = d.options
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
                case .system: .word("system")
                case .positions(let list): .positions(list.map(\.rawValue))
                }
                return ActionOut(id: a.id, name: a.name, from: a.from, to: a.to, by: by, clock: a.clock?.rawValue,
                                 requires: a.requires.isEmpty ? nil : a.requires, produces: a.produces.isEmpty ? nil : a.produces,
                                 notify: a.notify.isEmpty ? nil : a.notify, needsNote: a.needsNote ? true : nil,
                                 sign: a.sign.isEmpty ? nil : a.sign.map(\.rawValue))
            }
        }
    }
}
