import EGovCore
import EGovPlatform
import EGovWeb
import Vapor

struct UnitDTO: Content {
    let code: String
    let name: String
    let shortName: String
    let type: String
    let parentCode: String?

    init(_ unit: UnitModel, parentCode: String?) {
        self.init(code: unit.code, name: unit.name, shortName: unit.shortName, type: unit.type, parentCode: parentCode)
    }

    init(code: String, name: String, shortName: String, type: String, parentCode: String?) {
        self.code = code
        self.name = name
        self.shortName = shortName
        self.type = type
        self.parentCode = parentCode
    }

    /// `parentCode` is always present, `null` for a root, as the API contract lists it.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(code, forKey: .code)
        try container.encode(name, forKey: .name)
        try container.encode(shortName, forKey: .shortName)
        try container.encode(type, forKey: .type)
        try container.encode(parentCode, forKey: .parentCode)
    }
}

struct PositionDTO: Content, Equatable {
    let unitCode: String
    let position: String
}

struct UserDTO: Content {
    let username: String
    let fullName: String
    let kind: String
    let email: String?
    let phone: String?
    let positions: [PositionDTO]
}

struct MeDTO: Content {
    let username: String
    let fullName: String
    let kind: String
    let positions: [PositionDTO]
    let permissions: [String: [String]]
}

struct CreatedUserDTO: Content {
    let user: UserDTO
    /// Present only when the server generated the password.
    let initialPassword: String?
}

struct TokenRequest: Content {
    let username: String
    let password: String
}

struct RefreshRequest: Content {
    let refresh_token: String
}

struct CreateUserRequest: Content {
    let username: String
    let fullName: String
    let email: String?
    let phone: String?
    let unitCode: String
    let positions: [String]
    let password: String?
}

struct CitizenRegistrationRequest: Content {
    let fullName: String
    let idNumber: String
    let phone: String
    let email: String
    let password: String
}
