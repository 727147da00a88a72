import EGovCore
import Fluent
import Vapor

/// One application on the platform (public services, documents, …). A module owns its tables
/// (prefixed with its id), declares its permissions and registers its routes at boot. Modules never
/// import each other; they meet through platform services.
public protocol EGovModule: Sendable {
    /// Stable identifier, also the folder of its data in a locality pack (`modules/<id>/`).
    var id: String { get }
    var name: LocalizedText { get }
    /// Only this module's tables. Enabling a module runs them; disabling it leaves its data alone.
    func migrations() -> [any Migration]
    /// Permissions this module checks, and which positions get them by default.
    func permissions() -> [ModulePermission]
    /// Routes (web and /api/v1), jobs and event handlers.
    func boot(_ app: Application) async throws
    /// Loads `modules/<id>/` of a locality pack inside the import transaction.
    func importPack(from directory: URL, on database: any Database) async throws
    /// Writes this module's data back out to `modules/<id>/`.
    func exportPack(to directory: URL, on database: any Database) async throws
}

public struct ModulePermission: Sendable {
    public let permission: Permission
    public let grantedTo: Set<Position>

    public init(_ permission: Permission, grantedTo: Set<Position>) {
        self.permission = permission
        self.grantedTo = grantedTo
    }
}

extension EGovModule {
    public func migrations() -> [any Migration] { [] }
    public func permissions() -> [ModulePermission] { [] }
    public func importPack(from directory: URL, on database: any Database) async throws {}
    public func exportPack(to directory: URL, on database: any Database) async throws {}
}
