import EGovCore
import EGovPlatform
import Fluent
import Foundation
import Vapor

/// The public-service portal and the electronic one-stop-shop (Cổng dịch vụ công, Hệ thống một cửa
/// điện tử): the procedure catalogue and processes from the locality pack, dossiers from submission
/// to result, payments, notifications, ratings and statistics.
public struct PublicServicesModule: EGovModule {
    public static let moduleID = "public-services"

    public init() {}

    public var id: String { Self.moduleID }
    public var name: LocalizedText { LocalizedText(vi: "Dịch vụ công và một cửa điện tử", en: "Public services and one-stop-shop") }

    public func migrations() -> [any Migration] { [CreateCatalogue(), CreateDossiers(), CreatePayments()] }

    public func permissions() -> [ModulePermission] { OneStopPermission.declarations }

    public func boot(_ app: Application, routes: ModuleRoutes) async throws {
        try routes.api.register(collection: ProceduresAPI())
        try routes.api.register(collection: DossiersAPI())
        try routes.api.register(collection: PaymentsAPI())
    }

    public func importPack(from directory: URL, on database: any Database) async throws {
        guard let catalogue = try CatalogueReader.read(directory) else { return }
        try await CatalogueStore.replace(with: catalogue, on: database)
    }

    public func exportPack(to directory: URL, on database: any Database) async throws {
        try await CatalogueWriter.write(to: directory, on: database)
    }

    public func openAPI() -> OpenAPIContribution { .merged([ProceduresAPI.openAPI, DossiersAPI.openAPI, PaymentsAPI.openAPI]) }
}
