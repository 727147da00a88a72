/// The identifier of a process action (`receive`, `request-supplement`, …), as a type: a module
/// names the actions its code reacts to once, as constants, and compares them with `==` or in a
/// `switch` over `ProcessDefinition.Action.actionID`.
public struct ActionID: RawRepresentable, Hashable, Sendable, Codable, ExpressibleByStringLiteral, CustomStringConvertible {
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }

    public var description: String { rawValue }
}

extension ProcessDefinition.Action {
    /// `id` as a typed action identifier.
    public var actionID: ActionID { ActionID(rawValue: id) }
}
