import EGovCore
import EGovPlatform
import EGovWeb
import Fluent
import Vapor

/// `GET /api/v1/units` (the units in the caller's scope, paged) and `GET /api/v1/units/{code}`.
struct UnitsAPI: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let units = routes.grouped(RequirePrincipal()).grouped("units")
        units.get(use: list)
        units.get(":code", use: show)
    }

    func list(_ req: Request) async throws -> PageDTO<UnitDTO> {
        let principal = try req.require(.unitsRead)
        let paging = try Paging(req)
        var query = UnitModel.query(on: req.db).inside(principal.scopes(for: .unitsRead))
        if let type = req.query[String.self, at: "type"], !type.isEmpty { query = query.filter(\.$type == type) }
        if let parent = req.query[String.self, at: "parent"], !parent.isEmpty {
            let parentUnit = try await req.unit(code: parent)
            query = query.filter(\.$parent.$id == parentUnit.id)
        }
        let total = try await query.count()
        let units = try await query.sort(\.$depth).sort(\.$sortOrder).sort(\.$code).range(paging.range).all()
        let parentCodes = try await Self.codes(of: Set(units.compactMap { $0.$parent.id }), on: req.db)
        return PageDTO(items: units.map { UnitDTO($0, parentCode: $0.$parent.id.flatMap { parentCodes[$0] }) }, total: total)
    }

    func show(_ req: Request) async throws -> UnitDTO {
        let code = req.parameters.get("code") ?? ""
        let unit = try await req.unit(code: code)
        try req.require(.unitsRead, on: unit)
        let parentCode = try await unit.$parent.get(on: req.db)?.code
        return UnitDTO(unit, parentCode: parentCode)
    }

    static func codes(of ids: Set<UUID>, on db: any Database) async throws -> [UUID: String] {
        guard !ids.isEmpty else { return [:] }
        let units = try await UnitModel.query(on: db).filter(\.$id ~~ Array(ids)).all()
        return Dictionary(uniqueKeysWithValues: units.compactMap { unit in unit.id.map { ($0, unit.code) } })
    }
}
