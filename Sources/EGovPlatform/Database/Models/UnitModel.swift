import EGovCore
import Fluent
import Foundation

/// A node of the organisation tree. `path` holds the ids from the root down to this unit
/// (`/id/id/…/`), so "is X inside Y's subtree" is a prefix test, in SQL and in Swift.
public final class UnitModel: Model, @unchecked Sendable {
    public static let schema = "core_units"

    @ID(key: .id) public var id: UUID?
    @Field(key: "code") public var code: String
    @Field(key: "type") public var type: String
    @Field(key: "name") public var name: String
    @Field(key: "short_name") public var shortName: String
    @OptionalParent(key: "parent_id") public var parent: UnitModel?
    @Field(key: "path") public var path: String
    @Field(key: "depth") public var depth: Int
    @Field(key: "sort_order") public var sortOrder: Int
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    public init() {}

    public init(id: UUID = UUID(), code: String, type: UnitType, name: String, shortName: String,
                parent: UnitModel?, sortOrder: Int) {
        self.id = id
        self.code = code
        self.type = type.rawValue
        self.name = name
        self.shortName = shortName
        self.$parent.id = parent?.id
        self.path = (parent?.path ?? "/") + id.uuidString.lowercased() + "/"
        self.depth = (parent?.depth ?? -1) + 1
        self.sortOrder = sortOrder
    }

    public var unitID: UnitID? { id.map(UnitID.init) }
    public var unitType: UnitType? { UnitType(rawValue: type) }

    public func isInSubtree(ofPath ancestorPath: String) -> Bool { path.hasPrefix(ancestorPath) }
}
