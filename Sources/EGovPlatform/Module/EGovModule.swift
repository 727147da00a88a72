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
    /// Positions this module adds to the platform's (a document clerk, …), with their labels.
    func positions() -> [ModulePosition]
    /// Permissions this module checks, and which positions get them by default.
    func permissions() -> [ModulePermission]
    /// Routes (web and /api/v1), jobs and event handlers. The server hands over its route groups,
    /// with authentication and CSRF protection already in place.
    func boot(_ app: Application, routes: ModuleRoutes) async throws
    /// The processes this module ships, so that it runs before a locality configures its own: after a pack
    /// import, each one the pack did not define (by id) is added to the process store.
    func processTemplates() -> [ProcessDefinition]
    /// Loads `modules/<id>/` of a locality pack inside the import transaction.
    func importPack(from directory: URL, on database: any Database) async throws
    /// Writes this module's data back out to `modules/<id>/`.
    func exportPack(to directory: URL, on database: any Database) async throws
    /// This module's `/api/v1` operations and schemas for `/openapi.json`.
    func openAPI() -> OpenAPIContribution
    /// Main-menu entries for this visitor (nil: nobody is signed in).
    func menu(for principal: Principal?) -> [MenuItem]
    /// Work this module does on its own, every so often, while the server runs.
    func periodicJobs() -> [PeriodicJob]
    /// Fills the database with generated cases for benchmarks (`egov bench-data`); nil: this module has none.
    func benchData() -> BenchDataGenerator?
}

/// A module's generator of benchmark data: `count` cases over a year, with a progress callback
/// (written, total), never on a real installation.
public struct BenchDataGenerator: Sendable {
    public struct Summary: Sendable {
        public let cases: Int
        public let seconds: Double
        /// A sample of the generated case codes, for lookup benchmarks.
        public let sampleCodes: [String]
        /// Cases an earlier, stopped run had written: they count towards `count`, and this run continued it.
        public let resumedFrom: Int

        public init(cases: Int, seconds: Double, sampleCodes: [String], resumedFrom: Int = 0) {
            self.cases = cases
            self.seconds = seconds
            self.sampleCodes = sampleCodes
            self.resumedFrom = resumedFrom
        }
    }

    /// What it generates, for the progress line ("dossiers").
    public let noun: String
    public let generate: @Sendable (_ count: Int, _ services: PlatformServices, _ db: any Database,
                                    _ progress: @escaping @Sendable (Int, Int) -> Void) async throws -> Summary

    public init(noun: String, generate: @escaping @Sendable (Int, PlatformServices, any Database,
                                                             @escaping @Sendable (Int, Int) -> Void) async throws -> Summary) {
        self.noun = noun
        self.generate = generate
    }
}

/// Paths (`"/api/v1/…": {"get": …}`) and component schemas a module adds to the API description.
public struct OpenAPIContribution: Sendable {
    public var paths: [String: JSONValue]
    public var schemas: [String: JSONValue]

    public init(paths: [String: JSONValue] = [:], schemas: [String: JSONValue] = [:]) {
        self.paths = paths
        self.schemas = schemas
    }
}

/// The server's route groups a module registers on.
public struct ModuleRoutes {
    /// `/api/v1`: bearer tokens authenticate; the handler checks what the principal may do.
    public let api: any RoutesBuilder
    /// Web pages: database sessions, the signed-in principal, CSRF checks on forms.
    public let web: any RoutesBuilder

    public init(api: any RoutesBuilder, web: any RoutesBuilder) {
        self.api = api
        self.web = web
    }
}

public struct ModulePosition: Sendable {
    public let position: Position
    public let label: LocalizedText

    public init(_ position: Position, label: LocalizedText) {
        self.position = position
        self.label = label
    }
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
    public func positions() -> [ModulePosition] { [] }
    public func processTemplates() -> [ProcessDefinition] { [] }
    public func permissions() -> [ModulePermission] { [] }
    public func importPack(from directory: URL, on database: any Database) async throws {}
    public func exportPack(to directory: URL, on database: any Database) async throws {}
    public func openAPI() -> OpenAPIContribution { OpenAPIContribution() }
    public func menu(for principal: Principal?) -> [MenuItem] { [] }
    public func periodicJobs() -> [PeriodicJob] { [] }
    public func benchData() -> BenchDataGenerator? { nil }
}

/// An entry a module adds to the site's main menu.
public struct MenuItem: Sendable, Hashable {
    public let title: LocalizedText
    public let href: String

    public init(title: LocalizedText, href: String) {
        self.title = title
        self.href = href
    }
}
