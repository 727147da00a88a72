import EGovCore
import EGovPlatform
import Fluent
import Foundation
import EGovWeb
import Vapor

/// The public-service portal and the electronic one-stop-shop (Cổng dịch vụ công, Hệ thống một cửa
/// điện tử): the procedure catalogue and processes from the locality pack, dossiers from submission
/// to result, payments, notifications, ratings and statistics.
public struct PublicServicesModule: EGovModule {
    public static let moduleID = "public-services"

    public init() {}

    public var id: String { Self.moduleID }
    public var name: LocalizedText { LocalizedText(vi: "Dịch vụ công và một cửa điện tử", en: "Public services and one-stop-shop") }

    public func migrations() -> [any Migration] { [CreateCatalogue(), CreateDossiers(), CreatePayments(), CreateRatings(), AddPausedLate(), MoveProcessesToPlatform(),
         AddCaseQueueIndex(name: "public-services.007.queue-index", table: DossierModel.schema),
         AddCaseScopeIndexes(name: "public-services.008.scope-indexes", table: DossierModel.schema, history: DossierEventModel.schema),
         AddCaseHoldings(name: "public-services.009.holdings", table: DossierModel.schema),
         AddCaseQueueIndex(name: "public-services.010.queue-order", table: DossierModel.schema, then: DossierModel.queueOrder)] }

    public func permissions() -> [ModulePermission] { OneStopPermission.declarations }

    public func boot(_ app: Application, routes: ModuleRoutes) async throws {
        try routes.api.register(collection: ProceduresAPI())
        try routes.api.register(collection: DossiersAPI())
        try routes.api.register(collection: PaymentsAPI())
        try routes.api.register(collection: StatisticsAPI())
        try routes.web.register(collection: CataloguePages())
        try routes.web.register(collection: TrackingPages())
        let signedIn = routes.web.grouped(RequirePrincipal())
        for pages: any RouteCollection in [SubmissionPage(), DossierPage(), RatingPage(), ListPages(), FormPages(), StatsPage(), ProcedureEditPage()] {
            try signedIn.register(collection: pages)
        }
    }

    public func periodicJobs() -> [PeriodicJob] { [LateDossiers.job] }

    public func benchData() -> BenchDataGenerator? {
        BenchDataGenerator(noun: "dossiers") { count, services, db, progress in
            let summary = try await BenchData.generate(dossiers: count, services: services, on: db, progress: progress)
            return BenchDataGenerator.Summary(cases: summary.dossiers, seconds: summary.seconds, sampleCodes: summary.sampleCodes,
                                              resumedFrom: summary.resumedFrom)
        }
    }

    public func menu(for principal: Principal?) -> [MenuItem] {
        var items = [MenuItem(title: OneStopText.procedures, href: OneStopRoute.procedures(q: nil, field: nil, unit: nil, page: 1).path),
                     MenuItem(title: OneStopText.tracking, href: OneStopRoute.tracking(code: nil).path)]
        switch principal?.kind {
        case .applicant?:
            items.append(MenuItem(title: OneStopText.myDossiers, href: OneStopRoute.myDossiers(page: 1).path))
        case .officer?:
            if principal.map({ !DossierAccess.readScopes($0).isEmpty }) == true {
                items.append(MenuItem(title: OneStopText.queue, href: OneStopRoute.queue(deadline: nil, page: 1).path))
            }
            if principal?.holds(OneStopPermission.statsRead) == true {
                items.append(MenuItem(title: OneStopText.statistics, href: OneStopRoute.statistics(unit: nil, from: nil, to: nil).path))
            }
        case nil:
            break
        }
        return items
    }

    public func importPack(from directory: URL, on database: any Database) async throws {
        guard let catalogue = try CatalogueReader.read(directory) else { return }
        try await CatalogueStore.replace(with: catalogue, on: database)
    }

    public func exportPack(to directory: URL, on database: any Database) async throws {
        try await CatalogueWriter.write(to: directory, on: database)
    }

    public func openAPI() -> OpenAPIContribution { .merged([ProceduresAPI.openAPI, DossiersAPI.openAPI, PaymentsAPI.openAPI, StatisticsAPI.openAPI]) }
}
