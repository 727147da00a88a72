import EGovCore
import EGovPlatform
import EGovWeb
import Fluent
import Vapor

/// The officer accounts a principal may see, shared by the API and the admin pages.
struct UserDirectory {
    let req: Request

    /// Officers holding a position in `unit` (or anywhere in the caller's `users.read` scope), paged by username.
    func officers(in unit: UnitModel?, paging: Paging) async throws -> (users: [UserModel], total: Int) {
        let principal = try req.require(.usersRead)
        let scopes: [String]
        if let unit {
            try req.require(.usersRead, on: unit)
            scopes = [unit.path]
        } else {
            scopes = principal.scopes(for: .usersRead)
        }
        let unitIDs = try await UnitModel.query(on: req.db).inside(scopes).all(\.$id)
        let userIDs = Set(try await UserPositionModel.query(on: req.db).filter(\.$unit.$id ~~ unitIDs).all(\.$user.$id))
        let query = UserModel.query(on: req.db).filter(\.$id ~~ Array(userIDs))
        let total = try await query.count()
        let users = try await query.sort(\.$username).range(paging.range).with(\.$positions).all()
        return (users, total)
    }

    /// One account by username, if the caller may read it: officers need `users.read` on one of the
    /// officer's units; applicants are visible to themselves and to holders of `users.read` on a root unit.
    func user(named username: String) async throws -> UserModel {
        let principal = try req.principal()
        guard let user = try await UserModel.query(on: req.db).filter(\.$username == username).with(\.$positions).first() else {
            throw EGovError.notFound(LocalizedText(vi: "Không có người dùng “\(username)”.", en: "No user “\(username)”."))
        }
        if user.id == principal.id { return user }
        let unitIDs = user.positions.map { $0.$unit.id }
        let units = unitIDs.isEmpty ? try await UnitModel.query(on: req.db).filter(\.$parent.$id == nil).all()
            : try await UnitModel.query(on: req.db).filter(\.$id ~~ unitIDs).all()
        guard units.contains(where: { principal.can(.usersRead, on: $0) }) else { throw EGovError.forbidden }
        return user
    }

    func dto(_ user: UserModel) async throws -> UserDTO {
        let codes = try await UnitsAPI.codes(of: Set(user.positions.map { $0.$unit.id }), on: req.db)
        return UserDTO(username: user.username, fullName: user.fullName, kind: user.kind, email: user.email, phone: user.phone,
                       positions: user.positions.map { PositionDTO(unitCode: codes[$0.$unit.id] ?? "", position: $0.position) }
                           .sorted { ($0.unitCode, $0.position) < ($1.unitCode, $1.position) })
    }

    /// Creates an officer after checking `users.manage` on the target unit.
    func createOfficer(_ body: CreateUserRequest) async throws -> (UserModel, String) {
        let unit = try await req.unit(code: body.unitCode)
        try req.require(.usersManage, on: unit)
        var positions: [Position] = []
        for raw in body.positions {
            guard let position = Position(rawValue: raw) else {
                throw EGovError.validation([ValidationError(
                    field: "positions", vi: "Chức vụ “\(raw)” không hợp lệ (\(Position.allCases.map(\.rawValue).joined(separator: ", "))).",
                    en: "Position “\(raw)” is not one of \(Position.allCases.map(\.rawValue).joined(separator: ", ")).")])
            }
            positions.append(position)
        }
        let input = AccountService.OfficerInput(username: body.username, fullName: body.fullName, email: body.email, phone: body.phone,
                                                unitCode: body.unitCode, positions: positions,
                                                password: body.password?.isEmpty == false ? body.password : nil)
        let (user, password) = try await AccountService(services: req.egov)
            .createOfficer(input, unit: unit, actor: req.auditEntry(action: "", target: "", summary: "", unitCode: unit.code), on: req.db)
        try await user.$positions.load(on: req.db)
        return (user, password)
    }
}
