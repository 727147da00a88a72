import Foundation

/// A UUID that knows what it identifies, so a unit's id can never be passed where a user's is meant.
public struct Identifier<Tag>: Hashable, Codable, Sendable, CustomStringConvertible {
    public let rawValue: UUID

    public init(_ rawValue: UUID) { self.rawValue = rawValue }
    public init() { self.rawValue = UUID() }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(UUID.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public var description: String { rawValue.uuidString.lowercased() }
}

public enum UnitTag {}
public enum UserTag {}
public enum AuditEventTag {}

public typealias UnitID = Identifier<UnitTag>
public typealias UserID = Identifier<UserTag>
public typealias AuditEventID = Identifier<AuditEventTag>
