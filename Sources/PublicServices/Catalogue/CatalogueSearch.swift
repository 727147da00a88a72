import EGovCore
import EGovPlatform
import Fluent

/// A search of the catalogue (accent-insensitive words, field, deciding unit, online level), for the
/// API and the portal's pages alike.
struct CatalogueSearch: Sendable {
    var q: String?
    var field: String?
    var unit: String?
    var level: OnlineLevel?

    struct Found: Sendable {
        let procedures: [Procedure]
        let total: Int
        let unitCodes: [String: [String]]
    }

    func run(_ paging: Paging, on db: any Database) async throws -> Found {
        let query = ProcedureModel.query(on: db)
        for term in SearchText.terms(q ?? "") { query.filter(\.$searchText ~~ term) }
        if let field, !field.isEmpty { query.filter(\.$field == field) }
        if let level { query.filter(\.$onlineLevel == level.rawValue) }
        if let unit, !unit.isEmpty {
            let codes = try await ProcedureUnitModel.query(on: db).filter(\.$unitCode == unit).all(\.$procedureCode)
            query.filter(\.$code ~~ codes)
        }
        let total = try await query.count()
        let models = try await query.sort(\.$sortOrder).range(paging.range).all()
        return Found(procedures: try models.map(CatalogueStore.procedure(of:)), total: total,
                     unitCodes: try await ProceduresAPI.unitCodes(for: models.map(\.code), on: db))
    }
}
