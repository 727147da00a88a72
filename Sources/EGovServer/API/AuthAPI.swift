import EGovCore
import EGovPlatform
import EGovWeb
import JWT
import Vapor

/// `POST /api/v1/auth/token`, `POST /api/v1/auth/refresh`, `GET /api/v1/me`.
struct AuthAPI: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let auth = routes.grouped("auth")
        auth.grouped(AuthRateLimit()).post("token", use: token)
        auth.post("refresh", use: refresh)
        routes.grouped(RequirePrincipal()).get("me", use: me)
        routes.grouped(RequirePrincipal()).post("me", "password", use: changePassword)
    }

    func token(_ req: Request) async throws -> TokenPair {
        let body = try req.content.decode(TokenRequest.self)
        let user = try await LoginService(services: req.egov)
            .authenticate(identifier: body.username, password: body.password, clientAddress: req.clientAddress, on: req.db)
        return try await TokenService(services: req.egov, keys: req.application.jwt.keys).issue(for: user, on: req.db)
    }

    func refresh(_ req: Request) async throws -> TokenPair {
        let body = try req.content.decode(RefreshRequest.self)
        return try await TokenService(services: req.egov, keys: req.application.jwt.keys).refresh(body.refresh_token, on: req.db)
    }

    struct PasswordChange: Content {
        var currentPassword: String
        var newPassword: String
    }

    /// `POST /api/v1/me/password`: the account holder changes their password; every session and token
    /// of the account ends, including the one used here (sign in again).
    func changePassword(_ req: Request) async throws -> HTTPStatus {
        let principal = try req.principal()
        let body = try req.content.decode(PasswordChange.self)
        guard let user = try await UserModel.find(principal.id, on: req.db) else { throw EGovError.unauthorized }
        do {
            try await CredentialService(services: req.egov).change(user, current: body.currentPassword, new: body.newPassword,
                                                                   clientAddress: req.clientAddress, on: req.db)
        } catch let error as CredentialService.ChangeError {
            throw EGovError.validation([error.fieldError])
        }
        return .noContent
    }

    func me(_ req: Request) async throws -> MeDTO {
        let principal = try req.principal()
        var permissions: [String: Set<String>] = [:]
        for grant in principal.grants {
            permissions[grant.unitCode, default: []].formUnion((principal.permissionsByPosition[grant.position] ?? []).map(\.name))
        }
        return MeDTO(username: principal.username, fullName: principal.fullName, kind: principal.kind.rawValue,
                     positions: principal.grants.map { PositionDTO(unitCode: $0.unitCode, position: $0.position.rawValue) },
                     permissions: permissions.mapValues { $0.sorted() })
    }
}
