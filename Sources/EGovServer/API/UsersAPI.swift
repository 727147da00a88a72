import EGovCore
import EGovPlatform
import EGovWeb
import Fluent
import Vapor

/// `GET|POST /api/v1/users`, `GET /api/v1/users/{username}`.
struct UsersAPI: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let users = routes.grouped(RequirePrincipal()).grouped("users")
        users.get(use: list)
        users.post(use: create)
        users.get(":username", use: show)
    }

    func list(_ req: Request) async throws -> PageDTO<UserDTO> {
        let paging = try Paging(req)
        let unitCode = req.query[String.self, at: "unit"].flatMap { $0.isEmpty ? nil : $0 }
        let unit = try await unitCode.asyncMap { try await req.unit(code: $0) }
        let directory = UserDirectory(req: req)
        let (users, total) = try await directory.officers(in: unit, paging: paging)
        var items: [UserDTO] = []
        for user in users { items.append(try await directory.dto(user)) }
        return PageDTO(items: items, total: total)
    }

    func show(_ req: Request) async throws -> UserDTO {
        let directory = UserDirectory(req: req)
        return try await directory.dto(directory.user(named: req.parameters.get("username") ?? ""))
    }

    func create(_ req: Request) async throws -> Response {
        let body = try req.content.decode(CreateUserRequest.self)
        let directory = UserDirectory(req: req)
        let (user, password) = try await directory.createOfficer(body)
        let dto = CreatedUserDTO(user: try await directory.dto(user), initialPassword: body.password?.isEmpty == false ? nil : password)
        let response = Response(status: .created)
        try response.content.encode(dto)
        response.headers.replaceOrAdd(name: .location, value: "/api/v1/users/\(user.username)")
        return response
    }
}

/// `POST /api/v1/citizens`: self-registration of citizens and business representatives.
struct CitizensAPI: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.grouped(AuthRateLimit()).post("citizens", use: register)
    }

    func register(_ req: Request) async throws -> Response {
        let body = try req.content.decode(CitizenRegistrationRequest.self)
        let user = try await AccountService(services: req.egov).registerApplicant(
            .init(fullName: body.fullName, idNumber: body.idNumber, phone: body.phone, email: body.email, password: body.password),
            clientAddress: req.clientAddress, on: req.db)
        let response = Response(status: .created)
        try response.content.encode(UserDTO(username: user.username, fullName: user.fullName, kind: user.kind, email: user.email,
                                            phone: user.phone, positions: []))
        return response
    }
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
