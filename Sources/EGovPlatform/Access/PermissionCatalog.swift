import EGovCore

/// Which positions grant which permissions: the platform's defaults plus every enabled module's. Building
/// it registers the modules' own positions (`Position.register`).
public struct PermissionCatalog: Sendable {
    public let byPosition: [Position: Set<Permission>]

    public init(modules: [any EGovModule]) {
        for module in modules {
            for entry in module.positions() { Position.register(entry.position, label: entry.label) }
        }
        var table: [Position: Set<Permission>] = [:]
        for position in Position.allCases { table[position] = position.platformPermissions }
        for module in modules {
            for entry in module.permissions() {
                for position in entry.grantedTo { table[position, default: []].insert(entry.permission) }
            }
        }
        byPosition = table
    }

    public var all: [Permission] { Array(Set(byPosition.values.flatMap { $0 })).sorted() }
}
