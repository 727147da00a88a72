import EGovCore
import EGovPlatform
import EGovWeb
import Fluent
import SQLKit
import Vapor

/// `GET /api/v1/units` (the units in the caller's scope, paged) and `GET /api/v1/units/{code}`.
struct UnitsAPI: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let units = routes.grouped(RequirePrincipal()).grouped("units")
        units.get(use: list)
        units.get(":code", use: show)
    }

    /// One statement: the page, each unit's parent code and the total, read as rows rather than models (issue 15).
    func list(_ req: Request) async throws -> PageDTO<UnitDTO> {
        let principal = try req.require(.unitsRead)
        let paging = try Paging(req)
        guard let sql = req.db as? any SQLDatabase else { throw EGovError.forbidden }
        let scopes = principal.scopes(for: .unitsRead)
        var condition: SQLQueryString = scopes.isEmpty ? "1 = 0" : "(1 = 0"
        for scope in scopes { condition = "\(condition) OR u.path LIKE \(bind: scope + "%")" }
        if !scopes.isEmpty { condition = "\(condition))" }
        if let type = req.query[String.self, at: "type"], !type.isEmpty { condition = "\(condition) AND u.type = \(bind: type)" }
        if let parent = req.query[String.self, at: "parent"], !parent.isEmpty {
            let parentUnit = try await req.unit(code: parent)
            condition = "\(condition) AND u.parent_id = \(bind: try parentUnit.requireID())"
        }
        let table = SQLIdentifier(UnitModel.schema)
        let rows = try await sql.raw("""
            SELECT u.code, u.name, u.short_name, u.type, p.code AS parent_code, count(*) OVER () AS total
            FROM \(table) u LEFT JOIN \(table) p ON p.id = u.parent_id WHERE \(condition)
            ORDER BY u.depth, u.sort_order, u.code LIMIT \(bind: paging.limit) OFFSET \(bind: paging.offset)
            """).all()
        let items = try rows.map { row in
            UnitDTO(code: try row.decode(column: "code", as: String.self), name: try row.decode(column: "name", as: String.self),
                    shortName: try row.decode(column: "short_name", as: String.self), type: try row.decode(column: "type", as: String.self),
                    parentCode: try row.decode(column: "parent_code", as: String?.self))
        }
        if let first = rows.first { return PageDTO(items: items, total: try first.decode(column: "total", as: Int.self)) }
        // A page past the end: the count alone.
        let total = try await sql.raw("SELECT count(*) AS n FROM \(table) u WHERE \(condition)").first()?.decode(column: "n", as: Int.self) ?? 0
        return PageDTO(items: [], total: total)
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
